"""The workflow through GraphQL: the risk assessment on reportMissing (validated, stored, shown, setting the alerts'
urgency), the investigation checklist, the AHTU's progress reports and the overdue ones listed per AHTU, with the
clock moved through ``run_rules(today=...)``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.factories import (
    BIHAR,
    KOLKATA,
    NGO,
    POLICE,
    WB,
    case_count,
    data,
    error_codes,
    missing_input,
    run,
    station,
    today,
)
from tests.services.test_workflow import AHTU_KOLKATA, ahtu, report, seed
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseEventType
from trackchild_hub.domain.live_alerts import Enqueued
from trackchild_hub.domain.workflow_rules import WorkflowRule, add_months
from trackchild_hub.services.unit import Services
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.store import outbox
from trackchild_hub.store.engine import session_factory
from trackchild_hub.store.models import CaseEventRow

AHTU = Principal.for_agency(Agency.AHTU, subject="ahtu-officer", state=WB)
REPORT = """
mutation($input: ReportMissingInput!) {
  reportMissing(input: $input) {
    id
    riskAssessment { urgency suspectedTrafficking suspectedAbduction ageYears assessedBy vulnerabilities notes }
  }
}"""
CASE = """
query($id: ID!) {
  case(id: $id) {
    version
    place { district { code } }
    ... on MissingCase {
      riskAssessment { urgency }
      checklist { item done doneBy doneAt note }
      ahtuEscalation { ahtuId ahtuName rule reason escalatedOn reportDueOn reportOverdue reports { dueOn summary } }
    }
  }
}"""
TICK = """
mutation($input: TickChecklistInput!) {
  tickInvestigationChecklist(input: $input) { id checklist { item done doneBy } }
}"""
FILE = """
mutation($input: AhtuProgressReportInput!) {
  fileAhtuProgressReport(input: $input) { id ahtuEscalation { reportDueOn reportOverdue reports { dueOn summary } } }
}"""
OVERDUE = """
query($ahtu: String, $first: Int! = 100, $after: String) {
 overdueAhtuReports(ahtu: $ahtu, first: $first, after: $after) {
  edges { cursor node { ahtuId ahtuName caseId reference dueOn daysOverdue } } pageInfo { hasNextPage endCursor } } }
