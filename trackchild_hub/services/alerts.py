"""Alerts for events, written to the outbox in the event's own transaction (the dispatcher sends them later).

``on_missing_reported`` is called by ``cases.report`` inside its write; ``on_likely_proposals`` by
``proposals.propose_for`` inside the transaction that stores the proposals; ``on_missing_arrived`` by a sync or an
import inside each batch's transaction (``arrival_alerter``), for the recent ones of the missing cases it created.
Each builds the event from what was just written, reads the directory contacts the rule may choose from, runs the
rule (``domain.alert_rules``, plain functions) and enqueues its alerts (each idempotency key once: the same event
seen twice alerts once). The scheduled rules (overdue citizen reports, the daily digest) are ``alert_jobs``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.alert_rules import NEW_CASE_KINDS, alerted_districts, likely_match, new_missing_case
from ..domain.alerts import Alert, Body, Contacts, LikelyMatch, NewMissingCase
from ..domain.enums import CaseKind, CaseStatus
from ..domain.geography import Geography
from ..settings import Settings
from ..store import alert_contacts, outbox
from ..store.models import CareCaseRow, CaseRow, FoundCaseRow, RiskAssessmentRow
from ..store.models.base import utcnow


def case_link(settings: Settings, reference: str) -> str:
    """Where an officer opens the case: the hub's console by reference (no name, no internal id)."""
    return f"{settings.public_url}/cases/{reference}"


async def on_missing_reported(session: AsyncSession, settings: Settings, geography: Geography, case_id: str) -> int:
    """Enqueue the alerts for a missing child's case just written in ``session``'s transaction; returns how many."""
    case = await session.get(CaseRow, case_id)
    assert case is not None
    event = NewMissingCase(
        case_id=case.id,
        reference=case.reference,
        state_code=case.state_code,
        district_code=case.district_code,
        police_station_id=case.police_station_id,
        link=case_link(settings, case.reference),
        urgency=await session.scalar(select(RiskAssessmentRow.urgency).where(RiskAssessmentRow.case_id == case.id)),
    )
    found = await alert_contacts.bodies(
        session,
        kinds=NEW_CASE_KINDS,
        districts=alerted_districts(geography, event),
        ids=[case.police_station_id] if case.police_station_id else [],
    )
    contacts = Contacts(tuple(found), settings.alerting.webhooks)
    alerts = new_missing_case(event, geography, contacts)
    return await outbox.enqueue(session, [{**columns(a), "urgency": event.urgency} for a in alerts])  # urgency: live


async def on_likely_proposals(session: AsyncSession, settings: Settings, proposals: Sequence[dict[str, Any]]) -> int:
    """Enqueue the alerts for the LIKELY ones of ``proposals`` just stored in ``session``'s transaction."""
    likely = [p for p in proposals if p.get("band") == "LIKELY"]
    if not likely:
        return 0
    ids = {p["missing_case_id"] for p in likely} | {p["other_case_id"] for p in likely}
    cases = {c.id: c for c in await session.scalars(select(CaseRow).where(CaseRow.id.in_(ids)))}
    alerts: list[Alert] = []
    for proposal in likely:
        missing, other = cases.get(proposal["missing_case_id"]), cases.get(proposal["other_case_id"])
        if missing is None or other is None:
            continue
        holder = other.institution_id if isinstance(other, FoundCaseRow | CareCaseRow) else None
        event = LikelyMatch(
            pair_id=proposal["id"],
            missing_case_id=missing.id,
            missing_reference=missing.reference,
            missing_station_id=missing.police_station_id,
            other_case_id=other.id,
            other_reference=other.reference,
            other_station_id=other.police_station_id,
            other_institution_id=holder,
            link=case_link(settings, missing.reference),
        )
        stations = [i for i in (event.missing_station_id, event.other_station_id) if i]
        found = await alert_contacts.bodies(session, ids=stations, institution_ids=[holder] if holder else [])
        alerts += likely_match(event, Contacts(tuple(found), settings.alerting.webhooks))
    return await outbox.enqueue(session, [columns(a) for a in alerts])


ArrivalAlert = Callable[[AsyncSession, Sequence[str]], Awaitable[int]]
_CHUNK = 1000


def arrival_alerter(settings: Settings, geography: Geography, clock: Callable[[], datetime] = utcnow) -> ArrivalAlert:
    """``on_missing_arrived`` for a sync or an import to call in each batch's transaction."""

    async def alert(session: AsyncSession, case_ids: Sequence[str]) -> int:
        return await on_missing_arrived(session, settings, geography, case_ids, clock())

    return alert


async def on_missing_arrived(
    session: AsyncSession, settings: Settings, geography: Geography, case_ids: Sequence[str], now: datetime
) -> int:
    """Enqueue the new-case alerts for cases just created by a sync or an import (``case_ids``, in ``session``'s
    transaction): the open missing ones reported in the last ``arrival_days`` days only, so a load of historic cases
    alerts nobody. The batch's contacts are read once; the rule runs per case on its districts' bodies."""
    days = settings.alerting.arrival_days
    if not case_ids or days <= 0:
        return 0
    since = now - timedelta(days=days)
    events: list[NewMissingCase] = []
    for i in range(0, len(case_ids), _CHUNK):
        found = await session.execute(
            select(CaseRow.id, CaseRow.reference, CaseRow.state_code, CaseRow.district_code, CaseRow.police_station_id)
            .where(
                CaseRow.id.in_(list(case_ids[i : i + _CHUNK])),
                CaseRow.kind == CaseKind.MISSING.value,
                CaseRow.status == CaseStatus.OPEN.value,
                CaseRow.reported_at >= since,
            )
            .order_by(CaseRow.reported_at, CaseRow.id)
        )
        events += [
            NewMissingCase(case_id, reference, state, district, station, case_link(settings, reference))
            for case_id, reference, state, district, station in found
        ]
    if not events:
        return 0
    districts = {e.case_id: alerted_districts(geography, e) for e in events}
    stations = {e.police_station_id for e in events if e.police_station_id}
    found_bodies = await alert_contacts.bodies(
        session, kinds=NEW_CASE_KINDS, districts={d for ds in districts.values() for d in ds}, ids=stations
    )
    by_district: dict[str | None, list[Body]] = defaultdict(list)
    for body in found_bodies:
        by_district[body.district_code].append(body)
    by_id = {body.id: body for body in found_bodies}
    alerts: list[Alert] = []
    for event in events:
        near = [b for d in districts[event.case_id] for b in by_district.get(d, ())]
        station = by_id.get(event.police_station_id or "")
        bodies = tuple(near + ([station] if station is not None and station not in near else []))
        alerts += new_missing_case(event, geography, Contacts(bodies, settings.alerting.webhooks))
    return await outbox.enqueue(session, [columns(a) for a in alerts])


def columns(alert: Alert) -> dict[str, Any]:
    """An alert as the outbox's columns."""
    return {
        "rule": alert.rule.value,
        "case_id": alert.case_id,
        "reference": alert.reference,
        "recipient_entry_id": alert.entry_id,
        "recipient_functionary_id": alert.functionary_id,
        "channel": alert.channel.value,
        "address": alert.address,
        "language": alert.language,
        "subject": alert.subject,
        "message": alert.message,
        "idempotency_key": alert.key,
    }
