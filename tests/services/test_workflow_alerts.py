"""The workflow job's alerts (``services.workflow_alerts``) with a moved clock, on SQLite and PostgreSQL: a case sent
to the AHTU alerts the receiving AHTU (its own phone and e-mail and its functionaries') and the station that held the
case, in the state's language, once however often the job runs; an AHTU report gone overdue alerts the AHTU once per
due date; the dispatcher delivers them to real receivers (HTTP SMS gateway, SMTP, signed webhook)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import delete, select, update

from tests.alert_receivers import HttpGateway, SmtpServer
from tests.factories import KOLKATA, WB, seed_catalogue, today
from tests.services.test_dispatch import alerting, client, fresh, receivers  # noqa: F401 (fixtures)
from tests.services.test_workflow import ahtu, report
from trackchild_hub.domain.alerts import AlertRule
from trackchild_hub.domain.workflow_rules import WorkflowRule, add_months
from trackchild_hub.gateways.build import gateways
from trackchild_hub.services.dispatch import Dispatcher
from trackchild_hub.services.unit import Services
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import AhtuEscalationRow, CaseRow, FunctionaryRow, OutboxRow

AHTU_PHONE, AHTU_MAIL = "+919830000001", "ahtu.kolkata@wbp.example"
AHTU_DSP_PHONE, AHTU_DSP_MAIL = "+919830000011", "dsp.ahtu@wbp.example"
OC_PHONE, OC_MAIL = "+919830000021", "oc.ps1@wbp.example"
STATION = "PS-19-313-001"
AHTU_ADDRESSES = {AHTU_PHONE, AHTU_MAIL, AHTU_DSP_PHONE, AHTU_DSP_MAIL}
STATION_ADDRESSES = {OC_PHONE, OC_MAIL}


async def seed(store: Services) -> None:
    """Howrah's stations (the first with its Officer-in-Charge) and Kolkata's AHTU with its DSP."""
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, [ahtu() | {"email": AHTU_MAIL}])
        for n, (entry, post, phone, mail) in enumerate(
            [
                ("AHTU-19-315", "DSP, AHTU", AHTU_DSP_PHONE, AHTU_DSP_MAIL),
                (STATION, "Officer-in-Charge", OC_PHONE, OC_MAIL),
            ]
        ):
            session.add(
                FunctionaryRow(
                    id=f"{entry}~{n}",
                    entry_id=entry,
                    position=n,
                    name="Officer",
                    designation=post,
                    phones=[phone],
                    email=mail,
                )
            )


async def rows(store: Services, rule: AlertRule) -> list[OutboxRow]:
    async with store.sessions() as session:
        found = await session.scalars(select(OutboxRow).where(OutboxRow.rule == rule.value).order_by(OutboxRow.address))
        return list(found)


def by_rule(runs: list[Any]) -> dict[WorkflowRule, tuple[int, int]]:
    return {r.rule: (r.changed, r.alerts) for r in runs}


async def reference(store: Services, case_id: str) -> str:
    async with store.sessions() as session:
        case = await session.get(CaseRow, case_id)
        assert case is not None
        return case.reference


async def test_an_escalation_alerts_the_receiving_ahtu_and_the_station_that_held_the_case_once(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=20))
    due = add_months(today() - timedelta(days=20), 4)
    before = by_rule(await run_rules(store.sessions, today=due - timedelta(days=1), settings=store.settings))
    assert before[WorkflowRule.ESCALATE_UNTRACED] == (0, 0)
    assert await rows(store, AlertRule.ESCALATED_TO_AHTU) == []

    runs = by_rule(await run_rules(store.sessions, today=due, settings=store.settings))
    assert runs[WorkflowRule.ESCALATE_UNTRACED] == (1, 6)
    sent = await rows(store, AlertRule.ESCALATED_TO_AHTU)
    assert {r.address for r in sent} == AHTU_ADDRESSES | STATION_ADDRESSES  # not the station's landline
    assert {r.recipient_entry_id for r in sent} == {"AHTU-19-315", STATION}
    ref = await reference(store, case_id)
    for row in sent:
        assert row.case_id == case_id
        assert row.language == "bn"  # West Bengal's
        assert ref in row.message
        assert "মানব পাচার বিরোধী" in row.message  # the Bengali text
        assert row.message.endswith(f"{store.settings.public_url}/cases/{ref}")
        assert "Rahul" not in row.message
        assert "Rahul" not in row.subject
    assert {r.channel for r in sent} == {"SMS", "EMAIL"}

    # the job again, the same day and a month on: nothing escalated, nothing alerted twice
    for day in (due, due + timedelta(days=30)):
        again = by_rule(await run_rules(store.sessions, today=day, settings=store.settings))
        assert again[WorkflowRule.ESCALATE_UNTRACED] == (0, 0)
    assert len(await rows(store, AlertRule.ESCALATED_TO_AHTU)) == 6


async def test_a_run_without_settings_escalates_and_alerts_nobody(store: Services) -> None:
    await seed(store)
    await report(store, today() - timedelta(days=200))
    runs = by_rule(await run_rules(store.sessions))
    assert runs[WorkflowRule.ESCALATE_UNTRACED] == (1, 0)
    assert await rows(store, AlertRule.ESCALATED_TO_AHTU) == []


async def test_an_overdue_ahtu_report_alerts_the_ahtu_once_per_due_date(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=200))
    escalated_on = today()
    await run_rules(store.sessions, today=escalated_on, settings=store.settings)
    first_due = add_months(escalated_on, 3)
    on_time = by_rule(await run_rules(store.sessions, today=first_due, settings=store.settings))
    assert on_time[WorkflowRule.AHTU_REPORT_OVERDUE] == (0, 0)  # due that day, overdue the day after

    late = by_rule(await run_rules(store.sessions, today=first_due + timedelta(days=1), settings=store.settings))
    assert late[WorkflowRule.AHTU_REPORT_OVERDUE] == (1, 4)
    sent = await rows(store, AlertRule.AHTU_REPORT_OVERDUE)
    assert {r.address for r in sent} == AHTU_ADDRESSES  # the AHTU owes it; the station is not written to
    ref = await reference(store, case_id)
    assert all(first_due.isoformat() in r.message and ref in r.message for r in sent)
    assert all("অগ্রগতি রিপোর্ট" in r.message for r in sent)  # the Bengali text
    again = by_rule(await run_rules(store.sessions, today=first_due + timedelta(days=2), settings=store.settings))
    assert again[WorkflowRule.AHTU_REPORT_OVERDUE] == (0, 0)
    assert len(await rows(store, AlertRule.AHTU_REPORT_OVERDUE)) == 4

    # a report filed for that period moves the due date (as fileAhtuProgressReport does); the next one overdue
    # alerts again, under keys of its own date
    next_due = add_months(first_due, 3)
    async with store.sessions() as session, session.begin():
        await session.execute(
            update(AhtuEscalationRow).where(AhtuEscalationRow.case_id == case_id).values(report_due_on=next_due)
        )
    later = by_rule(await run_rules(store.sessions, today=next_due + timedelta(days=1), settings=store.settings))
    assert later[WorkflowRule.AHTU_REPORT_OVERDUE] == (1, 4)
    sent = await rows(store, AlertRule.AHTU_REPORT_OVERDUE)
    assert len(sent) == 8
    assert len({r.idempotency_key for r in sent}) == 8
    assert sum(next_due.isoformat() in r.message for r in sent) == 4


async def test_a_closed_case_gets_no_overdue_alert(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=200))
    await run_rules(store.sessions, today=today(), settings=store.settings)
    async with store.sessions() as session, session.begin():
        await session.execute(update(CaseRow).where(CaseRow.id == case_id).values(status="RESOLVED"))
    late = add_months(today(), 3) + timedelta(days=1)
    runs = by_rule(await run_rules(store.sessions, today=late, settings=store.settings))
    assert runs[WorkflowRule.AHTU_REPORT_OVERDUE][1] == 0
    assert await rows(store, AlertRule.AHTU_REPORT_OVERDUE) == []


async def test_the_dispatcher_delivers_the_escalation_to_the_ahtu_the_station_and_the_partners(
    store: Services,
    fresh: tuple[HttpGateway, SmtpServer],  # noqa: F811
    client: httpx.AsyncClient,  # noqa: F811
) -> None:
    http, smtp = fresh
    await seed(store)
    case_id = await report(store, today() - timedelta(days=5), riskAssessment={"suspectedTrafficking": True})
    async with store.sessions() as session, session.begin():
        await session.execute(delete(OutboxRow))  # the new case's own alerts: not this test's
    ways = alerting(http, smtp)
    settings: Settings = replace(store.settings, alerting=replace(store.settings.alerting, webhooks=ways.webhooks))
    runs = by_rule(await run_rules(store.sessions, settings=settings))
    assert runs[WorkflowRule.ESCALATE_TRAFFICKING] == (1, 7)  # at once: trafficking suspected
    assert await Dispatcher(store.sessions, ways, gateways(ways, client)).drain() == 7
    ref = await reference(store, case_id)
    texts = {body["to"]: body["text"] for body in http.sms.acted.values()}
    assert set(texts) == {AHTU_PHONE, AHTU_DSP_PHONE, OC_PHONE}
    assert all(ref in text and "AHTU" in text for text in texts.values())
    assert {body["unicode"] for body in http.sms.acted.values()} == {True}
    assert {mail["To"] for mail in smtp.received.acted.values()} == {AHTU_MAIL, AHTU_DSP_MAIL, OC_MAIL}
    [hook] = http.hooks.acted.values()
    assert hook["rule"] == "ESCALATED_TO_AHTU"
    assert hook["reference"] == ref
    assert http.hooks.refused == []
    assert http.sms.refused == []
    # a second run and a second drain: nothing more reaches anyone
    await run_rules(store.sessions, settings=settings)
    assert await Dispatcher(store.sessions, ways, gateways(ways, client)).drain() == 0
    assert sum(http.sms.arrivals.values()) == 3


async def test_the_escalation_reaches_the_live_feed_once_placed_where_the_case_now_is(store: Services) -> None:
    await seed(store)
    case_id = await report(store, today() - timedelta(days=200))
    async with store.alert_bus.subscription(lambda _: True) as feed:
        await run_rules(store.sessions, settings=store.settings)
        await run_rules(store.sessions, settings=store.settings)
        events = []
        while not feed.queue.empty():
            events.append(feed.queue.get_nowait())
    ref = await reference(store, case_id)
    # one event for the six messages; the case is now Kolkata's (the AHTU's district)
    assert [(e.rule, e.reference, e.state_code, e.district_code) for e in events if e is not None] == [
        ("ESCALATED_TO_AHTU", ref, WB, KOLKATA)
    ]
