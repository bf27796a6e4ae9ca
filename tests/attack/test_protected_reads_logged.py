"""The access log records issue 13 and 14's protected reads, over real HTTP with the embedded issuer's tokens: a
child's photo link (Child.photoUrl), a citizen report's photo link (CitizenReport.photoUrl), the risk assessment's
notes and vulnerabilities, a checklist note and the AHTU's progress report summary, each under the officer who read
it and the record it belongs to (auditTrail, which now takes a citizen report's id too); a read that asked none of
them leaves no such entry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from tests.factories import HOWRAH, KOLKATA, WB, data, missing_input, run, seed_catalogue
from tests.http.test_photos import SUBMIT, attach, encoded, public_upload, token
from tests.live_server import serving
from tests.schema.test_citizen_reports import report_input
from trackchild_hub.app import create_app
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.settings import Photos
from trackchild_hub.store.catalogue_writer import add_directory_entries

AUDITOR = Principal.for_agency(Agency.CPSU, subject="auditor-1")
TRAIL = "query($id: ID!) { auditTrail(entityId: $id) { subject entityType fields } }"
CASE = """query($id: ID!) { case(id: $id) { ... on MissingCase {
  child { id photoUrl } riskAssessment { notes vulnerabilities } checklist { note }
  ahtuEscalation { reports { summary } } } } }"""
BARE = "query($id: ID!) { case(id: $id) { ... on MissingCase { child { id } riskAssessment { urgency } } } }"
REPORTS = "{ untriagedCitizenReports { id photoUrl } }"


async def _trail(store: Services, entity: str) -> list[tuple[str, str, list[str]]]:
    rows = data(await run(store, TRAIL, {"id": entity}, AUDITOR))["auditTrail"]
    return [(r["subject"], r["entityType"], sorted(r["fields"])) for r in rows]


async def test_photo_links_and_workflow_notes_read_are_in_the_access_log(store: Services, tmp_path: Path) -> None:
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        ahtu = {"id": "AHTU-19-313", "kind": "ANTI_HUMAN_TRAFFICKING_UNIT", "name": "AHTU Howrah", "state": WB}
        await add_directory_entries(session, [{**ahtu, "district": HOWRAH}])
    settings = replace(store.settings, photos=Photos(folder=tmp_path / "photos"))
    risk = {"suspectedTrafficking": True, "vulnerabilities": ["DISABILITY"], "notes": "seen with a stranger"}
    cwc = Principal.for_agency(Agency.CWC, subject="cwc-1")
    report = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
    case_id = data(await run(store, report, {"i": missing_input(riskAssessment=risk)}, cwc))["reportMissing"]["id"]
    await run_rules(store.sessions)  # suspected trafficking: with the AHTU at once
    police = token(settings, state=WB, district=HOWRAH)
    ahtu_token = token(settings, "demo-ahtu", state=WB, district=HOWRAH)

    async def post(client: httpx.AsyncClient, headers: dict[str, str], query: str, **variables: Any) -> Any:
        answer = (await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)).json()
        assert "errors" not in answer, answer
        return answer["data"]

    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            assert "errors" not in (await attach(client, police, case_id, encoded("PNG"))).json()
            tick = "mutation($i: TickChecklistInput!) { tickInvestigationChecklist(input: $i) { id } }"
            await post(client, police, tick, i={"caseId": case_id, "item": "RAILWAY_POLICE_INFORMED", "note": "GRP"})
            filed = "mutation($i: AhtuProgressReportInput!) { fileAhtuProgressReport(input: $i) { id } }"
            await post(client, ahtu_token, filed, i={"caseId": case_id, "summary": "searched the yard"})
            await public_upload(client, SUBMIT, report_input(), encoded("PNG"))

            bare = await post(client, police, BARE, id=case_id)
            child_id = bare["case"]["child"]["id"]
            assert not [e for e in await _trail(store, case_id) if "notes" in e[2]]  # nothing protected asked yet
            read = (await post(client, police, CASE, id=case_id))["case"]
            assert read["child"]["photoUrl"].startswith("http")
            assert read["riskAssessment"]["notes"] == "seen with a stranger"
            assert read["ahtuEscalation"]["reports"][0]["summary"] == "searched the yard"
            [citizen] = (await post(client, police, REPORTS))["untriagedCitizenReports"]
            assert citizen["photoUrl"].startswith("http")

    officer = "demo-police"
    assert (officer, "Child", ["photoUrl"]) in await _trail(store, child_id)
    on_case = [(s, t, f) for s, t, f in await _trail(store, case_id) if s == officer]
    logged = {field for _, _, fields in on_case for field in fields}
    assert {"notes", "vulnerabilities", "note", "summary"} <= logged, on_case
    # A citizen report's trail: auditTrail refused report ids (NOT_FOUND), so who read a family's photo was logged
    # but no auditor could see it. Outside the auditor's jurisdiction it is as unknown as a missing id.
    assert any("photoUrl" in fields for _, _, fields in await _trail(store, citizen["id"])), citizen["id"]
    elsewhere = Principal.for_agency(Agency.CPSU, subject="auditor-kolkata", state=WB, district=KOLKATA)
    outside = await run(store, TRAIL, {"id": citizen["id"]}, elsewhere)
    missing = await run(store, TRAIL, {"id": "0" * 32}, elsewhere)
    assert outside.data is None
    assert [(e.message, e.extensions) for e in outside.errors or []] == [
        (e.message, e.extensions) for e in missing.errors or []
    ]
