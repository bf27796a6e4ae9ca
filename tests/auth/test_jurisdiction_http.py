"""The jurisdiction matrix over real HTTP with real tokens (issue 10, hole 1 and "Prove it"): for district, state
and national tokens of the embedded issuer, whose ``state``/``district`` claims do the confining, every door that
takes an id answers a record outside the caller's jurisdiction (or a confidential child, for a non-CWC/JJB/DCPU
caller) byte for byte as it answers an id that does not exist, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.factories import KOLKATA, WB, data, exchange_record, institution, run, seed_catalogue, station, today
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.models import Base, SyncCursorRow

DELHI, CENTRAL_DELHI = "7", "77"
NAMES = {
    "kolkata": "Aarav Kolkatawala",
    "found": "Found Kolkata Child",
    "howrah": "Ishaan Howrahbasi",
    "delhi": "Vivaan Dilliwala",
    "confidential": "Protected Zoya",
}
KOLKATA_HOME = "WB/CCI/2020/0003"  # the institution inside every caller's jurisdiction below
NOWHERE = "no-such-id"
ALL = "{ cases(first: 100) { edges { node { id reference child { id } provenance { externalId } } } } }"


@dataclass(frozen=True, slots=True)
class Record:
    case: str
    child: str
    reference: str


@dataclass(frozen=True, slots=True)
class Caller:
    label: str
    client: str
    state: str | None
    district: str | None
    outside: tuple[str, ...]  # records (NAMES keys) the rule must hide from this caller
    outside_entries: tuple[str, ...] = ()  # directory entries outside its jurisdiction


CALLERS = (
    # The repro of hole 1: a district police token (state 19, district 315).
    Caller("police 19/315", "demo-police", WB, KOLKATA, ("howrah", "delhi", "confidential")),
    # A cci token across the districts of one state, and across states.
    Caller("cci 19/315", "demo-cci", WB, KOLKATA, ("howrah", "delhi", "confidential")),
    Caller("cci 19", "demo-cci", WB, None, ("delhi", "confidential")),
    # cpsu holds every scope a door needs (audit:read, matches:review, directory:write), at each level.
    Caller(
        "cpsu 19/315", "demo-cpsu", WB, KOLKATA, ("howrah", "delhi", "confidential"), ("PS-19-313-001", "PS-7-77-001")
    ),
    Caller("cpsu 19", "demo-cpsu", WB, None, ("delhi", "confidential"), ("PS-7-77-001",)),
    Caller("cpsu national", "demo-cpsu", None, None, ("confidential",)),
)

Door = Callable[[Record, Record], tuple[str, dict[str, Any]]]  # (the record, the found case inside) -> request
CASE_DOORS: dict[str, Door] = {
    "case(id)": lambda r, _: ("query($id: ID!) { case(id: $id) { id child { name } } }", {"id": r.case}),
    "case(reference)": lambda r, _: ("query($r: String) { case(reference: $r) { id } }", {"r": r.reference}),
    "child": lambda r, _: ("query($id: ID!) { child(id: $id) { id name } }", {"id": r.child}),
    "_entities": lambda r, _: (
        "query($reps: [_Any!]!) { _entities(representations: $reps) "
        "{ ... on MissingCase { id } ... on Child { id name } } }",
        {"reps": [{"__typename": "MissingCase", "id": r.case}, {"__typename": "Child", "id": r.child}]},
    ),
    "admitToInstitution(childId)": lambda r, _: (
        "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id child { name } } }",
        {"i": {"institution": KOLKATA_HOME, "admissionDate": today().isoformat(), "childId": r.child}},
    ),
    "updateCase": lambda r, _: (
        "mutation($i: UpdateCaseInput!) { updateCase(input: $i) { id } }",
        {"i": {"id": r.case, "version": 1, "placeText": "moved"}},
    ),
    "transferCase": lambda r, _: (
        "mutation($i: TransferCaseInput!) { transferCase(input: $i) { id } }",
        {"i": {"id": r.case, "version": 1, "state": WB, "district": KOLKATA}},
    ),
    "closeCase": lambda r, _: (
        "mutation($i: CloseCaseInput!) { closeCase(input: $i) { id } }",
        {"i": {"id": r.case, "version": 1, "outcome": "CLOSED", "reason": "taken over"}},
    ),
    "matchCandidates": lambda r, _: (
        "query($id: ID!) { matchCandidates(caseId: $id) { id } }",
        {"id": r.case},
    ),
    "reviewMatch": lambda r, found: (
        "mutation($id: ID!) { reviewMatch(id: $id, decision: REJECT) { id } }",
        {"id": f"{r.case}~{found.case}"},
    ),
    "auditTrail(case)": lambda r, _: ("query($id: ID!) { auditTrail(entityId: $id) { at } }", {"id": r.case}),
    "auditTrail(child)": lambda r, _: ("query($id: ID!) { auditTrail(entityId: $id) { at } }", {"id": r.child}),
    # Issue 13 and 14's doors.
    "careFile": lambda r, _: ("query($id: ID!) { careFile(caseId: $id) { case { id } } }", {"id": r.case}),
    "addCareEntry": lambda r, _: (
        "mutation($id: ID!, $e: CareEntryInput!) { addCareEntry(caseId: $id, entry: $e) { id } }",
        {
            "id": r.case,
            "e": {"counselling": {"heldOn": today().isoformat(), "counsellor": "X", "mode": "GROUP", "note": "n"}},
        },
    ),
    "withdrawCasePhotoPublication": lambda r, _: (
        "mutation($id: ID!) { withdrawCasePhotoPublication(caseId: $id) { id } }",
        {"id": r.case},
    ),
    "tickInvestigationChecklist": lambda r, _: (
        "mutation($i: TickChecklistInput!) { tickInvestigationChecklist(input: $i) { id } }",
        {"i": {"caseId": r.case, "item": "RAILWAY_POLICE_INFORMED"}},
    ),
    "fileAhtuProgressReport": lambda r, _: (
        "mutation($i: AhtuProgressReportInput!) { fileAhtuProgressReport(input: $i) { id } }",
        {"i": {"caseId": r.case, "summary": "nothing yet"}},
    ),
}
ENTRY_DOORS: dict[str, Callable[[str], tuple[str, dict[str, Any]]]] = {
    "retireDirectoryEntry": lambda i: ("mutation($id: ID!) { retireDirectoryEntry(id: $id) { id } }", {"id": i}),
    "directoryChanges": lambda i: ("query($id: ID!) { directoryChanges(entryId: $id) { action } }", {"id": i}),
}
UPSERT = "mutation($i: UpsertDirectoryEntryInput!) { upsertDirectoryEntry(input: $i) { id } }"


async def _seed(store: Services) -> dict[str, Record]:
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        await add_institutions(session, [institution(3, WB, KOLKATA)])
        await add_directory_entries(session, [station(1, WB, KOLKATA), station(1, DELHI, CENTRAL_DELHI)])
    kolkata = {"state": WB, "district": KOLKATA, "police_station": "PS-19-315-001", "text": "Sealdah"}
    delhi = {"state": DELHI, "district": CENTRAL_DELHI, "police_station": "PS-7-77-001", "text": "Connaught Place"}

    def child(name: str, **more: Any) -> dict[str, Any]:
        return {"name": name, "gender": "FEMALE", "age_years": 11, "guardians": [], **more}

    records = {
        "kolkata": exchange_record(1, place=kolkata, child=child(NAMES["kolkata"])),
        "found": exchange_record(2, "FOUND", place=kolkata, child=child(NAMES["found"])),
        "howrah": exchange_record(3, child=child(NAMES["howrah"])),
        "delhi": exchange_record(4, source="police-7", place=delhi, child=child(NAMES["delhi"])),
        "confidential": exchange_record(5, place=kolkata, child=child(NAMES["confidential"], confidential=True)),
    }
    report = await import_cases(store.sessions, [json.dumps(r) for r in records.values()], store.geography, today())
    assert report.created == len(records), report.errors
    everyone = Principal.for_agency(Agency.CWC, subject="national-cwc")  # national, and sees confidential children
    edges = data(await run(store, ALL, principal=everyone))["cases"]["edges"]
    by_external = {(e["node"]["provenance"]["externalId"]): e["node"] for e in edges}
    return {
        name: Record(node["id"], node["child"]["id"], node["reference"])
        for name, r in records.items()
        for node in [by_external[r["external_id"]]]
    }


async def _rows(store: Services) -> dict[str, int]:
    """Rows per table, but for the marks the live hub's own scheduled jobs keep (``job:<name>`` in sync_cursors,
    written by `serve`'s alert-rules loop whenever it first runs): the doors under test must write nothing at all."""
    async with store.sessions() as session:
        counts = {
            t.name: int(await session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }
        # One query: the loop may write its mark between two (the count and the marks), which read as -1.
        others = select(func.count()).where(SyncCursorRow.connector_id.not_like("job:%"))
        counts["sync_cursors"] = int(await session.scalar(others) or 0)
        return counts


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


class Hub:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    async def ask(self, request: tuple[str, dict[str, Any]]) -> tuple[int, bytes]:
        query, variables = request
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        return response.status_code, response.content


async def test_outside_answers_as_a_missing_id_and_writes_nothing(store: Services, live_hub: str) -> None:
    records = await _seed(store)
    nowhere = Record(NOWHERE, NOWHERE, "WB-2026-999999")
    issuer = dev_issuer(store.settings)
    before = await _rows(store)
    checked = 0
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        for caller in CALLERS:
            token = issuer.issue(issuer.clients[caller.client], state=caller.state, district=caller.district)
            hub = Hub(client, token)
            for door, request in CASE_DOORS.items():
                missing = await hub.ask(request(nowhere, records["found"]))
                assert missing[0] == 200
                codes = {e["extensions"]["code"] for e in json.loads(missing[1])["errors"]}
                assert codes <= {"NOT_FOUND", "FORBIDDEN"}, (caller.label, door, missing)
                for name in caller.outside:
                    outside = await hub.ask(request(records[name], records["found"]))
                    assert outside == missing, (caller.label, door, name, outside, missing)
                    assert not any(n.encode() in outside[1] for n in NAMES.values())
                    checked += 1
            for door, entry_request in ENTRY_DOORS.items() if caller.client == "demo-cpsu" else ():
                missing = await hub.ask(entry_request("PS-NOWHERE"))
                assert json.loads(missing[1])["errors"][0]["extensions"]["code"] == "NOT_FOUND", (door, missing)
                for entry in caller.outside_entries:
                    assert await hub.ask(entry_request(entry)) == missing, (caller.label, door, entry)
                    checked += 1
            for entry in caller.outside_entries:
                # Replacing another jurisdiction's entry with one of your own: that entry is as unknown to you.
                takeover = {"id": entry, "kind": "POLICE_STATION", "name": "Mine now", "state": WB, "district": KOLKATA}
                status, body = await hub.ask((UPSERT, {"i": takeover}))
                error = json.loads(body)["errors"][0]
                assert (status, error["extensions"]["code"], error["message"]) == (
                    200,
                    "NOT_FOUND",
                    "no such directory entry",
                )
    assert checked == len(CASE_DOORS) * (3 + 3 + 2 + 3 + 2 + 1) + len(ENTRY_DOORS) * 3
    assert await _rows(store) == before, "a refused door wrote something"


async def test_the_same_doors_open_inside_the_jurisdiction(store: Services, live_hub: str) -> None:
    """The control: the matrix above proves something only if these doors do open for the caller's own records."""
    records = await _seed(store)
    issuer = dev_issuer(store.settings)
    police = issuer.issue(issuer.clients["demo-police"], state=WB, district=KOLKATA)
    before = await _rows(store)
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        hub = Hub(client, police)
        for door in ("case(id)", "child", "_entities", "matchCandidates"):
            status, body = await hub.ask(CASE_DOORS[door](records["kolkata"], records["found"]))
            assert (status, json.loads(body).get("errors")) == (200, None), (door, body)
        status, body = await hub.ask(CASE_DOORS["admitToInstitution(childId)"](records["found"], records["found"]))
        admitted = json.loads(body)
        assert admitted.get("errors") is None, admitted
        assert admitted["data"]["admitToInstitution"]["child"]["name"] == NAMES["found"]
        auditor = Hub(client, issuer.issue(issuer.clients["demo-cpsu"], state=WB))
        for door in ("auditTrail(case)", "auditTrail(child)"):
            status, body = await auditor.ask(CASE_DOORS[door](records["howrah"], records["found"]))
            assert (status, json.loads(body).get("errors")) == (200, None), (door, body)
    after = await _rows(store)
    assert after["cases"] == before["cases"] + 1
    assert after["children"] == before["children"]  # the same child, a new case


REFERENCES: dict[str, Callable[[str, Record], tuple[str, dict[str, Any]]]] = {
    "admitToInstitution(institution)": lambda ref, _: (
        "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }",
        {"i": {"institution": ref, "admissionDate": today().isoformat(), "child": {"ageYears": 8}}},
    ),
    "reportFound(institution)": lambda ref, _: (
        "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }",
        {
            "i": {
                "child": {"gender": "MALE", "ageYears": 9},
                "place": {"state": WB, "district": KOLKATA},
                "foundOn": today().isoformat(),
                "institution": ref,
            }
        },
    ),
}
STATIONS: dict[str, Callable[[str, Record], tuple[str, dict[str, Any]]]] = {
    "reportFound(place.policeStation)": lambda ref, _: (
        "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }",
        {
            "i": {
                "child": {"gender": "MALE", "ageYears": 9},
                "place": {"state": WB, "district": KOLKATA, "policeStation": ref},
                "foundOn": today().isoformat(),
            }
        },
    ),
    "transferCase(policeStation)": lambda ref, r: (
        "mutation($i: TransferCaseInput!) { transferCase(input: $i) { id } }",
        {"i": {"id": r.case, "version": 1, "state": WB, "district": KOLKATA, "policeStation": ref}},
    ),
}


async def test_an_institution_or_station_elsewhere_is_as_unknown_as_a_missing_one(
    store: Services, live_hub: str
) -> None:
    """Directory records are public, so naming one leaks nothing; but a case is placed only inside the caller's
    jurisdiction (or, transferred, inside the receiving one): elsewhere gets the unknown reference's answer."""
    records = await _seed(store)
    issuer = dev_issuer(store.settings)
    police = issuer.issue(issuer.clients["demo-police"], state=WB, district=KOLKATA)
    before = await _rows(store)
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        hub = Hub(client, police)
        for doors, elsewhere in ((REFERENCES, "WB/CCI/2020/0001"), (STATIONS, "PS-19-313-001")):  # both in Howrah
            for door, request in doors.items():
                unknown = await hub.ask(request("NOWHERE-1", records["kolkata"]))
                error = json.loads(unknown[1])["errors"][0]
                assert error["extensions"]["code"] == "BAD_USER_INPUT", (door, unknown)
                assert error["message"].startswith("input.")
                assert "NOWHERE-1" in error["message"]
                outside = await hub.ask(request(elsewhere, records["kolkata"]))
                assert outside == (unknown[0], unknown[1].replace(b"NOWHERE-1", elsewhere.encode())), door
    assert await _rows(store) == before
