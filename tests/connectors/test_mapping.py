"""The declarative dialect mapping, applied to a record in another system's shape and parsed as an exchange record."""

from __future__ import annotations

from datetime import datetime

import pytest

from trackchild_hub.connectors.mapping import RecordMapping, _reader
from trackchild_hub.domain.enums import CaseKind, Gender, GuardianRelation
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.exchange import parse_exchange_record

CONFIG = {
    "fields": {
        "kind": "case_type",
        "source": "src",
        "external_id": "ref_no",
        "reported_at": "date_reported",
        "event_date": "incident_date",
        "fir.number": "fir_no",
        "fir.date": "fir_dt",
        "child.name": "juvenile.full_name",
        "child.gender": "juvenile.sex",
        "child.age_years": "juvenile.age",
        "child.guardians[].name": "juvenile.parents[].pname",
        "child.guardians[].relation": "juvenile.parents[].rel",
        "place.state": "last_seen.state_lgd",
        "place.district": "last_seen.district_lgd",
    },
    "enums": {
        "kind": {"MISSING_CHILD": "MISSING", "FOUND_CHILD": "FOUND"},
        "child.gender": {"M": "MALE", "F": "FEMALE"},
        "child.guardians.relation": {"F": "FATHER", "M": "MOTHER"},
    },
    "dates": {"reported_at": "%d/%m/%Y %H:%M", "event_date": "%d/%m/%Y", "fir.date": "%d/%m/%Y"},
}
LEGACY = {
    "case_type": "MISSING_CHILD",
    "src": "police-27",
    "ref_no": "MH-PUN-0042",
    "date_reported": "03/10/2026 11:15",
    "incident_date": "01/10/2026",
    "fir_no": "42/2026",
    "fir_dt": "02/10/2026",
    "juvenile": {
        "full_name": "Sairaj Patil",
        "sex": "M",
        "age": 12,
        "parents": [{"pname": "Vikas Patil", "rel": "F"}, {"pname": "Snehal Patil", "rel": "M"}],
    },
    "last_seen": {"state_lgd": "27", "district_lgd": "490"},
    "office_note": "not mapped",
}


def test_a_legacy_record_becomes_an_exchange_record() -> None:
    mapping = RecordMapping.from_config(CONFIG, "connector police-27")
    case = parse_exchange_record(mapping.apply(LEGACY))
    assert case.kind is CaseKind.MISSING
    assert (case.source, case.external_id) == ("police-27", "MH-PUN-0042")
    assert case.reported_at.isoformat() == "2026-10-03T05:45:00+00:00"  # 11:15 IST
    assert str(case.event_date) == "2026-10-01"
    assert case.missing is not None
    assert case.missing.fir is not None
    assert (case.missing.fir.number, str(case.missing.fir.date)) == ("42/2026", "2026-10-02")
    assert (case.child.name, case.child.gender, case.child.age_years) == ("Sairaj Patil", Gender.MALE, 12)
    assert [(g.relation, g.name) for g in case.child.guardians] == [
        (GuardianRelation.FATHER, "Vikas Patil"),
        (GuardianRelation.MOTHER, "Snehal Patil"),
    ]
    assert (case.place.state, case.place.district) == ("27", "490")


@pytest.mark.parametrize(("field", "value"), [("case_type", "SOMETHING_ELSE"), ("incident_date", "1 Oct 2026")])
def test_values_it_cannot_convert_make_the_record_invalid(field: str, value: str) -> None:
    mapping = RecordMapping.from_config(CONFIG, "connector police-27")
    with pytest.raises(BadUserInput):
        parse_exchange_record(mapping.apply({**LEGACY, field: value}))


def test_no_mapping_passes_records_through() -> None:
    record = {"kind": "FOUND", "external_id": "x"}
    assert RecordMapping().apply(record) == record


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"fields": {"a": 1}}, "table of strings"),
        ({"fieldz": {}}, "unknown keys"),
        ({"fields": {"a[].b": "c"}}, "one list level"),
        ({"utc_offset": "IST"}, "offset"),
    ],
)
def test_bad_mappings_are_refused_with_the_place(config: dict[str, object], message: str) -> None:
    with pytest.raises(BadUserInput, match=message):
        RecordMapping.from_config(config, "connector police-27")


@pytest.mark.parametrize(
    ("layout", "text"),
    [
        ("%d/%m/%Y", "07/03/2026"),
        ("%d/%m/%Y", "7/3/2026"),
        ("%d-%m-%Y %H:%M", "01-10-2026 09:30"),
        ("%Y%m%d%H%M%S", "20261001093005"),
        ("%d/%m/%Y", "31/02/2026"),  # no such day
        ("%d/%m/%Y", "2026-10-01"),  # another layout
        ("%d/%m/%Y", "07/03/2026 junk"),
        ("%d %b %Y", "07 Mar 2026"),  # a directive the fast reader leaves to strptime
    ],
)
def test_the_compiled_date_reader_agrees_with_strptime(layout: str, text: str) -> None:
    try:
        expected: datetime | None = datetime.strptime(text, layout)
    except ValueError:
        expected = None
    assert _reader(layout)(text) == expected