"""


async def overdue(store: Services, variables: dict[str, Any], principal: Principal) -> list[dict[str, Any]]:
    page = data(await run(store, OVERDUE, variables, principal))["overdueAhtuReports"]
    assert len(page["edges"]) <= variables.get("first", 100)
    return [e["node"] for e in page["edges"]] + (
        await overdue(store, {**variables, "after": page["pageInfo"]["endCursor"]}, principal)
        if page["pageInfo"]["hasNextPage"]
        else []
    )


def risk(**kw: Any) -> dict[str, Any]:
    return {"input": missing_input(riskAssessment=kw)}


async def case(store: Services, case_id: str, principal: Principal = POLICE) -> dict[str, Any]:
    return dict(data(await run(store, CASE, {"id": case_id}, principal))["case"])


async def test_the_risk_assessment_is_stored_with_the_report_and_sets_the_alerts_urgency(store: Services) -> None:
    mobile = {**station(7), "phones": ["+919812345678"]}  # a station of Howrah that gets SMS alerts
    await seed(store, ahtu(), mobile)
    seen: list[Enqueued] = []
    services = replace(store, sessions=session_factory(store.engine))
    outbox.on_commit(services.sessions, seen.extend)  # what the live alerts feed receives
    reported = data(await run(services, REPORT, risk(suspectedAbduction=True, vulnerabilities=["MEDICAL_NEED"])))
    shown = reported["reportMissing"]["riskAssessment"]
    assert shown == {
        "urgency": "IMMEDIATE",
        "suspectedTrafficking": False,
        "suspectedAbduction": True,
        "ageYears": 9,
        "assessedBy": "officer-1",
        "vulnerabilities": ["MEDICAL_NEED"],
        "notes": None,
    }
    assert seen
    assert {(e.rule, e.urgency) for e in seen} == {("NEW_MISSING_CASE", "IMMEDIATE")}
    plain = data(await run(services, REPORT, {"input": missing_input()}))["reportMissing"]
    assert plain["riskAssessment"] is None
    assert {e.urgency for e in seen if e.case_id == plain["id"]} == {None}


async def test_a_report_without_an_assessment_has_none(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=3))
    assert (await case(store, case_id))["riskAssessment"] is None


async def test_an_invalid_assessment_stores_nothing(store: Services) -> None:
    await seed(store)
    child = {**missing_input()["child"], "ageYears": None}
    cases = [
        (risk(vulnerabilities=["OTHER"]), "input.riskAssessment.notes"),
        (risk(suspectedTrafficking=True, urgency="ROUTINE"), "input.riskAssessment.urgency"),
        (risk(vulnerabilities=["DISABILITY", "DISABILITY"]), "input.riskAssessment.vulnerabilities"),
        ({"input": missing_input(child=child, riskAssessment={})}, "input.riskAssessment"),
    ]
    for variables, field in cases:
        assert error_codes(await run(store, REPORT, variables)) == [("BAD_USER_INPUT", field)]
    assert await case_count(store) == 0


async def test_suspected_trafficking_goes_to_the_ahtu_on_the_next_run(store: Services) -> None:
    await seed(store)
    case_id = data(await run(store, REPORT, risk(suspectedTrafficking=True)))["reportMissing"]["id"]
    runs = {r.rule: r.changed for r in await run_rules(store.sessions)}
    assert runs[WorkflowRule.ESCALATE_TRAFFICKING] == 1
    assert runs[WorkflowRule.ESCALATE_UNTRACED] == 0
    shown = await case(store, case_id)
    assert shown["ahtuEscalation"]["rule"] == "escalate-trafficking"
    assert shown["ahtuEscalation"]["ahtuName"] == "AHTU Kolkata"
    assert shown["place"]["district"]["code"] == KOLKATA
    assert shown["ahtuEscalation"]["reportDueOn"] == add_months(today(), 3).isoformat()
    assert {r.rule: r.changed for r in await run_rules(store.sessions)}[WorkflowRule.ESCALATE_TRAFFICKING] == 0


async def test_the_checklist_records_who_ticked_what_and_when(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=3))
    before = await case(store, case_id)
    assert [i["item"] for i in before["checklist"]] == [
        "RAILWAY_POLICE_INFORMED",
        "NEIGHBOURING_DISTRICTS_INFORMED",
        "BORDER_AGENCIES_INFORMED",
        "PHOTO_PUBLISHED",
        "TRACKCHILD_UPDATED",
    ]
    assert not any(i["done"] for i in before["checklist"])
    tick = {"input": {"caseId": case_id, "item": "RAILWAY_POLICE_INFORMED", "note": "GRP Howrah by wireless"}}
    ticked = data(await run(store, TICK, tick))["tickInvestigationChecklist"]["checklist"]
    assert ticked[0] == {"item": "RAILWAY_POLICE_INFORMED", "done": True, "doneBy": "officer-1"}
    other = Principal.for_agency(Agency.POLICE, subject="officer-2")
    data(await run(store, TICK, tick, other))  # done already: who and when stay the first officer's
    after = await case(store, case_id)
    assert after["checklist"][0]["doneBy"] == "officer-1"
    assert after["checklist"][0]["note"] == "GRP Howrah by wireless"
    assert sum(i["done"] for i in after["checklist"]) == 1
    async with store.sessions() as session:
        types = list(await session.scalars(select(CaseEventRow.type).where(CaseEventRow.case_id == case_id)))
    assert types.count(CaseEventType.CHECKLIST_TICKED.value) == 1
    assert error_codes(await run(store, TICK, tick, NGO)) == [("FORBIDDEN", None)]
    bihar = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)
    assert [c for c, _ in error_codes(await run(store, TICK, tick, bihar))] == ["NOT_FOUND"]


async def test_overdue_ahtu_reports_are_listed_recorded_once_and_cleared_by_a_report(store: Services) -> None:
    await seed(store)
    escalated_on = today() - timedelta(days=130)  # its first report was due about 40 days ago
    case_id = await report(store, add_months(escalated_on, -4))
    assert {r.rule: r.changed for r in await run_rules(store.sessions, today=escalated_on)}[
        WorkflowRule.ESCALATE_UNTRACED
    ] == 1
    due = add_months(escalated_on, 3)
    [listed] = await overdue(store, {}, AHTU)
    assert (listed["ahtuId"], listed["caseId"]) == (AHTU_KOLKATA, case_id)
    assert (listed["dueOn"], listed["daysOverdue"]) == (due.isoformat(), (today() - due).days)
    assert await overdue(store, {"ahtu": "AHTU-OTHER"}, AHTU) == []
    bihar = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)
    assert await overdue(store, {}, bihar) == []  # outside its jurisdiction
    assert (await case(store, case_id, AHTU))["ahtuEscalation"]["reportOverdue"] is True
    # the job records it once per due date
    assert {r.rule: r.changed for r in await run_rules(store.sessions)}[WorkflowRule.AHTU_REPORT_OVERDUE] == 1
    assert {r.rule: r.changed for r in await run_rules(store.sessions)}[WorkflowRule.AHTU_REPORT_OVERDUE] == 0
    # only an AHTU files the report; it moves the due date 3 months on
    filing = {"input": {"caseId": case_id, "summary": "raided two placement agencies in Kolkata"}}
    assert error_codes(await run(store, FILE, filing, POLICE)) == [("FORBIDDEN", None)]
    filed = data(await run(store, FILE, filing, AHTU))["fileAhtuProgressReport"]["ahtuEscalation"]
    assert filed["reportDueOn"] == add_months(due, 3).isoformat()
    assert filed["reports"] == [{"dueOn": due.isoformat(), "summary": "raided two placement agencies in Kolkata"}]
    assert filed["reportOverdue"] is False
    assert await overdue(store, {}, AHTU) == []


async def test_overdue_ahtu_reports_page_past_a_full_page_without_skips_or_repeats(store: Services) -> None:
    await seed(store)
    escalated_on = today() - timedelta(days=130)
    for n in range(5):  # escalated the same day: all due the same day, in case id order
        await report(store, add_months(escalated_on, -4), child={**missing_input()["child"], "name": f"Child {n}"})
    assert {r.rule: r.changed for r in await run_rules(store.sessions, today=escalated_on)}[
        WorkflowRule.ESCALATE_UNTRACED
    ] == 5
    everything = await overdue(store, {}, AHTU)
    assert len(everything) == 5
    for first in (1, 2, 4):
        paged = await overdue(store, {"first": first}, AHTU)
        assert [r["caseId"] for r in paged] == [r["caseId"] for r in everything]
    assert [r["caseId"] for r in everything] == sorted({r["caseId"] for r in everything})
    for bad in ("nope", "WyJ4Il0", "WyJhIiwgIjIwMjYtMDItMzAiLCAiYyJd"):  # not a cursor; one part; 30 February
        result = await run(store, OVERDUE, {"first": 2, "after": bad}, AHTU)
        assert error_codes(result) == [("BAD_USER_INPUT", "after")]
    assert error_codes(await run(store, OVERDUE, {"first": 0}, AHTU)) == [("BAD_USER_INPUT", "first")]


async def test_a_report_on_a_case_not_with_an_ahtu_is_refused(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=3))
    filing = {"input": {"caseId": case_id, "summary": "nothing yet"}}
    assert error_codes(await run(store, FILE, filing, AHTU)) == [("BAD_USER_INPUT", "input.caseId")]
    blank = {"input": {"caseId": case_id, "summary": "  "}}
    assert error_codes(await run(store, FILE, blank, AHTU)) == [("BAD_USER_INPUT", "input.summary")]
