"""Institutions' own record (issue 14) through GraphQL, on both backends: infrastructure and inspections versioned
with who and when; writes with institutions:write inside the writer's jurisdiction; the record read with reports:read
or institutions:write, field by field for every role; staleInstitutions and overCapacityInstitutions computed in SQL
within the reader's jurisdiction, paged, over thousands of children in care."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, update

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, WB, data, error_codes, institution, run, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_institutions
from trackchild_hub.store.models import CareCaseRow, CareEntryRow, CaseRow, ChildRow
from trackchild_hub.store.models.base import new_id

HOWRAH_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-howrah-1", state=WB, district=HOWRAH)
WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb-1", state=WB)
PATNA_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-patna-1", state=BIHAR, district=PATNA)
HOWRAH_DLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="dlsa-howrah-1", state=WB, district=HOWRAH)
PATNA_DLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="dlsa-patna-1", state=BIHAR, district=PATNA)
NATIONAL_DLSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="nalsa-1")
HOME = "WB/CCI/2020/0001"

SET = """
mutation($i: InstitutionInfrastructureInput!) {
  setInstitutionInfrastructure(input: $i) {
    version capacity dormitories toilets classrooms medicalRoom kitchen cctvCameras
    staff { post sanctioned inPosition vacant } recordedBy recordedAgency recordedAt
  }
}"""
RECORD = """
mutation($i: RecordInspectionInput!) {
  recordInspection(input: $i) { id version inspectedOn inspectingBody findings followUp followUpDue recordedBy }
}"""
REVISE = """
mutation($i: ReviseInspectionInput!) {
  reviseInspection(input: $i) { id version findings followUp recordedBy history { version recordedBy followUp } }
}"""
RECORD_OF = """
query($id: String!) {
  institutionRecord(institution: $id) {
    institution { capacity }
    infrastructure { version capacity cctvCameras staff { post vacant } recordedBy }
    infrastructureHistory { version capacity recordedBy recordedAgency }
    inspections { id version inspectingBody findings followUp history { version } }
  }
}"""
STALE = """
query($days: Int!, $first: Int, $after: String) {
  staleInstitutions(days: $days, first: $first, after: $after) {
    edges { cursor node { institution { id registrationNumber } childrenInCare lastUpdatedAt daysSinceUpdate } }
    pageInfo { hasNextPage endCursor }
  }
}"""
OVER = """
query($first: Int, $after: String) {
  overCapacityInstitutions(first: $first, after: $after) {
    edges { node { institution { id capacity occupancy } childrenInCare } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def infrastructure(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "institution": HOME,
        "version": 0,
        "capacity": 40,
        "dormitories": 4,
        "toilets": 8,
        "classrooms": 2,
        "medicalRoom": True,
        "kitchen": True,
        "cctvCameras": 6,
        "staff": [
            {"post": "Superintendent", "sanctioned": 1, "inPosition": 1},
            {"post": "Counsellor", "sanctioned": 2, "inPosition": 1},
        ],
    }
    value.update(overrides)
    return value


def inspection(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "institution": HOME,
        "inspectedOn": (today() - timedelta(days=3)).isoformat(),
        "inspectingBody": "District Inspection Committee, Howrah",
        "findings": "Dormitory 2 overcrowded.\n\nNo grievance box   in the girls' wing.",
        "followUp": "Shift six children to the annexe",
        "followUpDue": (today() + timedelta(days=30)).isoformat(),
    }
    value.update(overrides)
    return value


async def institutions(store: Services, *places: tuple[str, str], capacity: int = 50) -> list[str]:
    """Institutions 1..n at the places given (state, district); their ids in that order."""
    records = [
        {**institution(n, state, district), "registration_number": f"WB/CCI/2020/{n:04d}", "capacity": capacity}
        for n, (state, district) in enumerate(places, start=1)
    ]
    async with store.sessions() as session, session.begin():
        ids = await add_institutions(session, records)
    return [ids[r["registration_number"]] for r in records]


async def in_care(store: Services, placed: list[tuple[str, datetime]], *, state: str = WB) -> list[str]:
    """One child in care per (institution id, last case update): children, cases and care cases in three inserts."""
    children, cases, care = [], [], []
    for institution_id, updated_at in placed:
        child, case = new_id(), new_id()
        children.append({"id": child, "gender": "FEMALE", "age_years": 10, "age_reported_on": date(2026, 1, 1)})
        cases.append(
            {
                "id": case,
                "kind": "CARE",
                "reference": f"T-{case[:12]}",
                "status": "OPEN",
                "version": 1,
                "child_id": child,
                "source": "test",
                "external_id": case,
                "state_code": state,
                "district_code": None,
                "event_date": date(2026, 1, 1),
                "reported_at": updated_at,
                "created_at": updated_at,
                "updated_at": updated_at,
            }
        )
        care.append(
            {"case_id": case, "institution_id": institution_id, "admission_date": date(2026, 1, 1), "exit_date": None}
        )
    async with store.sessions() as session, session.begin():
        await session.execute(insert(ChildRow.__table__), children)
        await session.execute(insert(CaseRow.__table__), cases)
        await session.execute(insert(CareCaseRow.__table__), care)
    return [c["id"] for c in cases]


async def test_infrastructure_is_versioned_with_who_and_when(store: Services) -> None:
    [home] = await institutions(store, (WB, HOWRAH))
    first = data(await run(store, SET, {"i": infrastructure()}, HOWRAH_DCPU))["setInstitutionInfrastructure"]
    assert (first["version"], first["recordedBy"], first["recordedAgency"]) == (1, "dcpu-howrah-1", "dcpu")
    assert first["staff"][1] == {"post": "Counsellor", "sanctioned": 2, "inPosition": 1, "vacant": 1}
    second = await run(store, SET, {"i": infrastructure(version=1, capacity=45, cctvCameras=8)}, WB_SCPS)
    assert data(second)["setInstitutionInfrastructure"]["version"] == 2
    # A writer who read version 1 after version 2 was written: CONFLICT, nothing written.
    stale = await run(store, SET, {"i": infrastructure(version=1, capacity=10)}, HOWRAH_DCPU)
    assert error_codes(stale) == [("CONFLICT", None)]
    seen = data(await run(store, RECORD_OF, {"id": home}, HOWRAH_DLSA))["institutionRecord"]
    assert seen["institution"]["capacity"] == 45  # the latest version's capacity is the institution's
    assert seen["infrastructure"]["version"] == 2
    assert seen["infrastructure"]["cctvCameras"] == 8
    assert [(v["version"], v["capacity"], v["recordedBy"]) for v in seen["infrastructureHistory"]] == [
        (2, 45, "scps-wb-1"),
        (1, 40, "dcpu-howrah-1"),
    ]


async def test_infrastructure_input_is_checked_field_by_field(store: Services) -> None:
    [home] = await institutions(store, (WB, HOWRAH))
    twice = [{"post": "Cook", "sanctioned": 1, "inPosition": 1}, {"post": " cook ", "sanctioned": 1, "inPosition": 0}]
    for bad, field in [
        (infrastructure(capacity=-1), "input.capacity"),
        (infrastructure(toilets=100000), "input.toilets"),
        (infrastructure(staff=twice), "input.staff.1.post"),
        (infrastructure(staff=[{"post": "Cook", "sanctioned": 1, "inPosition": -2}]), "input.staff.0.inPosition"),
        (infrastructure(version=-1), "input.version"),
        (infrastructure(institution="WB/CCI/2020/9999"), "input.institution"),
    ]:
        assert error_codes(await run(store, SET, {"i": bad}, HOWRAH_DCPU)) == [("BAD_USER_INPUT", field)]
    seen = data(await run(store, RECORD_OF, {"id": home}, HOWRAH_DCPU))["institutionRecord"]
    assert (seen["infrastructure"], seen["infrastructureHistory"], seen["institution"]["capacity"]) == (None, [], 50)


async def test_writes_and_reads_stay_inside_the_jurisdiction(store: Services) -> None:
    [home] = await institutions(store, (WB, HOWRAH))
    # An institution elsewhere is as unknown to a writer as one not registered (institutions are public anyway).
    elsewhere = await run(store, SET, {"i": infrastructure()}, PATNA_DCPU)
    assert error_codes(elsewhere) == [("BAD_USER_INPUT", "input.institution")]
    assert error_codes(await run(store, RECORD, {"i": inspection()}, PATNA_DCPU)) == [
        ("BAD_USER_INPUT", "input.institution")
    ]
    data(await run(store, SET, {"i": infrastructure()}, HOWRAH_DCPU))
    recorded = data(await run(store, RECORD, {"i": inspection()}, HOWRAH_DCPU))["recordInspection"]
    revise = {**inspection(), "id": recorded["id"], "version": 1}
    del revise["institution"]
    assert error_codes(await run(store, REVISE, {"i": revise}, PATNA_DCPU)) == [("NOT_FOUND", None)]
    unknown = {**revise, "id": "0" * 32}
    assert error_codes(await run(store, REVISE, {"i": unknown}, PATNA_DCPU)) == [("NOT_FOUND", None)]
    # Readers elsewhere get the answer an unregistered institution gets; readers here and national ones see it.
    far = await run(store, RECORD_OF, {"id": home}, PATNA_DLSA)
    assert error_codes(far) == [("BAD_USER_INPUT", "institution")]
    assert error_codes(await run(store, RECORD_OF, {"id": "WB/CCI/2020/9999"}, PATNA_DLSA)) == error_codes(far)
    for reader in (HOWRAH_DLSA, NATIONAL_DLSA, WB_SCPS):
        near = data(await run(store, RECORD_OF, {"id": home}, reader))["institutionRecord"]
        assert near["infrastructure"]["version"] == 1
        assert [i["id"] for i in near["inspections"]] == [recorded["id"]]


async def test_inspections_are_versioned_and_keep_their_history(store: Services) -> None:
    [home] = await institutions(store, (WB, HOWRAH))
    first = data(await run(store, RECORD, {"i": inspection()}, HOWRAH_DCPU))["recordInspection"]
    assert first["version"] == 1
    assert first["findings"] == "Dormitory 2 overcrowded.\n\nNo grievance box in the girls' wing."
    assert first["recordedBy"] == "dcpu-howrah-1"
    done = {**inspection(followUp="Six children moved to the annexe on 2026-11-20"), "id": first["id"], "version": 1}
    del done["institution"]
    revised = data(await run(store, REVISE, {"i": done}, WB_SCPS))["reviseInspection"]
    assert (revised["id"], revised["version"], revised["recordedBy"]) == (first["id"], 2, "scps-wb-1")
    assert [(h["version"], h["recordedBy"]) for h in revised["history"]] == [(2, "scps-wb-1"), (1, "dcpu-howrah-1")]
    assert error_codes(await run(store, REVISE, {"i": done}, HOWRAH_DCPU)) == [("CONFLICT", None)]
    older = data(await run(store, RECORD, {"i": inspection(inspectedOn="2025-06-01")}, HOWRAH_DCPU))
    seen = data(await run(store, RECORD_OF, {"id": home}, HOWRAH_DLSA))["institutionRecord"]["inspections"]
    assert [(i["id"], i["version"]) for i in seen] == [(first["id"], 2), (older["recordInspection"]["id"], 1)]
    assert seen[0]["followUp"] == "Six children moved to the annexe on 2026-11-20"


async def test_inspection_input_is_checked_field_by_field(store: Services) -> None:
    await institutions(store, (WB, HOWRAH))
    tomorrow_plus = (today() + timedelta(days=3)).isoformat()
    for bad, field in [
        (inspection(inspectedOn=tomorrow_plus), "input.inspectedOn"),
        (inspection(findings="  \n "), "input.findings"),
        (inspection(inspectingBody=""), "input.inspectingBody"),
        (inspection(followUp=None), "input.followUpDue"),
        (inspection(followUpDue=(today() - timedelta(days=30)).isoformat()), "input.followUpDue"),
    ]:
        assert error_codes(await run(store, RECORD, {"i": bad}, HOWRAH_DCPU)) == [("BAD_USER_INPUT", field)]


async def test_each_role_reads_and_writes_exactly_what_its_scopes_allow(store: Services) -> None:
    [home] = await institutions(store, (WB, HOWRAH))
    data(await run(store, SET, {"i": infrastructure()}, WB_SCPS))
    data(await run(store, RECORD, {"i": inspection()}, WB_SCPS))
    for agency in [*Agency, None]:
        principal = Principal.for_agency(agency, subject=f"{agency.value}-1") if agency else Principal.public()
        scopes = ROLE_SCOPES[agency] if agency else frozenset()
        monitors = "reports:read" in scopes or "institutions:write" in scopes
        result = await run(store, RECORD_OF, {"id": home}, principal)
        if monitors:
            seen = data(result)["institutionRecord"]
            assert seen["infrastructure"]["version"] == 1
            assert len(seen["infrastructureHistory"]) == 1
            assert seen["inspections"], agency  # one recorded above, more by the writing roles before this one
        else:
            assert result.data is None
            assert error_codes(result) == [("FORBIDDEN", None)], agency
        writes = "institutions:write" in scopes
        wrote = await run(store, RECORD, {"i": inspection()}, principal)
        assert (wrote.errors is None) == writes, agency
        if not writes:
            assert error_codes(wrote) == [("FORBIDDEN", None)]
        for query, variables in ((STALE, {"days": 30}), (OVER, {})):
            listed = await run(store, query, variables, principal)
            assert (listed.errors is None) == ("reports:read" in scopes), (agency, query)
            if "reports:read" not in scopes:
                assert error_codes(listed) == [("FORBIDDEN", None)]


async def test_stale_institutions_use_case_updates_and_e_file_entries(store: Services) -> None:
    quiet, busy, empty, kolkata, patna = await institutions(
        store, (WB, HOWRAH), (WB, HOWRAH), (WB, HOWRAH), (WB, KOLKATA), (BIHAR, PATNA)
    )
    now = datetime.now(UTC)
    await in_care(store, [(quiet, now - timedelta(days=40)), (quiet, now - timedelta(days=35))])
    cases = await in_care(store, [(busy, now - timedelta(days=50)), (busy, now - timedelta(days=45))])
    await in_care(store, [(kolkata, now - timedelta(days=60))])
    await in_care(store, [(patna, now - timedelta(days=90))], state=BIHAR)
    # A child who left (exit date) and a closed case do not count, however old.
    gone = await in_care(store, [(empty, now - timedelta(days=400)), (empty, now - timedelta(days=400))])
    async with store.sessions() as session, session.begin():
        await session.execute(update(CareCaseRow).where(CareCaseRow.case_id == gone[0]).values(exit_date=today()))
        await session.execute(update(CaseRow.__table__).where(CaseRow.id == gone[1]).values(status="CLOSED"))
        # A recent e-file entry on one of busy's children: busy is not stale although its case rows are.
        await session.execute(
            insert(CareEntryRow.__table__),
            [
                {
                    "id": new_id(),
                    "entry_id": new_id(),
                    "version": 1,
                    "case_id": cases[0],
                    "kind": "HEALTH_CHECKUP",
                    "occurred_on": today(),
                    "payload": {},
                    "recorded_by": "cci-1",
                    "recorded_at": now - timedelta(days=2),
                }
            ],
        )
    listed = data(await run(store, STALE, {"days": 30}, WB_SCPS))["staleInstitutions"]["edges"]
    assert [(e["node"]["institution"]["id"], e["node"]["childrenInCare"]) for e in listed] == [(kolkata, 1), (quiet, 2)]
    assert listed[1]["node"]["daysSinceUpdate"] == 35  # the latest of its children's updates
    howrah = data(await run(store, STALE, {"days": 30}, HOWRAH_DLSA))["staleInstitutions"]["edges"]
    assert [e["node"]["institution"]["id"] for e in howrah] == [quiet]
    national = data(await run(store, STALE, {"days": 30}, NATIONAL_DLSA))["staleInstitutions"]["edges"]
    assert [e["node"]["institution"]["id"] for e in national] == [patna, kolkata, quiet]
    longer = data(await run(store, STALE, {"days": 40}, NATIONAL_DLSA))["staleInstitutions"]["edges"]
    assert [e["node"]["institution"]["id"] for e in longer] == [patna, kolkata]
    bad = await run(store, STALE, {"days": 0}, NATIONAL_DLSA)
    assert error_codes(bad) == [("BAD_USER_INPUT", "days")]
    assert error_codes(await run(store, STALE, {"days": 30, "after": "nonsense"}, NATIONAL_DLSA)) == [
        ("BAD_USER_INPUT", "after")
    ]


async def test_over_capacity_institutions(store: Services) -> None:
    small, big, far = await institutions(store, (WB, HOWRAH), (WB, HOWRAH), (BIHAR, PATNA), capacity=2)
    now = datetime.now(UTC)
    await in_care(store, [(small, now)] * 5 + [(big, now)] * 3)
    await in_care(store, [(far, now)] * 4, state=BIHAR)
    listed = data(await run(store, OVER, {}, HOWRAH_DLSA))["overCapacityInstitutions"]["edges"]
    assert [(e["node"]["institution"]["id"], e["node"]["childrenInCare"]) for e in listed] == [(small, 5), (big, 3)]
    assert listed[0]["node"]["institution"]["occupancy"] == 5
    # Raising big's capacity through its infrastructure takes it off the list.
    data(await run(store, SET, {"i": infrastructure(institution="WB/CCI/2020/0002", capacity=3)}, HOWRAH_DCPU))
    again = data(await run(store, OVER, {}, HOWRAH_DLSA))["overCapacityInstitutions"]["edges"]
    assert [e["node"]["institution"]["id"] for e in again] == [small]
    national = data(await run(store, OVER, {}, NATIONAL_DLSA))["overCapacityInstitutions"]["edges"]
    assert [e["node"]["institution"]["id"] for e in national] == [small, far]


async def test_thousands_of_children_paged_in_sql(store: Services) -> None:
    """200 institutions in two districts, 3,000 children in care with spread-out updates: every page agrees with the
    same computation done in Python, pages neither skip nor repeat, and the district reader sees only its own."""
    places = [(WB, HOWRAH if n % 2 else KOLKATA) for n in range(200)]
    ids = await institutions(store, *places, capacity=12)
    now = datetime.now(UTC)
    # child n of institution i (n % 200) was last updated (13 i mod 60) + n // 200 days and n minutes ago
    placed = [(ids[n % 200], now - timedelta(days=(n % 200 * 13) % 60 + n // 200, minutes=n)) for n in range(3000)]
    await in_care(store, placed)
    latest: dict[str, datetime] = {}
    count: dict[str, int] = {}
    for iid, at in placed:
        latest[iid] = max(latest.get(iid, at), at)
        count[iid] = count.get(iid, 0) + 1
    howrah = {iid for iid, (_, district) in zip(ids, places, strict=True) if district == HOWRAH}
    cutoff = now - timedelta(days=20)
    expected = sorted((latest[i], i) for i in howrah if latest[i] < cutoff)
    got: list[tuple[str, int]] = []
    after = None
    while True:
        page = data(await run(store, STALE, {"days": 20, "first": 7, "after": after}, HOWRAH_DLSA))
        connection = page["staleInstitutions"]
        got += [(e["node"]["institution"]["id"], e["node"]["childrenInCare"]) for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert expected, "the data must make some institutions stale"
    assert got == [(i, count[i]) for _, i in expected]
    over = data(await run(store, OVER, {"first": 200}, HOWRAH_DLSA))["overCapacityInstitutions"]["edges"]
    assert {e["node"]["institution"]["id"] for e in over} == {i for i in howrah if count[i] > 12}
    assert all(e["node"]["childrenInCare"] == 15 for e in over)


async def test_over_capacity_pages_neither_skip_nor_repeat(store: Services) -> None:
    ids = await institutions(store, *[(WB, HOWRAH)] * 9, capacity=1)
    now = datetime.now(UTC)
    await in_care(store, [(iid, now) for n, iid in enumerate(ids) for _ in range(2 + n % 3)])
    seen: list[tuple[str, int]] = []
    after = None
    while True:
        connection = data(await run(store, OVER, {"first": 2, "after": after}, WB_SCPS))["overCapacityInstitutions"]
        seen += [(e["node"]["institution"]["id"], e["node"]["childrenInCare"]) for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted((iid, 2 + n % 3) for n, iid in enumerate(ids))
    assert [c for _, c in seen] == sorted((c for _, c in seen), reverse=True)
