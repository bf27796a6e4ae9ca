"""Citizen reports through GraphQL: the public submits and asks for a status; stations triage; Para Legal Volunteers
see what waits. Over HTTP where the answer's bytes matter (``caseStatus`` for a wrong reference or code)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tests.factories import (
    HOWRAH,
    NGO,
    POLICE,
    PUBLIC,
    SCHEMA,
    WB,
    data,
    error_codes,
    hub_client,
    missing_input,
    run,
    seed_catalogue,
    today,
)
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.services.citizen_reports import PER_PHONE
from trackchild_hub.services.unit import Services
from trackchild_hub.settings import RateLimits

SUBMIT = """mutation($input: CitizenReportInput!) { submitCitizenReport(input: $input) { reference statusCode } }"""
SIGHTING = """mutation($input: SightingInput!) { reportSighting(input: $input) { reference statusCode } }"""
STATUS = (
    """query($r: String!, $c: String!) { caseStatus(reference: $r, code: $c) { status contact { name phones } } }"""
)
UNTRIAGED = """{ untriagedCitizenReports { id kind reference policeStation childName contactPhone clothing } }"""
REGISTER = """mutation($input: RegisterCaseInput!) {
  registerCaseFromCitizenReport(input: $input) { id reference status place { policeStation { id } } }
}"""
LINK = """mutation($input: LinkSightingInput!) { linkSighting(input: $input) { id triageDecision linkedCaseId } }"""
BACKLOG = """{
  citizenReportBacklog { policeStation policeStationName reports sightings oldestReceivedAt oldestWaitingHours }
}"""
BACKLOG_FIELDS = (
    "policeStation",
    "policeStationName",
    "reports",
    "sightings",
    "oldestReceivedAt",
    "oldestWaitingHours",
)
DLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="plv-1", state=WB)
COLLECTOR = Principal.for_agency(Agency.DISTRICT_ADMIN, subject="dm-howrah", state=WB, district=HOWRAH)


def report_input(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "contactPhone": "98300 12345",
        "consent": True,
        "declaresNoSexualOffence": True,
        "state": WB,
        "district": HOWRAH,
        "placeText": "Howrah station",
        "eventDate": (today() - timedelta(days=1)).isoformat(),
        "childName": "Rahul Kumar",
        "gender": "MALE",
        "ageYears": 9,
        "clothing": "blue shirt",
        "reporterName": "Suresh Kumar",
        "reporterRelation": "father",
    }
    value.update(overrides)
    return value


def sighting_input(**overrides: Any) -> dict[str, Any]:
    value = report_input(circumstances="a boy alone at the ticket counter", needsHelp=True)
    for key in ("childName", "reporterName", "reporterRelation", "gender"):
        del value[key]
    value.update(overrides)
    return value


async def test_a_family_reports_and_follows_it_with_the_code(store: Services) -> None:
    await seed_catalogue(store)
    receipt = data(await run(store, SUBMIT, {"input": report_input()}, PUBLIC))["submitCitizenReport"]
    status = data(await run(store, STATUS, {"r": receipt["reference"], "c": receipt["statusCode"]}, PUBLIC))
    assert status["caseStatus"] == {"status": "RECEIVED", "contact": {"name": "Station 1", "phones": ["+913326412345"]}}
    wrong = data(await run(store, STATUS, {"r": receipt["reference"], "c": "WRONG"}, PUBLIC))
    assert wrong["caseStatus"] == {"status": "UNKNOWN", "contact": {"name": "CHILDLINE", "phones": ["1098"]}}


async def test_bad_input_is_bad_user_input_naming_the_field(store: Services) -> None:
    cases = [
        (SUBMIT, report_input(consent=False), "input.consent"),
        (SUBMIT, report_input(declaresNoSexualOffence=False), "input.declaresNoSexualOffence"),
        (SUBMIT, report_input(contactPhone="call me"), "input.contactPhone"),
        (SIGHTING, sighting_input(latitude=10.0), "input.latitude"),
        (SIGHTING, sighting_input(ageYears=40), "input.ageYears"),
    ]
    for query, value, field in cases:
        result = await run(store, query, {"input": value}, PUBLIC)
        assert error_codes(result) == [("BAD_USER_INPUT", field)], field


async def test_a_phone_over_its_limit_is_rate_limited_with_when_to_retry(store: Services) -> None:
    for _ in range(PER_PHONE):
        data(await run(store, SIGHTING, {"input": sighting_input()}, PUBLIC))
    result = await run(store, SIGHTING, {"input": sighting_input()}, PUBLIC)
    assert error_codes(result) == [("RATE_LIMITED", None)]
    [error] = result.errors or []
    assert error.extensions is not None
    assert error.extensions["retryAfterSeconds"] > 0
    assert "retry in" in error.message


async def test_wrong_reference_and_wrong_code_answer_the_same_bytes_in_overlapping_times(store: Services) -> None:
    await seed_catalogue(store)
    receipt = data(await run(store, SUBMIT, {"input": report_input()}, PUBLIC))["submitCitizenReport"]
    wrong_code = {"query": STATUS, "variables": {"r": receipt["reference"], "c": "0" * 12}}
    wrong_reference = {"query": STATUS, "variables": {"r": "CR-" + "0" * 10, "c": receipt["statusCode"]}}
    bodies: dict[str, set[bytes]] = {"code": set(), "reference": set()}
    times: dict[str, list[float]] = {"code": [], "reference": []}
    # 400 tries from one IP: caseStatus's per-IP limit off here (tests/http/test_case_status_limits). The per-reference
    # lock stays on (default): both references lock after their 20th try, and the bytes and times must not tell.
    one_ip = RateLimits(case_status_per_ip=None)
    async with hub_client(replace(store.settings, rate_limits=one_ip)) as client:
        for _ in range(200):  # interleaved, so both see the same machine
            for name, body in (("code", wrong_code), ("reference", wrong_reference)):
                start = time.perf_counter()
                response = await client.post("/graphql", json=body)
                times[name].append(time.perf_counter() - start)
                bodies[name].add(response.content)
    assert len(bodies["code"]) == 1
    assert bodies["code"] == bodies["reference"]
    assert b'"UNKNOWN"' in next(iter(bodies["code"]))
    # Loosely, no threshold: each one's middle half overlaps the other's (a skipped hash would part them).
    q = {name: statistics.quantiles(values, n=4) for name, values in times.items()}
    assert q["code"][0] <= q["reference"][2]
    assert q["reference"][0] <= q["code"][2]


async def test_the_station_triages_reports_and_sightings(store: Services) -> None:
    await seed_catalogue(store)
    family = data(await run(store, SUBMIT, {"input": report_input()}, PUBLIC))["submitCitizenReport"]
    seen = data(await run(store, SIGHTING, {"input": sighting_input()}, PUBLIC))["reportSighting"]
    queue = data(await run(store, UNTRIAGED, principal=POLICE))["untriagedCitizenReports"]
    assert [(r["kind"], r["reference"], r["policeStation"]) for r in queue] == [
        ("MISSING", family["reference"], "PS-19-313-001"),
        ("SIGHTING", seen["reference"], "PS-19-313-001"),
    ]
    assert (queue[0]["childName"], queue[0]["contactPhone"]) == ("Rahul Kumar", "+919830012345")
    fir = {"number": "91/2026", "date": today().isoformat()}
    no_fir = await run(store, REGISTER, {"input": {"id": queue[0]["id"], "fir": {**fir, "number": " "}}})
    assert error_codes(no_fir) == [("BAD_USER_INPUT", "input.fir.number")]
    case = data(await run(store, REGISTER, {"input": {"id": queue[0]["id"], "fir": fir}}))
    case = case["registerCaseFromCitizenReport"]
    assert (case["status"], case["place"]["policeStation"]) == ("OPEN", {"id": "PS-19-313-001"})
    linked = data(await run(store, LINK, {"input": {"id": queue[1]["id"], "caseId": case["id"]}}))["linkSighting"]
    assert (linked["triageDecision"], linked["linkedCaseId"]) == ("LINKED", case["id"])
    assert data(await run(store, UNTRIAGED, principal=POLICE))["untriagedCitizenReports"] == []
    status = data(await run(store, STATUS, {"r": seen["reference"], "c": seen["statusCode"]}, PUBLIC))
    assert status["caseStatus"]["status"] == "LINKED"


async def test_without_identity_scopes_names_and_phones_stay_hidden(store: Services) -> None:
    await seed_catalogue(store)
    data(await run(store, SUBMIT, {"input": report_input()}, PUBLIC))
    result = await run(store, UNTRIAGED, principal=NGO)
    assert result.data is not None
    [item] = result.data["untriagedCitizenReports"]
    assert (item["childName"], item["contactPhone"], item["clothing"]) == (None, None, "blue shirt")
    assert sorted(error_codes(result)) == [("UNAUTHORIZED_FIELD_OR_TYPE", None)] * 2
    public = await run(store, UNTRIAGED, principal=PUBLIC)
    assert error_codes(public) == [("FORBIDDEN", None)]


IDENTITY_FIELDS = ("childName", "reporterName", "reporterRelation", "contactPhone", "circumstances")


async def test_each_role_sees_a_reports_identity_fields_exactly_as_its_scopes_allow(store: Services) -> None:
    """The role matrix for CitizenReport (tests/auth/test_role_matrix.py's COVERED_ELSEWHERE points here)."""
    await seed_catalogue(store)
    told = report_input(circumstances="left with a neighbour")
    data(await run(store, SUBMIT, {"input": told}, PUBLIC))
    query = "{ untriagedCitizenReports { reference clothing " + " ".join(IDENTITY_FIELDS) + " } }"
    for agency in Agency:
        principal = Principal.for_agency(agency, subject=f"{agency.value}-1", state=WB, district=HOWRAH)
        result = await run(store, query, principal=principal)
        if "cases:read" not in principal.scopes:
            assert error_codes(result) == [("FORBIDDEN", None)], agency
            continue
        assert result.data is not None, agency
        [item] = result.data["untriagedCitizenReports"]
        assert item["clothing"] == "blue shirt", agency
        identity = "child:identity" in principal.scopes
        assert all((item[f] is not None) == identity for f in IDENTITY_FIELDS), (agency, item)
        denied = [] if identity else [("UNAUTHORIZED_FIELD_OR_TYPE", None)] * len(IDENTITY_FIELDS)
        assert sorted(error_codes(result)) == denied, agency


async def test_para_legal_volunteers_and_collectors_see_what_waits_per_station(store: Services) -> None:
    await seed_catalogue(store)
    data(await run(store, SUBMIT, {"input": report_input()}, PUBLIC))
    data(await run(store, SIGHTING, {"input": sighting_input()}, PUBLIC))
    for principal in (DLSA, COLLECTOR):
        [row] = data(await run(store, BACKLOG, principal=principal))["citizenReportBacklog"]
        assert (row["policeStation"], row["policeStationName"]) == ("PS-19-313-001", "Station 1")
        assert (row["reports"], row["sightings"]) == (1, 1)
        assert 0 <= row["oldestWaitingHours"] < 1
    backlog_type = SCHEMA._schema.get_type("TriageBacklog")
    assert set(backlog_type.fields) == {*BACKLOG_FIELDS, "state", "district"}  # type: ignore[union-attr]
    elsewhere = Principal.for_agency(Agency.DISTRICT_ADMIN, subject="dm-patna", state="10", district="212")
    assert data(await run(store, BACKLOG, principal=elsewhere))["citizenReportBacklog"] == []
    assert error_codes(await run(store, BACKLOG, principal=POLICE)) == [("FORBIDDEN", None)]


REPORT_MISSING = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id } }"
CANDIDATES = """query($id: ID!) { sightingCandidates(id: $id) { case { id } band factors { field } } }"""


async def test_a_sighting_is_evidence_the_matcher_weighs_against_missing_children(store: Services) -> None:
    await seed_catalogue(store)
    lost = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]["id"]
    seen = sighting_input(childName="Rahul", gender="MALE", ageYears=9, clothing="blue shirt")
    data(await run(store, SIGHTING, {"input": seen}, PUBLIC))
    [item] = [r for r in data(await run(store, UNTRIAGED))["untriagedCitizenReports"] if r["kind"] == "SIGHTING"]
    candidates = data(await run(store, CANDIDATES, {"id": item["id"]}))["sightingCandidates"]
    assert candidates[0]["case"] == {"id": lost}
    assert {"name", "age", "gender"} <= {f["field"] for f in candidates[0]["factors"]}
    assert error_codes(await run(store, CANDIDATES, {"id": item["id"]}, PUBLIC)) == [("FORBIDDEN", None)]
    outsider = Principal.for_agency(Agency.POLICE, subject="officer-br", state="10")
    assert error_codes(await run(store, CANDIDATES, {"id": item["id"]}, outsider)) == [("NOT_FOUND", None)]
