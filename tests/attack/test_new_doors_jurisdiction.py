"""Issue 13 and 14's doors that take an id of a record a caller may not see, over real HTTP with the embedded
issuer's tokens (the pattern of tests/auth/test_jurisdiction_http.py, whose CASE_DOORS holds the doors that take a
case id): a child in care elsewhere or confidential, one of its e-file entries, an inspection of a home elsewhere,
a case escalated to another state's AHTU, a case with a photo elsewhere. Each answers byte for byte as a missing id
(or, for an institution, as an unregistered one), whatever else the request gets wrong, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from tests.auth.test_jurisdiction_http import _rows
from tests.factories import HOWRAH, KOLKATA, WB, data, institution, missing_input, run, seed_catalogue, today
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.models import CaseRow, ChildRow

NATIONAL_CWC = Principal.for_agency(Agency.CWC, subject="national-cwc")
NATIONAL_CCI = Principal.for_agency(Agency.CCI, subject="national-cci")
NATIONAL_DCPU = Principal.for_agency(Agency.DCPU, subject="national-dcpu")
KOLKATA_HOME, HOWRAH_HOME = "WB/CCI/2020/0003", "WB/CCI/2020/0001"
MISSING_ID = "0" * 32
ADMIT = "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }"
ADD = "mutation($c: ID!, $e: CareEntryInput!) { addCareEntry(caseId: $c, entry: $e) { entryId } }"
REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
RECORD = "mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { id } }"
PREFLIGHT = {"Apollo-Require-Preflight": "true"}


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


def _ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def counselling(note: str = "talked") -> dict[str, Any]:
    return {"counselling": {"heldOn": _ago(1), "counsellor": "Ms. Sen", "mode": "INDIVIDUAL", "note": note}}


async def _seed(store: Services) -> dict[str, str]:
    await seed_catalogue(store)  # two homes and three stations in Howrah
    async with store.sessions() as session, session.begin():
        await add_institutions(session, [institution(3, WB, KOLKATA)])
        ahtu = {"kind": "ANTI_HUMAN_TRAFFICKING_UNIT", "state": WB, "phones": ["+919830000001"], "latitude": 22.5}
        await add_directory_entries(
            session,
            [
                {**ahtu, "id": "AHTU-19-313", "name": "AHTU Howrah", "district": HOWRAH, "longitude": 88.3},
                {**ahtu, "id": "AHTU-19-315", "name": "AHTU Kolkata", "district": KOLKATA, "longitude": 88.4},
            ],
        )

    async def admit(home: str, **child: Any) -> str:
        i = {"institution": home, "admissionDate": _ago(100), "child": {"gender": "FEMALE", "ageYears": 9, **child}}
        return str(data(await run(store, ADMIT, {"i": i}, NATIONAL_CWC))["admitToInstitution"]["id"])

    ids = {
        "own": await admit(KOLKATA_HOME),
        "howrah": await admit(HOWRAH_HOME),
        "confidential": await admit(KOLKATA_HOME),
    }
    for name in ("own", "howrah", "confidential"):
        entry = data(await run(store, ADD, {"c": ids[name], "e": counselling()}, NATIONAL_CCI))
        ids[f"{name}-entry"] = entry["addCareEntry"]["entryId"]
    # Made confidential after its first entry: no CCI may see a confidential child, so none could have written it.
    async with store.sessions() as session, session.begin():
        child_id = select(CaseRow.child_id).where(CaseRow.id == ids["confidential"]).scalar_subquery()
        await session.execute(update(ChildRow).where(ChildRow.id == child_id).values(confidential=True))
    inspection = {"institution": HOWRAH_HOME, "inspectedOn": _ago(2), "inspectingBody": "DIC", "findings": "ok"}
    ids["inspection"] = data(await run(store, RECORD, {"i": inspection}, NATIONAL_DCPU))["recordInspection"]["id"]
    risk = {"suspectedTrafficking": True}
    trafficked = missing_input(riskAssessment=risk)  # in Howrah: goes to AHTU Howrah at once
    ids["escalated"] = data(await run(store, REPORT, {"i": trafficked}, NATIONAL_CWC))["reportMissing"]["id"]
    await run_rules(store.sessions)
    return ids


Request = tuple[str, dict[str, Any]]


def care_doors(ids: dict[str, str]) -> dict[str, tuple[Request, Request, list[Request]]]:
    """door -> (request for a missing record, control request that must open, requests for records outside)."""
    file_of = "query($c: ID!) { careFile(caseId: $c) { case { id } counselling { note } } }"
    history = "query($c: ID!, $e: ID!) { careFile(caseId: $c) { history(entryId: $e) { version } } }"
    supersede = (
        "mutation($c: ID!, $e: CareEntryInput!, $s: CareEntryVersionInput) "
        "{ addCareEntry(caseId: $c, entry: $e, supersedes: $s) { entryId version } }"
    )
    withdraw = "mutation($c: ID!) { withdrawCasePhotoPublication(caseId: $c) { id } }"
    outside_cases = [ids["howrah"], ids["confidential"]]
    outside_entries = [ids["howrah-entry"], ids["confidential-entry"]]
    return {
        "careFile": (
            (file_of, {"c": MISSING_ID}),
            (file_of, {"c": ids["own"]}),
            [(file_of, {"c": c}) for c in outside_cases],
        ),
        "careFile.history(entryId)": (
            (history, {"c": ids["own"], "e": MISSING_ID}),
            (history, {"c": ids["own"], "e": ids["own-entry"]}),
            [(history, {"c": ids["own"], "e": e}) for e in outside_entries],
        ),
        "addCareEntry": (
            (ADD, {"c": MISSING_ID, "e": counselling("x")}),
            (ADD, {"c": ids["own"], "e": counselling("x")}),
            [(ADD, {"c": c, "e": counselling("x")}) for c in outside_cases],
        ),
        "addCareEntry(supersedes, a case elsewhere)": (
            (supersede, {"c": MISSING_ID, "e": counselling("y"), "s": {"entryId": MISSING_ID, "version": 1}}),
            (supersede, {"c": ids["own"], "e": counselling("y"), "s": {"entryId": ids["own-entry"], "version": 1}}),
            [
                (supersede, {"c": c, "e": counselling("y"), "s": {"entryId": e, "version": v}})
                for c, e in zip(outside_cases, outside_entries, strict=True)
                for v in (1, 7)  # the version read, and a stale one: CONFLICT would tell the entry exists
            ],
        ),
        "addCareEntry(supersedes another child's entry)": (
            (supersede, {"c": ids["own"], "e": counselling("y"), "s": {"entryId": MISSING_ID, "version": 1}}),
            (supersede, {"c": ids["own"], "e": counselling("z"), "s": {"entryId": ids["own-entry"], "version": 2}}),
            [
                (supersede, {"c": ids["own"], "e": counselling("y"), "s": {"entryId": e, "version": v}})
                for e in outside_entries
                for v in (1, 7)
            ],
        ),
        "withdrawCasePhotoPublication": (
            (withdraw, {"c": MISSING_ID}),
            (withdraw, {"c": ids["own"]}),
            [(withdraw, {"c": c}) for c in outside_cases],
        ),
    }


class Hub:
    def __init__(self, client: httpx.AsyncClient, store: Services, agency: Agency, **claims: str) -> None:
        issuer = dev_issuer(store.settings)
        token = issuer.issue(issuer.clients[f"demo-{agency.value}"], **claims)
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    async def ask(self, request: Request) -> tuple[int, bytes]:
        query, variables = request
        answer = await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=self.headers)
        return answer.status_code, answer.content

    async def attach(self, case_id: str) -> tuple[int, bytes]:
        query = "mutation($c: ID!, $p: Upload!) { attachCasePhoto(caseId: $c, photo: $p) { id } }"
        operations = {"query": query, "variables": {"c": case_id, "p": None}}
        answer = await self.client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.p"]})},
            files={"0": ("p.jpg", b"not even an image", "image/jpeg")},
            headers={**self.headers, **PREFLIGHT},
        )
        return answer.status_code, answer.content


def _code(answer: tuple[int, bytes]) -> str:
    return str(json.loads(answer[1])["errors"][0]["extensions"]["code"])


async def test_care_doors_answer_outside_records_as_missing_ones_and_write_nothing(
    store: Services, live_hub: str
) -> None:
    ids = await _seed(store)
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        cci = Hub(client, store, Agency.CCI, state=WB, district=KOLKATA)
        doors = care_doors(ids)
        for door, (missing_request, _, outside) in doors.items():
            before = await _rows(store)
            missing = await cci.ask(missing_request)
            expected = b'{"data":{"careFile":{"history":[]}}}' if "history" in door else None  # no such entry: none
            assert missing[1] == expected if expected else _code(missing) == "NOT_FOUND", (door, missing)
            for request in outside:
                assert await cci.ask(request) == missing, (door, request)
            assert await _rows(store) == before, door
        # A photo (not even an image: the record rule answers before the file is looked at).
        before = await _rows(store)
        missing = await cci.attach(MISSING_ID)
        assert _code(missing) == "NOT_FOUND", missing
        for case_id in (ids["howrah"], ids["confidential"]):
            assert await cci.attach(case_id) == missing
        assert await _rows(store) == before
        # The control: each door opens for the caller's own child.
        for door, (_, inside, _) in doors.items():
            status, body = await cci.ask(inside)
            assert (status, json.loads(body).get("errors")) == (200, None), (door, body)


async def test_inspection_and_ahtu_doors_answer_outside_records_as_missing_ones(store: Services, live_hub: str) -> None:
    ids = await _seed(store)
    revise = "mutation($i: ReviseInspectionInput!) { reviseInspection(input: $i) { id } }"
    body = {"inspectedOn": _ago(1), "inspectingBody": "DIC", "findings": "revised"}
    tick = "mutation($i: TickChecklistInput!) { tickInvestigationChecklist(input: $i) { id } }"
    report = "mutation($i: AhtuProgressReportInput!) { fileAhtuProgressReport(input: $i) { id } }"
    overdue = "query($a: String) { overdueAhtuReports(ahtu: $a) { edges { node { caseId } } } }"
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        before = await _rows(store)
        dcpu = Hub(client, store, Agency.DCPU, state=WB, district=KOLKATA)
        for version in (1, 7):
            missing = await dcpu.ask((revise, {"i": {**body, "id": MISSING_ID, "version": version}}))
            assert _code(missing) == "NOT_FOUND"
            assert await dcpu.ask((revise, {"i": {**body, "id": ids["inspection"], "version": version}})) == missing
        ahtu = Hub(client, store, Agency.AHTU, state=WB, district=KOLKATA)
        for door, request in (
            ("tick", lambda c: (tick, {"i": {"caseId": c, "item": "RAILWAY_POLICE_INFORMED", "note": "done"}})),
            ("report", lambda c: (report, {"i": {"caseId": c, "summary": "searched the station"}})),
        ):
            missing = await ahtu.ask(request(MISSING_ID))
            assert _code(missing) == "NOT_FOUND", (door, missing)
            assert await ahtu.ask(request(ids["escalated"])) == missing, door
        # Another district's AHTU named in the filter lists what an unknown AHTU lists: nothing.
        assert await ahtu.ask((overdue, {"a": "AHTU-19-313"})) == await ahtu.ask((overdue, {"a": "AHTU-NOWHERE"}))
        assert await _rows(store) == before
        # The control: Howrah's AHTU does file on its case.
        howrah = Hub(client, store, Agency.AHTU, state=WB, district=HOWRAH)
        _, answer = await howrah.ask((report, {"i": {"caseId": ids["escalated"], "summary": "searched"}}))
        assert json.loads(answer).get("errors") is None, answer
