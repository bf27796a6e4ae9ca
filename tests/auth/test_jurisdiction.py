"""A district officer cannot see, list, fetch or change another district's records by any query shape;
confidential children are seen only by CWC, JJB and DCPU."""

from __future__ import annotations

import json

from tests.factories import HOWRAH, KOLKATA, WB, data, error_codes, exchange_record, run, seed_catalogue, station, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_directory_entries

HOWRAH_POLICE = Principal.for_agency(Agency.POLICE, subject="howrah-officer", state=WB, district=HOWRAH)
KOLKATA_POLICE = Principal.for_agency(Agency.POLICE, subject="kolkata-officer", state=WB, district=KOLKATA)
BIHAR_POLICE = Principal.for_agency(Agency.POLICE, subject="bihar-officer", state="10")
STATE_POLICE = Principal.for_agency(Agency.POLICE, subject="wb-officer", state=WB)
NATIONAL = Principal.for_agency(Agency.CPSU, subject="cpsu-officer")
HOWRAH_CWC = Principal.for_agency(Agency.CWC, subject="howrah-cwc", state=WB, district=HOWRAH)
SEES_ALL = Principal.for_agency(Agency.CWC, subject="national-cwc")  # national and allowed confidential children

ALL = "{ cases(first: 100) { edges { node { id reference child { id } provenance { externalId } } } } }"
BY_ID = "query($id: ID!) { case(id: $id) { id } }"
BY_REFERENCE = "query($r: String!) { case(reference: $r) { id } }"
CHILD = "query($id: ID!) { child(id: $id) { id cases { id } } }"
ENTITIES = (
    "query($reps: [_Any!]!) { _entities(representations: $reps) { ... on MissingCase { id } ... on Child { id } } }"
)
UPDATE = "mutation($i: UpdateCaseInput!) { updateCase(input: $i) { id } }"
REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"


async def _seed(store: Services) -> dict[str, dict[str, str]]:
    """A case in Howrah, one in Kolkata, a confidential child in Howrah: {name: {id, reference, child}}."""
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, [station(1, WB, KOLKATA)])
    records = {
        "howrah": exchange_record(1),
        "kolkata": exchange_record(
            2, place={"state": WB, "district": KOLKATA, "police_station": "PS-19-315-001", "text": "Sealdah"}
        ),
        "confidential": exchange_record(
            3, child={"name": "Protected Child", "gender": "FEMALE", "age_years": 14, "confidential": True}
        ),
    }
    report = await import_cases(store.sessions, [json.dumps(r) for r in records.values()], store.geography, today())
    assert report.created == 3, report.errors
    edges = data(await run(store, ALL, principal=SEES_ALL))["cases"]["edges"]
    by_external = {e["node"]["provenance"]["externalId"]: e["node"] for e in edges}
    return {
        name: {
            "id": by_external[r["external_id"]]["id"],
            "reference": by_external[r["external_id"]]["reference"],
            "child": by_external[r["external_id"]]["child"]["id"],
        }
        for name, r in records.items()
    }


async def _listed(store: Services, principal: Principal) -> set[str]:
    return {e["node"]["id"] for e in data(await run(store, ALL, principal=principal))["cases"]["edges"]}


async def test_lists_are_confined_to_the_jurisdiction(store: Services) -> None:
    cases = await _seed(store)
    assert await _listed(store, HOWRAH_POLICE) == {cases["howrah"]["id"]}
    assert await _listed(store, KOLKATA_POLICE) == {cases["kolkata"]["id"]}
    assert await _listed(store, STATE_POLICE) == {cases["howrah"]["id"], cases["kolkata"]["id"]}
    assert await _listed(store, BIHAR_POLICE) == set()
    assert await _listed(store, NATIONAL) == {cases["howrah"]["id"], cases["kolkata"]["id"]}  # not confidential ones
    assert await _listed(store, HOWRAH_CWC) == {cases["howrah"]["id"], cases["confidential"]["id"]}
    # Filters cannot widen the scope.
    wide = '{ cases(first: 100, filter: {district: "315"}) { edges { node { id } } } }'
    assert data(await run(store, wide, principal=HOWRAH_POLICE))["cases"]["edges"] == []


async def test_outside_records_are_not_found_by_any_door(store: Services) -> None:
    cases = await _seed(store)
    other = cases["kolkata"]
    assert error_codes(await run(store, BY_ID, {"id": other["id"]}, principal=HOWRAH_POLICE)) == [("NOT_FOUND", None)]
    missing = await run(store, BY_ID, {"id": "no-such-id"}, principal=HOWRAH_POLICE)
    assert error_codes(missing) == [("NOT_FOUND", None)]  # indistinguishable from a record that does not exist
    by_reference = await run(store, BY_REFERENCE, {"r": other["reference"]}, principal=HOWRAH_POLICE)
    assert error_codes(by_reference) == [("NOT_FOUND", None)]
    assert error_codes(await run(store, CHILD, {"id": other["child"]}, principal=HOWRAH_POLICE)) == [
        ("NOT_FOUND", None)
    ]

    def reps() -> list[dict[str, str]]:  # fresh each time: strawberry pops __typename from the representations
        return [{"__typename": "MissingCase", "id": other["id"]}, {"__typename": "Child", "id": other["child"]}]

    outside = await run(store, ENTITIES, {"reps": reps()}, principal=HOWRAH_POLICE)
    assert outside.data == {"_entities": [None, None]}
    assert [(e.path, e.extensions["code"]) for e in outside.errors or []] == [  # type: ignore[index]
        (["_entities", 0], "NOT_FOUND"),
        (["_entities", 1], "NOT_FOUND"),
    ]
    change = {"id": other["id"], "version": 1, "placeText": "moved"}
    assert error_codes(await run(store, UPDATE, {"i": change}, principal=HOWRAH_POLICE)) == [("NOT_FOUND", None)]
    # The same doors open for the officer of that district.
    assert data(await run(store, BY_ID, {"id": other["id"]}, principal=KOLKATA_POLICE))["case"] == {"id": other["id"]}
    assert data(await run(store, ENTITIES, {"reps": reps()}, principal=KOLKATA_POLICE))["_entities"] == [
        {"id": other["id"]},
        {"id": other["child"]},
    ]


async def test_confidential_children_only_for_cwc_jjb_dcpu(store: Services) -> None:
    cases = await _seed(store)
    hidden = cases["confidential"]
    for principal in (HOWRAH_POLICE, STATE_POLICE, NATIONAL):
        assert error_codes(await run(store, BY_ID, {"id": hidden["id"]}, principal=principal)) == [("NOT_FOUND", None)]
        child = await run(store, CHILD, {"id": hidden["child"]}, principal=principal)
        assert error_codes(child) == [("NOT_FOUND", None)]
    for agency in (Agency.CWC, Agency.JJB, Agency.DCPU):
        officer = Principal.for_agency(agency, subject=f"howrah-{agency.value}", state=WB, district=HOWRAH)
        assert data(await run(store, BY_ID, {"id": hidden["id"]}, principal=officer))["case"] == {"id": hidden["id"]}


async def test_writes_stay_inside_the_jurisdiction(store: Services) -> None:
    from tests.factories import missing_input

    await seed_catalogue(store)
    outside = missing_input(place={"state": WB, "district": KOLKATA, "text": "Sealdah"})
    assert error_codes(await run(store, REPORT, {"i": outside}, principal=HOWRAH_POLICE)) == [("FORBIDDEN", None)]
    inside = missing_input()
    assert data(await run(store, REPORT, {"i": inside}, principal=HOWRAH_POLICE))["reportMissing"]["id"]
