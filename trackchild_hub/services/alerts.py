"""Alerts for events, written to the outbox in the event's own transaction (the dispatcher sends them later).

``on_missing_reported`` is called by ``cases.report`` inside its write; ``on_likely_proposals`` by
``proposals.propose_for`` inside the transaction that stores the proposals. Each builds the event from what was just
written, reads the directory contacts the rule may choose from, runs the rule (``domain.alert_rules``, plain
functions) and enqueues its alerts (each idempotency key once: the same event seen twice alerts once).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.alert_rules import NEW_CASE_KINDS, alerted_districts, likely_match, new_missing_case
from ..domain.alerts import Alert, Contacts, LikelyMatch, NewMissingCase
from ..domain.geography import Geography
from ..settings import Settings
from ..store import alert_contacts, outbox
from ..store.models import CareCaseRow, CaseRow, FoundCaseRow


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
    )
    found = await alert_contacts.bodies(
        session,
        kinds=NEW_CASE_KINDS,
        districts=alerted_districts(geography, event),
        ids=[case.police_station_id] if case.police_station_id else [],
    )
    contacts = Contacts(tuple(found), settings.alerting.webhooks)
    return await outbox.enqueue(session, [columns(a) for a in new_missing_case(event, geography, contacts)])


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
