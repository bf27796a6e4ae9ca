"""``cases(sources:)`` pages showing live records' police stations and institutions: the names the hub's directory
gives them, looked up as each system answers and kept per process until the directory or institutions change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories import POLICE, WB, data, run
from tests.schema import test_federated_cases as federated
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.connectors.port import MAX_SEARCH_LIMIT, SearchCriteria
from trackchild_hub.domain.records import CaseData
from trackchild_hub.resolvers import remote_cases
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.simulator.data import TODAY
from trackchild_hub.store.case_references import institution_refs
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.named_records import named_records

pytestmark = pytest.mark.slow

SYSTEMS = federated.SYSTEMS
upstreams, sent, hub = federated.upstreams, federated.sent, federated.hub  # its simulators and hub, for this module

WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb", state=WB)
PLACED = """
query ($sources: [String!]) {
  cases(sources: $sources, first: 40) {
    edges { node { id provenance { source externalId } place { policeStation { id name } }
      ... on CareCase { institution { name } } ... on FoundCase { institution { name } } } }
  }
}
"""
UPSERT = "mutation($input: UpsertDirectoryEntryInput!) { upsertDirectoryEntry(input: $input) { id name } }"
RETIRE = "mutation($id: ID!) { retireDirectoryEntry(id: $id) { id } }"


async def _directory(services: Services) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The simulators' police stations and institutions (the demo world each is generated from: seed 1, 90 cases)
    stored in the hub's directory; returns stations by id and by code, and institution names by registration number."""
    stations: dict[str, dict[str, Any]] = {}
    institutions: dict[str, dict[str, Any]] = {}
    for _, state, _ in SYSTEMS.values():
        demo = generate_demo(services.geography, seed=1, today=TODAY, states=(state,), cases=90)
        for entry in demo.directory:
            if entry["kind"] == "POLICE_STATION":
                stations.update({entry["id"]: entry, entry["code"]: entry})
        institutions.update((i["registration_number"], i) for i in demo.institutions)
    async with services.sessions() as session, session.begin():
        await add_institutions(session, list(institutions.values()))
        await add_directory_entries(session, list({e["id"]: e for e in stations.values()}.values()))
    return stations, {k: i["name"] for k, i in institutions.items()}


async def _upstream(services: Services) -> dict[str, CaseData]:
    """Every record the systems hold, by the id the hub gives a live record."""
    out = {}
    for connector in services.connectors:
        for case in (await connector.search(SearchCriteria(limit=MAX_SEARCH_LIMIT))).items:
            out[f"remote:{case.source}:{case.external_id}"] = case
    return out


def _page(result: Any) -> dict[str, dict[str, Any]]:
    return {e["node"]["id"]: e["node"] for e in data(result)["cases"]["edges"]}


async def test_live_pages_name_stations_and_institutions_and_show_directory_changes_at_once(
    hub: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    stations, institutions = await _directory(hub)
    truth = await _upstream(hub)
    reads: list[tuple[set[str], set[str]]] = []  # the station and institution refs each store read asked for
    real = named_records

    async def spy(session: Any, station_refs: set[str], institution_refs_: set[str]) -> Any:
        reads.append((set(station_refs), set(institution_refs_)))
        return await real(session, station_refs, institution_refs_)

    monkeypatch.setattr("trackchild_hub.resolvers.remote_cases.named_records", spy)
    variables = {"sources": list(SYSTEMS)}

    page = _page(await run(hub, PLACED, variables))
    assert len(page) == 40
    for case_id, node in page.items():
        case = truth[case_id]
        station = node["place"]["policeStation"]
        code = case.place.police_station
        assert (station or {}).get("name") == (stations[code]["name"] if code else None), case_id
        if code:
            assert station["id"] == stations[code]["id"]
        named = institution_refs(case)
        if named:
            assert node["institution"] == {"name": institutions[named[0]]}, case_id
    named_stations = {truth[i].place.police_station for i in page} - {None}
    assert len(named_stations) > 10
    assert reads
    assert set().union(*(s for s, _ in reads)) >= named_stations

    reads.clear()
    assert _page(await run(hub, PLACED, variables)) == page
    assert reads == []  # the process's cache answered: no store read after the systems

    # A rename through the API shows on the very next request, as does a retirement.
    wb_id = next(i for i in page if truth[i].source == "police-19" and truth[i].place.police_station)
    entry = stations[truth[wb_id].place.police_station or ""]
    renamed = {
        "id": entry["id"],
        "kind": "POLICE_STATION",
        "name": "Renamed Police Station",
        "code": entry["code"],
        "state": entry["state"],
        "district": entry["district"],
        "pinCode": entry.get("pin_code"),
        "latitude": entry.get("latitude"),
        "longitude": entry.get("longitude"),
        "phones": entry.get("phones") or [],
    }
    assert data(await run(hub, UPSERT, {"input": renamed}, WB_SCPS))["upsertDirectoryEntry"]["name"] == renamed["name"]
    after_rename = _page(await run(hub, PLACED, variables))
    assert after_rename[wb_id]["place"]["policeStation"] == {"id": entry["id"], "name": "Renamed Police Station"}
    same_station = [i for i in page if stations.get(truth[i].place.police_station or "") is entry]
    assert all(after_rename[i]["place"]["policeStation"]["name"] == "Renamed Police Station" for i in same_station)

    data(await run(hub, RETIRE, {"id": entry["id"]}, WB_SCPS))
    after_retire = _page(await run(hub, PLACED, variables))
    assert after_retire[wb_id]["place"]["policeStation"] is None  # retired: no longer resolves
    others = [i for i in page if stations.get(truth[i].place.police_station or "") not in (None, entry)]
    assert all(after_retire[i]["place"] == page[i]["place"] for i in others)


async def test_settling_provisional_rows_gives_the_rows_resolving_builds(hub: Services) -> None:
    """``settle`` reuses a live record's provisional row and fills in its references: the same row as building it
    with the references resolved, for every kind, a station the directory lacks and one in another district."""
    await _directory(hub)
    cases = list((await _upstream(hub)).values())
    unknown = replace(cases[0], place=replace(cases[0].place, police_station="PS-NOT-KNOWN"))
    elsewhere = next(c for c in cases if c.place.police_station and c.place.district)
    state = hub.geography.state(elsewhere.place.state)
    assert state is not None
    other = next(d.code for d in state.districts if d.code != elsewhere.place.district)
    moved = replace(elsewhere, place=replace(elsewhere.place, district=other))
    cases += [replace(unknown, external_id="X-1"), replace(moved, external_id="X-2")]
    async with hub.sessions() as session:
        lookup = await remote_cases.look_up(Context(services=hub, session=session, principal=POLICE), cases)
    now = datetime.now(UTC)
    built = remote_cases.resolved_cases(cases, lookup, now)
    settled = remote_cases.settled_cases(remote_cases.provisional_cases(cases, now), lookup)
    assert [vars(r.row) for r in settled] == [vars(r.row) for r in built]
    assert all(r.settled for r in settled)
    assert sum(r.row.police_station_id is not None for r in built) > 100
    assert sum(getattr(r.row, "institution_id", None) is not None for r in built) > 10
    assert built[-2].row.extra["unresolved"] == {"place.police_station": "PS-NOT-KNOWN"}
    assert built[-1].row.police_station_id is None  # not this record's district: left out
