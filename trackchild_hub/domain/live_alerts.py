"""Live alerts: what an alert event looks like on an officer's console, and who may see it.

The outbox holds one row per message to one recipient; a console wants one line per event. ``events_of`` folds a
committed transaction's outbox rows into events (one per rule and reference, however many SMS, e-mails and webhooks
announce it). An event names a case reference, LGD codes and a link, never a child's name or anyone's phone: it is
built from the outbox's rule, reference and case columns only, never from a message text or an address.

``visible_to`` is the record rule for events: the subscriber's jurisdiction (``RecordScope``; an event without a
place is for national subscribers only), confidential children only for the bodies that may know of them, and the
scopes a rule's events need beyond ``alerts:read`` (a likely match is match data: ``matches:read``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .filters import RecordScope

# A rule's events need these scopes too (any one of them); rules not named need ``alerts:read`` only.
RULE_SCOPES: Mapping[str, frozenset[str]] = {"LIKELY_MATCH": frozenset({"matches:read"})}


@dataclass(frozen=True, slots=True)
class LiveAlert:
    """One alert event as a console sees it."""

    rule: str
    reference: str  # the case reference (a likely match: "missing/other")
    state_code: str | None  # where the event's case is held; None: not tied to a place (national subscribers only)
    district_code: str | None
    link: str  # where the officer opens the case
    created_at: datetime
    urgency: str | None = None
    confidential: bool = False  # the child is in conflict with law or a POCSO victim: CWC/JJB/DCPU only

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reference": self.reference,
            "state": self.state_code,
            "district": self.district_code,
            "link": self.link,
            "createdAt": self.created_at.isoformat(),
            "urgency": self.urgency,
            "confidential": self.confidential,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LiveAlert:
        return cls(
            rule=str(data["rule"]),
            reference=str(data["reference"]),
            state_code=_optional(data.get("state")),
            district_code=_optional(data.get("district")),
            link=str(data["link"]),
            created_at=datetime.fromisoformat(str(data["createdAt"])),
            urgency=_optional(data.get("urgency")),
            confidential=bool(data.get("confidential", False)),
        )


@dataclass(frozen=True, slots=True)
class Enqueued:
    """What an outbox row says of its event (no message, no address): the input of ``events_of``."""

    rule: str
    reference: str
    case_id: str | None
    created_at: datetime
    state_code: str | None = None
    district_code: str | None = None
    urgency: str | None = None
    confidential: bool = False


def events_of(rows: Iterable[Enqueued], link_for: Callable[[str], str]) -> list[LiveAlert]:
    """One event per (rule, reference) among ``rows``, in the order first seen; ``link_for(reference)`` the link."""
    events: dict[tuple[str, str], LiveAlert] = {}
    for row in rows:
        key = (row.rule, row.reference)
        if key in events:
            continue
        events[key] = LiveAlert(
            rule=row.rule,
            reference=row.reference,
            state_code=row.state_code,
            district_code=row.district_code,
            link=link_for(row.reference),
            created_at=row.created_at,
            urgency=row.urgency,
            confidential=row.confidential,
        )
    return list(events.values())


def visible_to(event: LiveAlert, scope: RecordScope, scopes: frozenset[str]) -> bool:
    """Whether a subscriber with ``scope`` (jurisdiction) and ``scopes`` (already holding alerts:read) sees it."""
    needed = RULE_SCOPES.get(event.rule)
    if needed is not None and not needed & scopes:
        return False
    if event.state_code is None and scope.state is not None:
        return False  # not tied to a place: a national subscriber's only
    return scope.admits(event.state_code, event.district_code, event.confidential)


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)
