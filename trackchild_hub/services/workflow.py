"""The workflow job: applies the missing-child rules (``domain.workflow_rules``) to the store, rule by rule, each
under a lease so that of several hub processes only one runs a rule at a time; idempotent (a case escalated, or an
overdue report recorded for its due date, is never picked again). ``trackchild-hub workflow run`` runs it once;
``serve`` runs it every ``TRACKCHILD_WORKFLOW_EVERY_S`` seconds (``workflow_forever``).

Time is a parameter: ``today`` (the rules' date, ``--today``) and ``clock`` (the events' time) let tests and
back-fills move it; leases always use the real clock, so a run with a date far ahead cannot hold a rule for months.

With ``settings`` (the command and ``serve`` pass them) each batch also enqueues its alerts in its own transaction
(``workflow_alerts``: the receiving AHTU and the station that held the case; the AHTU whose report is overdue).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.reference import IST
from ..domain.workflow_rules import WorkflowRule
from ..settings import Settings
from ..store import workflow_job as job
from ..store.models.base import utcnow
from . import workflow_alerts

log = logging.getLogger(__name__)
BATCH = 10_000
LEASE = timedelta(seconds=120)  # renewed with every batch; a dead holder's rule is free again after this
ACTOR = "system:workflow"
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class RuleRun:
    rule: WorkflowRule
    changed: int  # cases the rule changed
    ran: bool  # False: another process held the rule's lease
    alerts: int = 0  # alerts enqueued for the cases changed

    def line(self) -> str:
        """What ``workflow run`` prints for the rule."""
        alerts = f", {self.alerts} alerts enqueued" if self.alerts else ""
        elsewhere = "" if self.ran else " (running in another process)"
        return f"{self.rule.value}: {self.changed} cases{alerts}{elsewhere}"


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


async def run_rules(
    sessions: async_sessionmaker[AsyncSession],
    *,
    today: date | None = None,
    clock: Clock = utcnow,
    holder: str | None = None,
    batch: int = BATCH,
    settings: Settings | None = None,
) -> list[RuleRun]:
    """Apply every rule once, in order (trafficking first: a case due under both goes for the graver reason); with
    ``settings``, each batch enqueues its alerts (None: the job alone, no alerts)."""
    now = clock()
    day = today or now.astimezone(IST).date()
    me = holder or holder_name()
    runs: list[RuleRun] = []
    for rule in WorkflowRule:
        runs.append(await _run_rule(sessions, rule, day, now, me, batch, settings))
    return runs


async def _run_rule(
    sessions: async_sessionmaker[AsyncSession],
    rule: WorkflowRule,
    today: date,
    now: datetime,
    holder: str,
    batch: int,
    settings: Settings | None,
) -> RuleRun:
    async with sessions() as session, session.begin():
        if not await job.take_lease(session, rule.value, holder, utcnow(), LEASE):
            return RuleRun(rule, 0, ran=False)
    changed = alerts = 0
    after: job.Key | None = None  # the untraced rule walks the watched index once, window by window
    try:
        while True:
            async with sessions() as session, session.begin():
                if not await job.renew_lease(session, rule.value, holder, utcnow(), LEASE):
                    log.warning("workflow %s: lease lost after %d cases; another process goes on", rule.value, changed)
                    return RuleRun(rule, changed, ran=True, alerts=alerts)
                if rule is WorkflowRule.AHTU_REPORT_OVERDUE:
                    done = await job.overdue_batch(session, today, now, ACTOR, batch)
                    more = done.taken >= batch
                elif rule is WorkflowRule.ESCALATE_TRAFFICKING:
                    done = await job.escalate_batch(session, rule, today, now, ACTOR, batch)
                    more = done.taken >= batch
                else:
                    last = await job.window_end(session, today, after, batch)
                    await job.settle_batch(session, today, (after, last))
                    done = await job.escalate_batch(session, rule, today, now, ACTOR, batch, (after, last))
                    after, more = last, last is not None
                if settings is not None and done.changed:  # the batch's alerts commit with it
                    if rule is WorkflowRule.AHTU_REPORT_OVERDUE:
                        alerts += await workflow_alerts.on_reports_overdue(session, settings, done.id)
                    else:
                        alerts += await workflow_alerts.on_escalated(session, settings, done.id)
            changed += done.changed
            if not more:
                return RuleRun(rule, changed, ran=True, alerts=alerts)
    finally:
        async with sessions() as session, session.begin():
            await job.release_lease(session, rule.value, holder)


async def workflow_forever(
    sessions: async_sessionmaker[AsyncSession], every_s: float, stop: asyncio.Event, settings: Settings | None = None
) -> None:
    """Run the rules every ``every_s`` seconds until ``stop`` is set (one process at a time per rule: the leases),
    with their alerts when ``settings`` are given."""
    holder = holder_name()
    while not stop.is_set():
        try:
            runs = await run_rules(sessions, holder=holder, settings=settings)
        except Exception as exc:  # the database may be away for a moment; try again next round
            log.error("workflow run failed: %s", type(exc).__name__)
        else:
            for run in runs:
                if run.changed:
                    log.info("workflow %s: %d cases, %d alerts", run.rule.value, run.changed, run.alerts)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
