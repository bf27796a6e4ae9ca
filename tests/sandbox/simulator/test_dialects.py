"""The legacy dialect: its shape, and that the mapping its docstring declares turns it back into the same case."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.records import CaseData
from trackchild_hub.domain.validation import validate_case
from trackchild_hub.sandbox.simulator import LEGACY_MAPPING, create_simulator
from trackchild_hub.sandbox.simulator.data import TODAY
from trackchild_hub.sandbox.simulator.dialects import to_legacy

from .conftest import ClientFor, client_of, walk

TOP = [
    "case_type", "ref_no", "src", "hub_ref", "date_reported", "case_status", "fir_no", "fir_dt", "incident_date",
    "last_modified", "juvenile", "last_seen", "brief_facts", "time_last_seen", "complainant", "recovered_by",
    "recovered_by_phone", "placed_at", "handed_over_cci", "missing_since_dt", "cci_code", "cwc_order_no",
    "cwc_order_dt", "admission_dt", "exit_dt",
]  # fmt: skip
JUVENILE = [
    "full_name", "nick_names", "sex", "age", "dob", "height_cms", "complexion", "id_marks", "languages_known", "dress",
    "is_confidential", "parents",
]  # fmt: skip


async def test_legacy_records_have_the_documented_shape(sim: ClientFor) -> None:
    async with sim("police", "19", dialect="legacy") as client:
        items = await walk(client, limit=500)
        one = (await client.get(f"/v1/cases/{items[0]['ref_no']}")).json()
        found = (await client.get("/v1/cases/search", params={"kind": "FOUND"})).json()["items"]
    assert one == items[0]
    assert {r["case_type"] for r in found} == {"FOUND_CHILD"}
    assert {r["case_type"] for r in items} == {"MISSING_CHILD", "FOUND_CHILD"}
    for record in items:
        assert [k for k in record if k != "demo_truth"] == TOP
        assert list(record["juvenile"]) == JUVENILE
        assert list(record["last_seen"]) == ["state_lgd", "district_lgd", "ps_code", "location", "lat", "lng"]
        assert record["juvenile"]["sex"] in {"M", "F", "T", "U"}
        assert record["case_status"] in {"PENDING", "TRACED", "CLOSED"}
        datetime.strptime(record["date_reported"], "%d/%m/%Y %H:%M")
        datetime.strptime(record["incident_date"], "%d/%m/%Y")
        datetime.strptime(record["last_modified"], "%d/%m/%Y %H:%M:%S")
        for parent in record["juvenile"]["parents"]:
            assert parent["rel"] in {"F", "M", "G", "R", "O"}
            assert parent["mobile_no"] is None or (len(parent["mobile_no"]) == 10 and parent["mobile_no"].isdigit())
        if record["case_type"] == "MISSING_CHILD":
            datetime.strptime(record["fir_dt"], "%d/%m/%Y")
            assert record["complainant"] is not None
        assert "child" not in record
        assert "kind" not in record


def test_legacy_example() -> None:
    record = {
        "kind": "MISSING",
        "source": "police-19",
        "external_id": "WB-POL-000123",
        "reference": None,
        "reported_at": "2026-10-02T09:30:45+05:30",
        "status": "RESOLVED",
        "fir": {"number": "123/2026", "date": "2026-10-02"},
        "child": {"name": "Rahul Kumar", "aliases": ["Raju"], "gender": "MALE", "age_years": 9,
                  "guardians": [{"relation": "FATHER", "name": "Suresh Kumar", "phone": "+919800000000"}]},
        "place": {"state": "19", "district": "342", "police_station": "PS-19-342-001", "text": "Howrah station",
                  "latitude": 22.58, "longitude": 88.34},
        "event_date": "2026-10-01",
        "missing": {"last_seen_time": "18:55", "reporter": {"name": "Suresh Kumar", "relation": "father"}},
        "updated_at": "2026-10-02T04:01:00Z",
        "office_note": "kept",
    }  # fmt: skip
    legacy = to_legacy(record)
    assert legacy["case_type"] == "MISSING_CHILD"
    assert legacy["date_reported"] == "02/10/2026 09:30"
    assert legacy["last_modified"] == "02/10/2026 09:31:00"
    assert legacy["case_status"] == "TRACED"
    assert (legacy["fir_no"], legacy["fir_dt"], legacy["incident_date"]) == ("123/2026", "02/10/2026", "01/10/2026")
    assert legacy["juvenile"]["sex"] == "M"
    assert legacy["juvenile"]["parents"] == [{"rel": "F", "pname": "Suresh Kumar", "mobile_no": "9800000000"}]
    assert legacy["last_seen"]["district_lgd"] == "342"
    assert legacy["complainant"] == {"name": "Suresh Kumar", "relation": "father", "mobile_no": None}
    assert legacy["office_note"] == "kept"


def _comparable(case: CaseData) -> CaseData:
    """Legacy drops seconds from date_reported, words updated_at in IST and phones without +91: compare what survives
    the hub's own validation (which puts +91 back)."""
    validate_case(case, load_geography(), TODAY)
    extra = dict(case.extra)
    if isinstance(extra.get("updated_at"), str):
        extra["updated_at"] = datetime.fromisoformat(str(extra["updated_at"])).timestamp()
    return dataclasses.replace(case, reported_at=case.reported_at.replace(second=0), extra=extra)


@pytest.mark.parametrize("kind", ["police", "wcd"])
async def test_the_declared_mapping_turns_legacy_back_into_the_same_cases(kind: str) -> None:
    mapping_module = pytest.importorskip("trackchild_hub.connectors.mapping")
    mapping = mapping_module.RecordMapping.from_config(LEGACY_MAPPING, "legacy")
    async with (
        client_of(create_simulator(kind, "19", records=400)) as standard,  # type: ignore[arg-type]
        client_of(create_simulator(kind, "19", records=400, dialect="legacy")) as legacy,  # type: ignore[arg-type]
    ):
        plain = await walk(standard, limit=500)
        worded = await walk(legacy, limit=500)
    assert len(plain) == len(worded)
    for record, other in zip(plain, worded, strict=True):
        expected = _comparable(parse_exchange_record(record))
        assert _comparable(parse_exchange_record(mapping.apply(other))) == expected


async def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="dialect"):
        create_simulator("police", "19", dialect="klingon")
