"""Directory queries and maintenance on both databases: typo-tolerant search, nearest, coverage, scoped writes,
functionary contacts, the quality report."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tests.factories import BIHAR, HOWRAH, KOLKATA, NGO, PATNA, POLICE, PUBLIC, WB, data, error_codes, run, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.directories.geo import haversine_km
from trackchild_hub.directories.quality import STALE_AFTER
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.functionaries import AGENCIES
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import DirectoryChangeRow, DirectoryEntryRow

HOWRAH_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-howrah", state=WB, district=HOWRAH)
WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb", state=WB)

SEARCH = """query($text: String!, $kinds: [DirectoryKind!], $after: String) {
  directory(filter: {text: $text, kinds: $kinds}, first: 2, after: $after) {
    edges { node { id name } } pageInfo { hasNextPage endCursor } } }"""
NEAREST = """query($lat: Float!, $lon: Float!, $first: Int!) {
  nearest(kind: POLICE_STATION, latitude: $lat, longitude: $lon, first: $first) { distanceKm entry { id } } }"""
COVERING = """query($state: String!, $district: String, $pin: String) {
  coveringBodies(state: $state, district: $district, pinCode: $pin) {
    district { code } policeStations { id } childWelfareCommittees { id } districtChildProtectionUnits { id } } }"""
ENTRY = """query { directory(filter: {kinds: [POLICE_STATION], district: "313"}, first: 1) { edges { node { id
  functionaries { designation name phones email } coverage { pinCodes districts { code } }
  ... on PoliceStation { specialJuvenilePoliceUnit { id } } } } } }"""
UPSERT = """mutation($input: UpsertDirectoryEntryInput!) { upsertDirectoryEntry(input: $input) {
  id name pinCode lastVerifiedOn functionaries { name } } }"""
RETIRE = "mutation($id: ID!) { retireDirectoryEntry(id: $id) { id } }"
CHANGES = "query($id: ID!) { directoryChanges(entryId: $id) { action fields actor agency via } }"
QUALITY = """query { directoryQuality(state: "19", district: "313") { entries staleCount withoutPhoneCount
  stationsWithoutSjpuCount stale { id } withoutPhone { id } stationsWithoutSjpu { id }
  districtGaps { district { code } missing } } }"""


def _body(n: int, kind: str, name: str, district: str = HOWRAH, state: str = WB, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"T-{kind[:4]}-{district}-{n}",
        "kind": kind,
        "name": name,
        "state": state,
        "district": district,
        "phones": ["+913326412345"],
        "latitude": 22.59,
        "longitude": 88.31,
        "pin_code": "711101",
        **extra,
    }


async def _seed(services: Services, records: list[dict[str, Any]], verified: date | None = None) -> None:
    """Entries verified ``verified`` (default: a month before today, so fresh whenever the suite runs)."""
    verified = verified or today() - timedelta(days=30)
    async with services.sessions() as session, session.begin():
        await add_directory_entries(session, records, verified_on=verified)


def _ids(result: Any, field: str = "directory") -> list[str]:
    return [e["node"]["id"] for e in data(result)[field]["edges"]]


async def test_misspelt_search_finds_howrah_and_pages(store: Services) -> None:
    await _seed(
        store,
        [
            _body(1, "POLICE_STATION", "Howrah Police Station"),
            _body(2, "POLICE_STATION", "Golabari Police Station", address="GT Road, Howrah 711101"),
            _body(3, "POLICE_STATION", "Bally Police Station"),
            _body(4, "CHILD_WELFARE_COMMITTEE", "Child Welfare Committee, Howrah"),
        ],
    )
    first = await run(store, SEARCH, {"text": "Howra police"}, PUBLIC)
    assert _ids(first) == ["T-POLI-313-1", "T-POLI-313-2"]  # the name match before the address match
    assert data(first)["directory"]["pageInfo"]["hasNextPage"] is False
    typo = await run(store, SEARCH, {"text": "Hwrah", "kinds": ["CHILD_WELFARE_COMMITTEE"]}, PUBLIC)
    assert _ids(typo) == ["T-CHIL-313-4"]
    everything = await run(store, SEARCH, {"text": "howrah"}, PUBLIC)
    cursor = data(everything)["directory"]["pageInfo"]["endCursor"]
    assert data(everything)["directory"]["pageInfo"]["hasNextPage"] is True
    rest = await run(store, SEARCH, {"text": "howrah", "after": cursor}, PUBLIC)
    assert set(_ids(everything)) | set(_ids(rest)) == {"T-POLI-313-1", "T-POLI-313-2", "T-CHIL-313-4"}
    assert (await run(store, SEARCH, {"text": "Kolkata"}, PUBLIC)).data["directory"]["edges"] == []  # type: ignore[index]


async def test_nearest_agrees_with_brute_force_haversine(store: Services) -> None:
    rng = random.Random(11)
    points = [(rng.uniform(21.5, 27.5), rng.uniform(84.0, 89.0)) for _ in range(300)]
    await _seed(
        store,
        [
            _body(i, "POLICE_STATION", f"Station {i}", latitude=lat, longitude=lon)
            for i, (lat, lon) in enumerate(points)
        ],
    )
    for lat, lon, first in [(22.58, 88.34, 5), (25.6, 85.1, 12), (30.0, 78.0, 3), (23.0, 86.0, 1)]:
        result = data(await run(store, NEAREST, {"lat": lat, "lon": lon, "first": first}, PUBLIC))["nearest"]
        brute = sorted((haversine_km(lat, lon, plat, plon), i) for i, (plat, plon) in enumerate(points))[:first]
        assert [r["entry"]["id"] for r in result] == [f"T-POLI-313-{i}" for _, i in brute]
        assert [r["distanceKm"] for r in result] == [round(km, 3) for km, _ in brute]
    bad = await run(store, NEAREST, {"lat": 95.0, "lon": 88.0, "first": 3}, PUBLIC)
    assert error_codes(bad) == [("BAD_USER_INPUT", "latitude")]


async def test_covering_bodies_by_pin_and_district(store: Services) -> None:
    await _seed(
        store,
        [
            _body(1, "POLICE_STATION", "Howrah PS", pin_code="711101"),
            _body(2, "POLICE_STATION", "Bally PS", pin_code="711201", covers_pin_codes=["711201", "711202"]),
            _body(3, "CHILD_WELFARE_COMMITTEE", "CWC Howrah"),
            _body(4, "DISTRICT_CHILD_PROTECTION_UNIT", "DCPU Howrah"),
            _body(5, "CHILD_WELFARE_COMMITTEE", "CWC Kolkata", district=KOLKATA, covers_districts=[KOLKATA, HOWRAH]),
            _body(6, "DISTRICT_CHILD_PROTECTION_UNIT", "DCPU Patna", district=PATNA, state=BIHAR),
        ],
    )
    by_pin = data(await run(store, COVERING, {"state": WB, "pin": "711202"}, PUBLIC))["coveringBodies"]
    assert by_pin["district"] == {"code": HOWRAH}  # told by the PIN's police station
    assert by_pin["policeStations"] == [{"id": "T-POLI-313-2"}]
    assert by_pin["childWelfareCommittees"] == [{"id": "T-CHIL-313-3"}, {"id": "T-CHIL-315-5"}]
    assert by_pin["districtChildProtectionUnits"] == [{"id": "T-DIST-313-4"}]
    own_pin = data(await run(store, COVERING, {"state": WB, "district": HOWRAH, "pin": "711101"}, PUBLIC))
    assert own_pin["coveringBodies"]["policeStations"] == [{"id": "T-POLI-313-1"}]
    kolkata = data(await run(store, COVERING, {"state": WB, "district": KOLKATA}, PUBLIC))["coveringBodies"]
    assert kolkata["childWelfareCommittees"] == [{"id": "T-CHIL-315-5"}]
    assert kolkata["districtChildProtectionUnits"] == []
    wrong = await run(store, COVERING, {"state": WB, "district": PATNA}, PUBLIC)
    assert error_codes(wrong) == [("BAD_USER_INPUT", "district")]


async def test_functionary_contacts_only_for_agencies(store: Services) -> None:
    sjpu = _body(9, "SPECIAL_JUVENILE_POLICE_UNIT", "SJPU Howrah")
    person = {"designation": "Officer-in-Charge", "name": "A. Das", "phones": ["+919830000001"], "email": "oc@wbp.in"}
    await _seed(store, [sjpu, _body(1, "POLICE_STATION", "Howrah PS", functionaries=[person], sjpu=sjpu["id"])])
    public = await run(store, ENTRY, None, PUBLIC)
    node = public.data["directory"]["edges"][0]["node"]  # type: ignore[index]
    assert node["functionaries"] == [
        {"designation": "Officer-in-Charge", "name": "A. Das", "phones": None, "email": None}
    ]
    assert {code for code, _ in error_codes(public)} == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    assert node["specialJuvenilePoliceUnit"] == {"id": sjpu["id"]}
    for agency in (NGO, POLICE, HOWRAH_DCPU):
        seen = data(await run(store, ENTRY, None, agency))["directory"]["edges"][0]["node"]["functionaries"][0]
        assert (seen["phones"], seen["email"]) == (["+919830000001"], "oc@wbp.in")


async def test_functionary_contacts_for_every_role(store: Services) -> None:
    person = {"designation": "SHO", "name": "B. Roy", "phones": ["+919830000002"], "email": "sho@wbp.in"}
    await _seed(store, [_body(1, "POLICE_STATION", "Howrah PS", functionaries=[person])])
    for agency in Agency:
        principal = Principal.for_agency(agency, subject=f"{agency.value}-1")
        allowed = principal.satisfies(AGENCIES)
        result = await run(store, ENTRY, None, principal)
        seen = result.data["directory"]["edges"][0]["node"]["functionaries"][0]  # type: ignore[index]
        assert (seen["phones"] is not None, seen["email"] is not None) == (allowed, allowed), agency
        assert allowed  # every agency role holds cases:read: all authenticated agencies see contacts
    assert not PUBLIC.satisfies(AGENCIES)


def _input(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": "PS-19-313-050",
        "kind": "POLICE_STATION",
        "name": "Golabari Police Station",
        "code": "19313050",
        "state": WB,
        "district": HOWRAH,
        "pinCode": "711101",
        "latitude": 22.59,
        "longitude": 88.33,
        "phones": ["033 2641 2345"],
        "functionaries": [{"designation": "SHO", "name": "B. Roy", "phones": ["9830000002"]}],
    }
    value.update(overrides)
    return value


async def test_writes_stay_inside_the_jurisdiction_and_are_recorded(store: Services) -> None:
    created = data(await run(store, UPSERT, {"input": _input()}, HOWRAH_DCPU))["upsertDirectoryEntry"]
    assert created["functionaries"] == [{"name": "B. Roy"}]
    assert created["lastVerifiedOn"] is not None
    renamed = await run(store, UPSERT, {"input": _input(name="Golabari PS")}, WB_SCPS)
    assert data(renamed)["upsertDirectoryEntry"]["name"] == "Golabari PS"
    same = await run(store, UPSERT, {"input": _input(name="Golabari PS")}, WB_SCPS)
    assert data(same)["upsertDirectoryEntry"]["name"] == "Golabari PS"
    # Refused: another district, another state, moving an entry out, no directory:write.
    elsewhere = _input(id="PS-19-315-001", district=KOLKATA, code="19315001")
    assert error_codes(await run(store, UPSERT, {"input": elsewhere}, HOWRAH_DCPU)) == [("FORBIDDEN", None)]
    patna = _input(id="PS-10-212-001", state=BIHAR, district=PATNA, code="10212001", pinCode="800001")
    assert error_codes(await run(store, UPSERT, {"input": patna}, WB_SCPS)) == [("FORBIDDEN", None)]
    moved = _input(state=BIHAR, district=PATNA, pinCode="800001")
    assert error_codes(await run(store, UPSERT, {"input": moved}, WB_SCPS)) == [("FORBIDDEN", None)]
    assert error_codes(await run(store, UPSERT, {"input": _input()}, POLICE)) == [("FORBIDDEN", None)]
    assert error_codes(await run(store, RETIRE, {"id": "PS-19-313-050"}, PUBLIC)) == [("FORBIDDEN", None)]
    retired = await run(store, RETIRE, {"id": "PS-19-313-050"}, HOWRAH_DCPU)
    assert data(retired)["retireDirectoryEntry"]["id"] == "PS-19-313-050"
    history = data(await run(store, CHANGES, {"id": "PS-19-313-050"}, WB_SCPS))["directoryChanges"]
    assert [(h["action"], h["actor"], h["agency"]) for h in history] == [
        ("RETIRED", "dcpu-howrah", "dcpu"),
        ("UPDATED", "scps-wb", "scps"),
        ("CREATED", "dcpu-howrah", "dcpu"),
    ]
    assert history[1]["fields"] == ["name"]
    assert error_codes(await run(store, CHANGES, {"id": "PS-19-313-050"}, PUBLIC)) == [("FORBIDDEN", None)]
    gone = await run(store, SEARCH, {"text": "Golabari"}, PUBLIC)
    assert _ids(gone) == []


async def test_bad_input_names_the_field_and_writes_nothing(store: Services) -> None:
    cases = [
        ({"pinCode": "7111"}, "input.pinCode"),
        ({"latitude": 40.7, "longitude": -74.0}, "input.latitude"),
        ({"district": PATNA}, "input.district"),
        ({"phones": ["12"]}, "input.phones.0"),
        ({"email": "not-an-address"}, "input.email"),
        ({"functionaries": [{"designation": "SHO", "name": "X", "phones": ["1"]}]}, "input.functionaries.0.phones.0"),
        ({"specialJuvenilePoliceUnit": "NO-SUCH-UNIT"}, "input.specialJuvenilePoliceUnit"),
    ]
    for overrides, field in cases:
        result = await run(store, UPSERT, {"input": _input(**overrides)}, WB_SCPS)
        assert error_codes(result) == [("BAD_USER_INPUT", field)], overrides
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DirectoryEntryRow)) == 0
        assert await session.scalar(select(func.count()).select_from(DirectoryChangeRow)) == 0


async def test_quality_report_for_a_district(store: Services) -> None:
    await _seed(store, [_body(1, "SPECIAL_JUVENILE_POLICE_UNIT", "SJPU Howrah")])
    await _seed(
        store,
        [
            _body(2, "POLICE_STATION", "Covered PS", sjpu="T-SPEC-313-1"),
            _body(3, "POLICE_STATION", "Uncovered PS", phones=[]),
            _body(4, "CHILD_WELFARE_COMMITTEE", "CWC Howrah"),
        ],
        verified=today() - STALE_AFTER - timedelta(days=1),  # a day past the limit, whenever the suite runs
    )
    report = data(await run(store, QUALITY, None, HOWRAH_DCPU))["directoryQuality"]
    assert report["entries"] == 4
    assert report["staleCount"] == 3
    assert [e["id"] for e in report["stale"]] == ["T-CHIL-313-4", "T-POLI-313-2", "T-POLI-313-3"]
    assert [e["id"] for e in report["withoutPhone"]] == ["T-POLI-313-3"]
    assert [e["id"] for e in report["stationsWithoutSjpu"]] == ["T-POLI-313-3"]
    assert report["districtGaps"] == [
        {"district": {"code": HOWRAH}, "missing": ["JUVENILE_JUSTICE_BOARD", "DISTRICT_CHILD_PROTECTION_UNIT"]}
    ]
    assert error_codes(await run(store, QUALITY, None, NGO)) == [("FORBIDDEN", None)]
    kolkata_dcpu = Principal.for_agency(Agency.DCPU, subject="dcpu-kol", state=WB, district=KOLKATA)
    assert error_codes(await run(store, QUALITY, None, kolkata_dcpu)) == [("FORBIDDEN", None)]
