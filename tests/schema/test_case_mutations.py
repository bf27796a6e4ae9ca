"""Creating and changing cases through GraphQL, on both databases."""

from __future__ import annotations

import pytest

from tests.factories import (
    BIHAR,
    HOWRAH,
    NGO,
    PATNA,
    PUBLIC,
    WB,
    admission_input,
    case_count,
    data,
    error_codes,
    found_input,
    missing_input,
    run,
    seed_catalogue,
)
from trackchild_hub.resolvers.context import Services

REPORT_MISSING = """
mutation($input: ReportMissingInput!) {
  reportMissing(input: $input) {
    id reference status version kind daysMissing
    fir { number }
    place { state { code } district { name } policeStation { id name } }
    child { name aliases currentAge guardians { relation name phone } }
    provenance { source externalId }
    events { type actor }
  }
}"""
REPORT_FOUND = """
mutation($input: ReportFoundInput!) { reportFound(input: $input) { id reference foundBy child { id } } }"""
ADMIT = """
mutation($input: AdmitToInstitutionInput!) {
  admitToInstitution(input: $input) {
    id reference admissionDate place { district { code } } institution { registrationNumber occupancy }
  }
}"""
UPDATE = """
mutation($input: UpdateCaseInput!) {
  updateCase(input: $input) { version child { name ageYears aliases } events { type fields } }
}"""
TRANSFER = """
mutation($input: TransferCaseInput!) {
  transferCase(input: $input) { version place { state { code } district { code } policeStation { id } } }
}"""
CLOSE = """
mutation($input: CloseCaseInput!) { closeCase(input: $input) { status closureReason version } }"""
CASE_BY_REFERENCE = "query($r: String!) { case(reference: $r) { id reference } }"


async def test_report_missing_stores_everything(store: Services) -> None:
    await seed_catalogue(store)
    result = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    assert result["reference"].startswith("WB-20")
    assert result["status"] == "OPEN"
    assert result["version"] == 1
    assert result["kind"] == "MISSING"
    assert result["daysMissing"] == 10
    assert result["fir"] == {"number": "123/2026"}
    assert result["place"]["policeStation"]["id"] == "PS-19-313-001"
    assert result["place"]["district"]["name"] == "Howrah"
    assert result["child"]["guardians"] == [{"relation": "FATHER", "name": "Suresh Kumar", "phone": "+919800000000"}]
    assert result["child"]["aliases"] == ["Raju"]
    assert result["provenance"] == {"source": "hub", "externalId": result["id"]}
    assert result["events"] == [{"type": "REPORTED", "actor": "officer-1"}]
    again = data(await run(store, CASE_BY_REFERENCE, {"r": result["reference"]}))["case"]
    assert again["id"] == result["id"]


async def test_references_count_up_per_state_and_year(store: Services) -> None:
    await seed_catalogue(store)
    refs = [
        data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]["reference"]
        for _ in range(3)
    ]
    sequences = [int(r.rsplit("-", 1)[1]) for r in refs]
    assert sequences == [1, 2, 3]
    found = data(await run(store, REPORT_FOUND, {"input": found_input()}))["reportFound"]
    assert found["reference"].startswith("BR-")
    assert found["reference"].endswith("-000001")


async def test_mutations_need_cases_write(store: Services) -> None:
    await seed_catalogue(store)
    for principal in (PUBLIC, NGO):
        result = await run(store, REPORT_MISSING, {"input": missing_input()}, principal=principal)
        assert error_codes(result) == [("FORBIDDEN", None)]
    assert await case_count(store) == 0


async def test_admit_existing_found_child_to_institution(store: Services) -> None:
    await seed_catalogue(store)
    found = data(await run(store, REPORT_FOUND, {"input": found_input()}))["reportFound"]
    care = data(await run(store, ADMIT, {"input": admission_input(found["child"]["id"])}))["admitToInstitution"]
    assert care["institution"] == {"registrationNumber": "WB/CCI/2020/0001", "occupancy": 1}
    assert care["place"]["district"]["code"] == HOWRAH
    child = data(
        await run(store, "query($id: ID!) { child(id: $id) { cases { kind } } }", {"id": found["child"]["id"]})
    )["child"]
    assert [c["kind"] for c in child["cases"]] == ["FOUND", "CARE"]


async def test_update_with_stale_version_conflicts_and_changes_nothing(store: Services) -> None:
    await seed_catalogue(store)
    case = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    first = {"id": case["id"], "version": 1, "child": {"ageYears": 10, "aliases": ["Raju", "Munna"]}}
    updated = data(await run(store, UPDATE, {"input": first}))["updateCase"]
    assert updated["version"] == 2
    assert updated["child"]["ageYears"] == 10
    assert updated["child"]["aliases"] == ["Raju", "Munna"]
    assert updated["events"][-1] == {"type": "UPDATED", "fields": ["child.ageYears", "child.aliases"]}
    stale = {"id": case["id"], "version": 1, "child": {"name": "Someone Else"}}
    result = await run(store, UPDATE, {"input": stale})
    assert error_codes(result) == [("CONFLICT", None)]
    current = data(
        await run(store, "query($id: ID!) { case(id: $id) { version child { name } } }", {"id": case["id"]})
    )["case"]
    assert current == {"version": 2, "child": {"name": "Rahul Kumar"}}


