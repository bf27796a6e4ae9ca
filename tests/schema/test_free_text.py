"""Issue 10, hole 6: free text officers and reporters write (circumstances, placement, closure reasons, notes) tells a
child's story and can identify them: served with child:identity only, however it is asked for."""

from __future__ import annotations

from typing import Any

from tests.factories import NGO, POLICE, data, found_input, missing_input, run, seed_catalogue, today
from trackchild_hub.resolvers.context import Services

STORY = "left with a man from a nearby village"
REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
FOUND = "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }"
ADMIT = "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }"
CLOSE = "mutation($i: CloseCaseInput!) { closeCase(input: $i) { id } }"
READ = """
query($missing: ID!, $found: ID!, $care: ID!) {
  missing: case(id: $missing) { closureReason ... on MissingCase { circumstances } }
  found: case(id: $found) { ... on FoundCase { currentPlacement closureReason } }
  care: case(id: $care) { ... on CareCase { closureReason } }
}"""
ENTITIES = """
query($reps: [_Any!]!) { _entities(representations: $reps) { ... on MissingCase { circumstances closureReason } } }"""


async def _seed(store: Services) -> dict[str, str]:
    await seed_catalogue(store)
    ids = {
        "missing": data(await run(store, REPORT, {"i": missing_input(circumstances=STORY)}))["reportMissing"]["id"],
        "found": data(await run(store, FOUND, {"i": found_input(currentPlacement="with uncle Ramesh, Patna")}))[
            "reportFound"
        ]["id"],
    }
    admit = {"institution": "WB/CCI/2020/0001", "admissionDate": today().isoformat(), "child": {"ageYears": 8}}
    ids["care"] = data(await run(store, ADMIT, {"i": admit}))["admitToInstitution"]["id"]
    for kind in ("missing", "care"):
        close = {"id": ids[kind], "version": 1, "outcome": "RESOLVED", "reason": "restored to father Suresh"}
        data(await run(store, CLOSE, {"i": close}))
    return ids


async def test_an_ngo_reads_no_story_and_police_read_it(store: Services) -> None:
    ids = await _seed(store)
    withheld = await run(store, READ, ids, principal=NGO)
    assert withheld.data == {
        "missing": {"closureReason": None, "circumstances": None},
        "found": {"currentPlacement": None, "closureReason": None},
        "care": {"closureReason": None},
    }
    denied = {(tuple(e.path or ()), (e.extensions or {})["code"]) for e in withheld.errors or []}
    assert denied == {
        (("missing", "closureReason"), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("missing", "circumstances"), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("found", "currentPlacement"), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("found", "closureReason"), "UNAUTHORIZED_FIELD_OR_TYPE"),
        (("care", "closureReason"), "UNAUTHORIZED_FIELD_OR_TYPE"),
    }
    served: dict[str, Any] = data(await run(store, READ, ids, principal=POLICE))
    assert served == {
        "missing": {"closureReason": "restored to father Suresh", "circumstances": STORY},
        "found": {"currentPlacement": "with uncle Ramesh, Patna", "closureReason": None},
        "care": {"closureReason": "restored to father Suresh"},
    }


async def test_no_story_through_entities_either(store: Services) -> None:
    ids = await _seed(store)
    result = await run(store, ENTITIES, {"reps": [{"__typename": "MissingCase", "id": ids["missing"]}]}, NGO)
    assert result.data == {"_entities": [{"circumstances": None, "closureReason": None}]}
    assert sorted(tuple(e.path or ()) for e in result.errors or []) == [
        ("_entities", 0, "circumstances"),
        ("_entities", 0, "closureReason"),
    ]
