"""Alerts for the workflow job's batches, enqueued in the batch's own transaction (an escalation and its alerts
commit together, or neither does): each case a batch sent to an AHTU alerts that AHTU (its own phones and e-mail and
its functionaries') and the station that held the case; each AHTU progress report a batch found overdue alerts the
AHTU. Set-based like the job: one read of the batch's cases, one read of the contacts of all their AHTUs and
stations (in chunks), the rules (``domain.alert_rules``, plain functions) per case in memory, one ``outbox.enqueue``
(so the live feed hears of them too). Idempotency keys are per case and rule (and due date for an overdue report):
a batch seen twice alerts once."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.alert_rules import ahtu_report_overdue, escalated_to_ahtu
from ..domain.alerts import AhtuEscalation, AhtuReportOverdue, Alert, Body, Contacts
from ..settings import Settings
from ..store import alert_contacts, outbox, workflow_alert_rows
from .alerts import case_link, columns

_CHUNK = 1000  # ids per directory read (well under SQLite's and asyncpg's bound-parameter limits)


async def on_escalated(session: AsyncSession, settings: Settings, batch: str) -> int:
    """Enqueue the alerts for the cases escalated by ``batch``; returns how many were new."""
    cases = await workflow_alert_rows.escalated(session, batch)
    if not cases:
        return 0
    ids = {c.ahtu_id for c in cases} | {c.from_station_id for c in cases if c.from_station_id}
    found = {body.id: body for body in await _bodies(session, ids)}
    alerts: list[Alert] = []
    for case in cases:
        event = AhtuEscalation(
            case.case_id, case.reference, case.ahtu_id, case.from_station_id, case_link(settings, case.reference)
        )
        alerts += escalated_to_ahtu(event, _contacts(found, settings, case.ahtu_id, case.from_station_id))
    return await outbox.enqueue(session, [columns(a) for a in alerts])


async def on_reports_overdue(session: AsyncSession, settings: Settings, batch: str) -> int:
    """Enqueue the alerts for the AHTU reports ``batch`` recorded as overdue; returns how many were new."""
    cases = await workflow_alert_rows.overdue(session, batch)
    if not cases:
        return 0
    found = {body.id: body for body in await _bodies(session, {c.ahtu_id for c in cases})}
    alerts: list[Alert] = []
    for case in cases:
        event = AhtuReportOverdue(
            case.case_id, case.reference, case.ahtu_id, case.due_on, case_link(settings, case.reference)
        )
        alerts += ahtu_report_overdue(event, _contacts(found, settings, case.ahtu_id))
    return await outbox.enqueue(session, [columns(a) for a in alerts])


async def _bodies(session: AsyncSession, ids: Collection[str]) -> list[Body]:
    wanted, found = sorted(ids), []
    for i in range(0, len(wanted), _CHUNK):
        found += await alert_contacts.bodies(session, ids=wanted[i : i + _CHUNK])
    return found


def _contacts(found: dict[str, Body], settings: Settings, *ids: str | None) -> Contacts:
    """The case's own bodies only (the rule chooses among them by id: a short tuple, not the batch's thousands)."""
    bodies = tuple(found[i] for i in ids if i is not None and i in found)
    return Contacts(bodies, settings.alerting.webhooks)
