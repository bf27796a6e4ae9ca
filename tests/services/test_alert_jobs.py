"""The scheduled alert rules through the real paths, on SQLite and PostgreSQL (``services.alert_jobs``): a citizen
report left untriaged past the limit alerts its station's SHO once; each district's Collector and Superintendent of
Police get the day's counts once (a few thousand cases counted in SQL); a second run, or two at once, enqueue
nothing twice; the dispatcher delivers a Bengali digest as Unicode SMS; missing cases that arrive by import or sync
alert when recent, not when historic; ``trackchild-hub alerts run --now`` prints what each rule enqueued."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select, update

from tests.alert_receivers import HttpGateway, SmtpServer
from tests.factories import (
    BIHAR,
    HOWRAH,
    PATNA,
    POLICE,
    PUBLIC,
    WB,
    data,
    exchange_record,
    run,
    seed_catalogue,
    station,
    today,
)
from tests.schema.test_citizen_reports import SIGHTING, sighting_input
from tests.services.test_citizen_reports import missing as citizen_missing
from tests.services.test_citizen_reports import sighting, submitted
from tests.services.test_dispatch import SECRET, client, fresh, receivers  # noqa: F401 (fixtures)
from tests.services.test_sync import missing as synced_missing
from trackchild_hub.connectors.port import Records
from trackchild_hub.domain.alerts import AlertRule
from trackchild_hub.domain.reference import IST
from trackchild_hub.gateways.build import gateways
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.services import citizen_reports as reports
from trackchild_hub.services.alert_jobs import alert_rules_forever, run_alert_rules
from trackchild_hub.services.alerts import arrival_alerter
from trackchild_hub.services.dispatch import Dispatcher
from trackchild_hub.services.sync import sync_batch
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.settings import Alerting
from trackchild_hub.store.alert_jobs import OVERDUE_ALERTED
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import CitizenReportEventRow, CitizenReportRow, FunctionaryRow, OutboxRow

SHO_PHONE, DM_PHONE = "+919830000001", "+919830000002"
SP_MAIL = "sp.howrah@wbp.example"


def ist(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), IST)


async def seed_officials(store: Services) -> None:
    """Howrah: three stations, the first with an Officer-in-Charge; a DCPU listing the District Magistrate and an
    SJPU listing the Superintendent of Police. Patna: a station and nobody for the digest."""
    await seed_catalogue(store, stations=3)
    dcpu = station(7) | {"id": "DCPU-HOWRAH", "kind": "DISTRICT_CHILD_PROTECTION_UNIT", "email": "dcpu@wb.example"}
    sjpu = station(8) | {"id": "SJPU-HOWRAH", "kind": "SPECIAL_JUVENILE_POLICE_UNIT", "email": "sjpu@wb.example"}
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, [dcpu | {"languages": ["bn"]}, sjpu, station(1, BIHAR, PATNA)])
        people = [
            ("PS-19-313-001", "Officer-in-Charge", [SHO_PHONE], "oc.ps1@wbp.example"),
            ("PS-19-313-001", "Child Welfare Police Officer", ["+919830000009"], None),
            ("DCPU-HOWRAH", "District Magistrate & Collector", [DM_PHONE], None),
            ("SJPU-HOWRAH", "Superintendent of Police", [], SP_MAIL),
        ]
        for position, (entry, post, phones, mail) in enumerate(people):
            session.add(
                FunctionaryRow(
                    id=f"{entry}~{position}",
                    entry_id=entry,
                    position=position,
                    name=f"Officer {position}",
                    designation=post,
                    phones=phones,
                    email=mail,
                )
            )


async def outbox_rows(store: Services, rule: AlertRule | None = None) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.channel, OutboxRow.address)
    if rule is not None:
        query = query.where(OutboxRow.rule == rule.value)
    async with store.sessions() as session:
        return list(await session.scalars(query))


async def backdate(store: Services, reference: str, at: datetime) -> None:
    async with store.sessions() as session, session.begin():
        await session.execute(
            update(CitizenReportRow).where(CitizenReportRow.reference == reference).values(created_at=at)
        )


async def test_a_report_left_untriaged_past_the_limit_alerts_the_stations_sho_once(store: Services) -> None:
    await seed_officials(store)
    waiting = await submitted(store, citizen_missing())
    decided = await submitted(store, sighting(contact_phone="98300 54321"))
    [row_decided] = [r for r in await _reports(store) if r.reference == decided.reference]
    async with Unit.opened(store, POLICE) as unit:
        await reports.dismiss(unit, row_decided.id, "a duplicate")
    received = datetime.now(UTC)
    early = await run_alert_rules(store.sessions, store.settings, store.geography, received + timedelta(hours=11))
    assert early.overdue == 0
    late = await run_alert_rules(store.sessions, store.settings, store.geography, received + timedelta(hours=13))
    rows = await outbox_rows(store, AlertRule.CITIZEN_REPORT_OVERDUE)
    assert late.overdue == len(rows) == 2
    assert {(r.channel, r.address, r.reference, r.language, r.case_id) for r in rows} == {
        ("EMAIL", "oc.ps1@wbp.example", waiting.reference, "bn", None),  # the SHO only, in West Bengal's Bengali
        ("SMS", SHO_PHONE, waiting.reference, "bn", None),
    }
    for row in rows:
        assert waiting.reference in row.message
        assert f"{store.settings.public_url}/citizen-reports/{waiting.reference}" in row.message
        for secret in ("Rahul", "Kumar", "Suresh", "9830012345", "platform"):
            assert secret not in row.message + row.subject
    again = await run_alert_rules(store.sessions, store.settings, store.geography, received + timedelta(hours=20))
    assert again.overdue == 0
    assert len(await outbox_rows(store, AlertRule.CITIZEN_REPORT_OVERDUE)) == 2
    async with store.sessions() as session:
        events = list(
            await session.scalars(select(CitizenReportEventRow).where(CitizenReportEventRow.type == OVERDUE_ALERTED))
        )
    assert [e.report_id for e in events] == [r.id for r in await _reports(store) if r.reference == waiting.reference]


async def test_a_sighting_sent_over_graphql_and_left_waiting_alerts_the_sho_from_the_loop(
    store: Services,
) -> None:
    """The public mutation, then the loop ``serve`` runs (``alert_rules_forever``) with a clock 13 hours on."""
    await seed_officials(store)
    receipt = data(await run(store, SIGHTING, {"input": sighting_input()}, PUBLIC))["reportSighting"]
    stop = asyncio.Event()
    clock_calls: list[datetime] = []

    def clock() -> datetime:
        clock_calls.append(datetime.now(UTC) + timedelta(hours=13))
        stop.set()  # one round
        return clock_calls[-1]

    await asyncio.wait_for(alert_rules_forever(store.sessions, store.settings, store.geography, stop, clock), 30)
    rows = await outbox_rows(store, AlertRule.CITIZEN_REPORT_OVERDUE)
    assert len(clock_calls) == 1
    assert {(r.channel, r.address, r.reference) for r in rows} == {
        ("SMS", SHO_PHONE, receipt["reference"]),
        ("EMAIL", "oc.ps1@wbp.example", receipt["reference"]),
    }


async def test_the_scheduled_alerts_reach_the_live_feed_with_their_place(store: Services) -> None:
    """One event per overdue report and per district digest, placed where the report or district is (the live
    feed's record rule filters on it), without anything the citizen wrote."""
    await seed_officials(store)
    receipt = await submitted(store, citizen_missing())
    async with store.alert_bus.subscription(lambda _: True) as feed:
        later = (datetime.now(UTC) + timedelta(hours=13)).astimezone(IST)  # the day in India, not in UTC: the
        at = max(later, ist(later.date(), 9))  # digest of the day before is due at 09:00 IST
        await run_alert_rules(store.sessions, store.settings, store.geography, at)
        events = []
        while not feed.queue.empty():
            events.append(feed.queue.get_nowait())
    assert sorted((e.rule, e.reference, e.state_code, e.district_code) for e in events if e is not None) == [
        ("CITIZEN_REPORT_OVERDUE", receipt.reference, WB, HOWRAH),
        (
            "DISTRICT_DIGEST",
            f"DIGEST-{HOWRAH}-{(at.date() - timedelta(days=1)).isoformat()}",
            WB,
            HOWRAH,
        ),
    ]
    assert "Rahul" not in repr(events)


async def test_the_limit_is_a_setting(store: Services) -> None:
    await seed_officials(store)
    await submitted(store, citizen_missing())
    quick = replace(store.settings, alerting=replace(store.settings.alerting, triage_overdue_h=2))
    run = await run_alert_rules(store.sessions, quick, store.geography, datetime.now(UTC) + timedelta(hours=3))
    assert run.overdue == 2


async def test_two_runs_at_once_alert_each_report_once(store: Services) -> None:
    await seed_officials(store)
    for i in range(6):
        await submitted(store, citizen_missing(contact_phone=f"98300 5432{i}"))
    later = datetime.now(UTC) + timedelta(hours=13)
    runs = await asyncio.gather(
        *(run_alert_rules(store.sessions, store.settings, store.geography, later) for _ in range(3))
    )
    rows = await outbox_rows(store, AlertRule.CITIZEN_REPORT_OVERDUE)
    assert sum(r.overdue for r in runs) == len(rows) == 12  # 6 reports x the SHO's SMS and e-mail
    async with store.sessions() as session:
        events = await session.scalar(
            select(func.count()).select_from(CitizenReportEventRow).where(CitizenReportEventRow.type == OVERDUE_ALERTED)
        )
    assert events == 6


async def test_the_daily_digest_counts_a_districts_day_in_sql_and_goes_out_once(store: Services) -> None:
    await seed_officials(store)
    day = today()
    midnight = ist(day, 0)
    records = [exchange_record(n) for n in range(3000)]  # historic, open: pending
    fresh_day = {"reported_at": f"{day.isoformat()}T00:05:00+05:30", "event_date": day.isoformat()}
    records += [
        exchange_record(3000 + n, **fresh_day) | {"fir": {"number": f"F{n}", "date": day.isoformat()}}
        for n in range(40)
    ]
    records += [exchange_record(4000 + n, status="RESOLVED") for n in range(7)]  # changed today: traced
    records += [exchange_record(5000 + n, kind="FOUND") for n in range(5)]  # not missing: not counted
    patna = {"state": BIHAR, "district": PATNA, "police_station": "PS-10-212-001", "text": "Patna Junction"}
    records += [exchange_record(6000 + n, place=patna) for n in range(4)]
    lines = [json.dumps(r) for r in records]
    report = await import_cases(store.sessions, lines, store.geography, day)
    assert (report.created, report.errors) == (len(records), [])
    for n, phone in enumerate(("98300 11111", "98300 22222", "98300 33333")):
        receipt = await submitted(store, citizen_missing(contact_phone=phone))
        await backdate(store, receipt.reference, midnight + timedelta(hours=n))  # 3 received before noon
    afternoon = await submitted(store, citizen_missing(contact_phone="98300 44444"))
    await backdate(store, afternoon.reference, midnight + timedelta(hours=13))  # not 12 h old at midnight

    next_morning = ist(day + timedelta(days=1), 7)
    assert (await run_alert_rules(store.sessions, store.settings, store.geography, next_morning)).digest == 0
    assert await outbox_rows(store, AlertRule.DISTRICT_DIGEST) == []  # before TRACKCHILD_DIGEST_HOUR (8 IST)

    sent = await run_alert_rules(store.sessions, store.settings, store.geography, next_morning + timedelta(hours=2))
    rows = await outbox_rows(store, AlertRule.DISTRICT_DIGEST)
    assert sent.digest == len(rows) == 2
    assert {(r.channel, r.address, r.language) for r in rows} == {
        ("SMS", DM_PHONE, "bn"),  # the DCPU records Bengali
        ("EMAIL", SP_MAIL, "bn"),  # the SJPU records none: West Bengal's
    }
    reference = f"DIGEST-{HOWRAH}-{day.isoformat()}"
    pending = 3000 + 40
    for row in rows:
        assert row.reference == reference
        assert row.case_id is None
        for count in (" 40,", " 7,", f" {pending}।", " 3।"):  # new, traced, pending; overdue citizen reports
            assert count in row.message, (count, row.message)
    assert not any(r.reference.startswith(f"DIGEST-{PATNA}") for r in rows)  # Patna lists nobody for it

    again = await run_alert_rules(store.sessions, store.settings, store.geography, next_morning + timedelta(hours=9))
    assert again.digest == 0
    assert len(await outbox_rows(store, AlertRule.DISTRICT_DIGEST)) == 2


async def test_the_dispatcher_delivers_a_bengali_digest_as_unicode_sms(
    store: Services,
    fresh: tuple[HttpGateway, SmtpServer],  # noqa: F811
    client: httpx.AsyncClient,  # noqa: F811
) -> None:
    http, smtp = fresh
    await seed_officials(store)
    run = await run_alert_rules(store.sessions, store.settings, store.geography, ist(today(), 9))
    assert run.digest == 2
    alerting = Alerting(sms_url=f"{http.base}/sms", smtp_host=smtp.host, smtp_port=smtp.port, webhook_secret=SECRET)
    dispatcher = Dispatcher(store.sessions, alerting, gateways(alerting, client))
    assert await dispatcher.drain() == 2
    [sms] = http.sms.acted.values()
    assert sms["to"] == DM_PHONE
    assert (sms["unicode"], sms["encoding"]) == (True, "UCS2")
    assert 2 <= sms["segments"] <= 4
    assert "হাওড়া" not in sms["text"]  # the district is named as LGD names it
    assert "Howrah" in sms["text"]
    assert "দৈনিক রিপোর্ট" in sms["text"]
    [(_, mail)] = smtp.received.acted.items()
    assert mail["To"] == SP_MAIL


async def test_recent_missing_cases_arriving_by_import_alert_historic_ones_do_not(store: Services) -> None:
    await seed_officials(store)
    day = today()
    recent = {"reported_at": f"{day.isoformat()}T00:05:00+05:30", "event_date": day.isoformat()}
    records = [
        exchange_record(1, **recent) | {"fir": {"number": "1/2026", "date": day.isoformat()}},
        exchange_record(2),  # reported 32 days ago: history, alerts nobody
        exchange_record(3, kind="FOUND", **recent),  # not missing
    ]
    lines = [json.dumps(r) for r in records]
    alert = arrival_alerter(store.settings, store.geography)
    await import_cases(store.sessions, lines, store.geography, day, alert=alert)
    rows = await outbox_rows(store, AlertRule.NEW_MISSING_CASE)
    assert {(r.channel, r.address) for r in rows} == {
        ("SMS", SHO_PHONE),
        ("EMAIL", "oc.ps1@wbp.example"),
        ("SMS", "+919830000009"),
        ("EMAIL", "dcpu@wb.example"),
        ("SMS", DM_PHONE),
    }
    assert len({r.case_id for r in rows}) == 1
    await import_cases(store.sessions, lines, store.geography, day, alert=alert)  # a rerun: nothing new
    assert len(await outbox_rows(store, AlertRule.NEW_MISSING_CASE)) == len(rows)
    quiet = [json.dumps(exchange_record(9, **recent) | {"fir": {"number": "9/2026", "date": day.isoformat()}})]
    await import_cases(store.sessions, quiet, store.geography, day)  # import cases --no-alerts
    assert len(await outbox_rows(store, AlertRule.NEW_MISSING_CASE)) == len(rows)


async def test_a_missing_case_new_to_the_hub_by_sync_alerts_in_the_batchs_transaction(store: Services) -> None:
    await seed_officials(store)
    alert = arrival_alerter(store.settings, store.geography)
    old = synced_missing("A-2")
    old.reported_at = datetime.now(UTC) - timedelta(days=40)
    old.event_date = old.missing.fir.date = today() - timedelta(days=41)  # type: ignore[union-attr, misc]
    new = synced_missing("A-1")
    page = Records(items=[new, old], next_cursor="c1")
    await sync_batch(store.sessions, store.geography, "police-19", None, page, alert=alert)
    rows = await outbox_rows(store, AlertRule.NEW_MISSING_CASE)
    assert len({r.case_id for r in rows}) == 1
    assert {"dcpu@wb.example", DM_PHONE} <= {r.address for r in rows}
    again = await sync_batch(
        store.sessions,
        store.geography,
        "police-19",
        "c1",
        Records([new], next_cursor="c2"),
        alert=alert,
    )
    assert again.outcome is not None
    assert len(await outbox_rows(store, AlertRule.NEW_MISSING_CASE)) == len(rows)  # known to the hub: no new alert


async def test_the_command_prints_what_each_rule_enqueued(store: Services, tmp_path: Path) -> None:
    await seed_officials(store)
    await submitted(store, citizen_missing())
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env["TRACKCHILD_DATABASE_URL"] = store.settings.database_url
    env["TRACKCHILD_DATA_DIR"] = str(tmp_path)
    if store.settings.database_schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = store.settings.database_schema
    later = (datetime.now(UTC) + timedelta(hours=13)).astimezone(IST)
    at = max(later, ist(later.date(), 9)).isoformat()
    command = [sys.executable, "-m", "trackchild_hub.cli", "alerts", "run", "--now", at]
    first = await asyncio.to_thread(_run, command, env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "CITIZEN_REPORT_OVERDUE: 2 alerts enqueued",
        "DISTRICT_DIGEST: 2 alerts enqueued",
    ]
    second = await asyncio.to_thread(_run, command, env)
    assert second.stdout.splitlines() == [
        "CITIZEN_REPORT_OVERDUE: 0 alerts enqueued",
        "DISTRICT_DIGEST: 0 alerts enqueued",
    ]
    wrong = await asyncio.to_thread(_run, [*command[:-1], "yesterday"], env)
    assert wrong.returncode == 2
    assert "--now" in wrong.stderr


async def test_two_processes_running_the_rules_at_once_enqueue_each_alert_once(store: Services, tmp_path: Path) -> None:
    await seed_officials(store)
    for i in range(20):
        await submitted(store, citizen_missing(contact_phone=f"98301 000{i:02d}"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env["TRACKCHILD_DATABASE_URL"] = store.settings.database_url
    env["TRACKCHILD_DATA_DIR"] = str(tmp_path)
    if store.settings.database_schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = store.settings.database_schema
    later = (datetime.now(UTC) + timedelta(hours=13)).astimezone(IST)
    at = max(later, ist(later.date(), 9)).isoformat()
    command = [sys.executable, "-m", "trackchild_hub.cli", "alerts", "run", "--now", at]
    both = await asyncio.gather(*(asyncio.to_thread(_run, command, env) for _ in range(2)))
    assert [p.returncode for p in both] == [0, 0], [p.stderr for p in both]
    enqueued = [int(line.split(": ")[1].split()[0]) for p in both for line in p.stdout.splitlines()]
    rows = await outbox_rows(store)
    assert sum(enqueued) == len(rows) == 20 * 2 + 2  # each report to the SHO's SMS and e-mail; the digest to two
    async with store.sessions() as session:
        events = await session.scalar(
            select(func.count()).select_from(CitizenReportEventRow).where(CitizenReportEventRow.type == OVERDUE_ALERTED)
        )
    assert events == 20


async def _reports(store: Services) -> list[CitizenReportRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(CitizenReportRow)))


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
