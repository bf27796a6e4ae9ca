"""The scheduled alert rules: citizen reports overdue for triage (their station's SHO), and each district's daily
digest (its Collector and Superintendent of Police). ``run_alert_rules(now)`` runs both once; ``serve`` runs it every
``TRACKCHILD_ALERT_RULES_EVERY_S`` (``alert_rules_forever``), and ``trackchild-hub alerts run [--now]`` by hand or
from cron.

Idempotent and safe to run in several processes at once: each rule runs in one transaction under its job's mark
(``store.alert_jobs.advance``: a row lock, so a second process waits and then finds the work done), a report is
alerted once (an ``OVERDUE_ALERTED`` event on its timeline, written with the alerts), a district's digest once a day
(the digest job's mark is the day), and every alert's idempotency key is unique in the outbox besides. The clock is
a parameter, so tests move it. Each alert is enqueued with the place of its event (the report's or the district's
state and district: keys ``outbox.enqueue`` keeps for the live feed only), which the feed filters by, as a case's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.alert_rules import (
    DIGEST_FALLBACK_KINDS,
    POST_WORDS,
    SHORT_POSTS,
    citizen_report_overdue,
    district_digest,
)
from ..domain.alerts import Body, Contacts, DistrictDigest, OverdueReport
from ..domain.geography import Geography
from ..domain.reference import IST
from ..settings import Settings
from ..store import alert_contacts, alert_jobs, outbox
from ..store.models.base import utcnow
from .alerts import columns

log = logging.getLogger(__name__)
OVERDUE_BATCH = 500  # reports alerted per transaction (a run takes batches until none is left)


@dataclass(frozen=True, slots=True)
class RulesRun:
    """How many alerts each rule enqueued in one run."""

    overdue: int
    digest: int

    def lines(self) -> list[str]:
        return [
            f"CITIZEN_REPORT_OVERDUE: {self.overdue} alerts enqueued",
            f"DISTRICT_DIGEST: {self.digest} alerts enqueued",
        ]


def report_link(settings: Settings, reference: str) -> str:
    """Where the station's officer opens the report (the console's triage page, by reference)."""
    return f"{settings.public_url}/citizen-reports/{reference}"


def digest_day(now: datetime, digest_hour: int) -> datetime | None:
    """The start (IST midnight, as UTC) of the day whose digest is due at ``now``: yesterday's, from ``digest_hour``
    IST on; None before that hour (a digest missed on its day, the hub down all day, is not sent late)."""
    local = now.astimezone(IST)
    if local.hour < digest_hour:
        return None
    return datetime.combine(local.date() - timedelta(days=1), time(), IST).astimezone(UTC)


async def run_alert_rules(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, geography: Geography, now: datetime
) -> RulesRun:
    """Run each scheduled rule once at ``now``."""
    return RulesRun(
        overdue=await overdue_reports(sessions, settings, now),
        digest=await daily_digest(sessions, settings, geography, now),
    )


async def overdue_reports(sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime) -> int:
    """Alert the station of every citizen report waiting for triage over ``triage_overdue_h`` hours, once each."""
    limit_h = settings.alerting.triage_overdue_h
    enqueued = 0
    async with sessions() as session, session.begin():
        if not await alert_jobs.advance(session, "citizen-report-overdue", _stamp(now)):
            return 0  # another process ran at this time or later: its run covers this one
        while True:
            reports = await alert_jobs.overdue_reports(session, now - timedelta(hours=limit_h), OVERDUE_BATCH)
            stations = {r.police_station_id for r in reports if r.police_station_id}
            found = {body.id: body for body in await alert_contacts.bodies(session, ids=stations)}
            alerts: list[dict[str, Any]] = []
            for report in reports:
                hours = int((now - report.created_at).total_seconds() // 3600)
                event = OverdueReport(
                    report.id,
                    report.reference,
                    report.police_station_id,
                    hours,
                    report_link(settings, report.reference),
                )
                place = {"state_code": report.state_code, "district_code": report.district_code}
                station = found.get(report.police_station_id or "")  # its own station only: by_id scans the tuple
                contacts = Contacts((station,) if station else (), settings.alerting.webhooks)
                alerts += [{**columns(a), **place} for a in citizen_report_overdue(event, contacts)]
            enqueued += await outbox.enqueue(session, alerts)
            await alert_jobs.mark_overdue_alerted(session, [r.id for r in reports], now, limit_h)
            if len(reports) < OVERDUE_BATCH:
                return enqueued


async def daily_digest(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, geography: Geography, now: datetime
) -> int:
    """The due day's digest to each district whose Collector or SP (or DCPU, SJPU) the directory lists; once."""
    start = digest_day(now, settings.alerting.digest_hour)
    if start is None:
        return 0
    end = start + timedelta(days=1)
    day = start.astimezone(IST).date()
    async with sessions() as session, session.begin():
        if not await alert_jobs.advance(session, "district-digest", day.isoformat()):
            return 0
        counts = await alert_jobs.day_counts(session, start, end, settings.alerting.triage_overdue_h)
        officials = await alert_contacts.district_officials(session, POST_WORDS, SHORT_POSTS, DIGEST_FALLBACK_KINDS)
        by_district: dict[tuple[str, str], list[Body]] = defaultdict(list)
        for body in officials:
            if body.state_code is not None and body.district_code is not None:
                by_district[(body.state_code, body.district_code)].append(body)
        alerts: list[dict[str, Any]] = []
        for (state, district), bodies in sorted(by_district.items()):
            n = counts.get((state, district), alert_jobs.DayCounts())
            event = DistrictDigest(
                state, district, day, n.new, n.traced, n.pending, n.overdue, f"{settings.public_url}/"
            )
            place = {"state_code": state, "district_code": district}
            chosen = district_digest(event, geography, Contacts(tuple(bodies), settings.alerting.webhooks))
            alerts += [{**columns(a), **place} for a in chosen]
        return await outbox.enqueue(session, alerts)


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def alert_rules_forever(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    geography: Geography,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Run the scheduled rules every ``rules_every_s`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            run = await run_alert_rules(sessions, settings, geography, clock())
            if run.overdue or run.digest:
                log.info("alert rules: %s", "; ".join(run.lines()))
        except Exception as exc:  # the database may be away for a moment; try again next round
            log.error("alert rules failed: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), settings.alerting.rules_every_s)