async def test_update_validates_child_fields(store: Services) -> None:
    await seed_catalogue(store)
    case = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    result = await run(store, UPDATE, {"input": {"id": case["id"], "version": 1, "child": {"ageYears": 19}}})
    assert error_codes(result) == [("BAD_USER_INPUT", "input.child.ageYears")]
    many = {"aliases": [f"Monu {i}" for i in range(21)]}  # a name word is a matching key: lists are bounded
    result = await run(store, UPDATE, {"input": {"id": case["id"], "version": 1, "child": many}})
    assert error_codes(result) == [("BAD_USER_INPUT", "input.child.aliases")]
    current = data(await run(store, "query($id: ID!) { case(id: $id) { version child { aliases } } }", case))
    assert current["case"] == {"version": 1, "child": {"aliases": ["Raju"]}}
    result = await run(store, UPDATE, {"input": {"id": "nope", "version": 1, "placeText": "x"}})
    assert error_codes(result) == [("NOT_FOUND", None)]


async def test_transfer_and_close(store: Services) -> None:
    await seed_catalogue(store)
    case = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    move = {"id": case["id"], "version": 1, "state": BIHAR, "district": PATNA, "note": "family moved"}
    moved = data(await run(store, TRANSFER, {"input": move}))["transferCase"]
    assert moved["place"] == {"state": {"code": BIHAR}, "district": {"code": PATNA}, "policeStation": None}
    bad = {"id": case["id"], "version": 2, "state": BIHAR, "district": HOWRAH}
    assert error_codes(await run(store, TRANSFER, {"input": bad})) == [("BAD_USER_INPUT", "input.district")]
    wrong_station = {"id": case["id"], "version": 2, "state": BIHAR, "policeStation": "PS-19-313-001"}
    assert error_codes(await run(store, TRANSFER, {"input": wrong_station})) == [
        ("BAD_USER_INPUT", "input.policeStation")
    ]
    closed = data(
        await run(
            store,
            CLOSE,
            {
                "input": {
                    "id": case["id"],
                    "version": 2,
                    "outcome": "RESOLVED",
                    "reason": "traced and restored to family",
                }
            },
        )
    )["closeCase"]
    assert closed == {"status": "RESOLVED", "closureReason": "traced and restored to family", "version": 3}
    again = await run(store, CLOSE, {"input": {"id": case["id"], "version": 3, "outcome": "CLOSED", "reason": "x"}})
    assert error_codes(again) == [("CONFLICT", None)]


@pytest.mark.parametrize(("state", "district"), [(WB, HOWRAH), (BIHAR, PATNA)])
async def test_public_sees_no_identity(store: Services, state: str, district: str) -> None:
    await seed_catalogue(store)
    place = {"state": state, "district": district, "text": "railway station"}
    case = data(await run(store, REPORT_MISSING, {"input": missing_input(place=place)}))["reportMissing"]
    assert case["place"]["state"] == {"code": state}
    query = """query($id: ID!) {
      case(id: $id) { reference place { state { code } } child { gender name guardians { name } } } }"""
    refused = await run(store, query, {"id": case["id"]}, principal=PUBLIC)
    assert error_codes(refused) == [("FORBIDDEN", None)]
    result = await run(store, query, {"id": case["id"]}, principal=NGO)
    assert result.data == {
        "case": {
            "reference": case["reference"],
            "place": {"state": {"code": state}},
            "child": {"gender": "MALE", "name": None, "guardians": None},
        }
    }
    assert sorted((e.extensions["code"], tuple(e.path)) for e in result.errors or []) == [  # type: ignore[index, arg-type]
        ("UNAUTHORIZED_FIELD_OR_TYPE", ("case", "child", "guardians")),
        ("UNAUTHORIZED_FIELD_OR_TYPE", ("case", "child", "name")),
    ]


async def test_renaming_a_child_keeps_aliases_searchable(store: Services) -> None:
    await seed_catalogue(store)
    case = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    renamed = {"id": case["id"], "version": 1, "child": {"name": "Rahul Kumar Sharma"}}
    data(await run(store, UPDATE, {"input": renamed}))
    query = "query($n: String!) { cases(first: 5, filter: {name: $n}) { edges { node { id } } } }"
    for words in ("sharma", "raju"):
        edges = data(await run(store, query, {"n": words}))["cases"]["edges"]
        assert [e["node"]["id"] for e in edges] == [case["id"]], words


async def test_updates_name_the_offending_input_field(store: Services) -> None:
    await seed_catalogue(store)
    case = data(await run(store, REPORT_MISSING, {"input": missing_input()}))["reportMissing"]
    placement = {"id": case["id"], "version": 1, "currentPlacement": "shelter"}
    assert error_codes(await run(store, UPDATE, {"input": placement})) == [("BAD_USER_INPUT", "input.currentPlacement")]
    nothing = {"id": case["id"], "version": 1}
    assert error_codes(await run(store, UPDATE, {"input": nothing})) == [("BAD_USER_INPUT", "input")]
    reopen = {"id": case["id"], "version": 1, "outcome": "OPEN", "reason": "x"}
    assert error_codes(await run(store, CLOSE, {"input": reopen})) == [("BAD_USER_INPUT", "input.outcome")]
    current = data(await run(store, "query($id: ID!) { case(id: $id) { version status } }", {"id": case["id"]}))
    assert current["case"] == {"version": 1, "status": "OPEN"}
