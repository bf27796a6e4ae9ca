"""Alerts as plain data: the events rules read, the directory contacts they choose from, and the alerts they make.

An alert names a case reference and a link, never a child's name: the events carry no name to put in one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class Channel(Enum):
    SMS = "SMS"
    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"


class AlertRule(Enum):
    NEW_MISSING_CASE = "NEW_MISSING_CASE"
    LIKELY_MATCH = "LIKELY_MATCH"
    CITIZEN_REPORT_OVERDUE = "CITIZEN_REPORT_OVERDUE"
    DISTRICT_DIGEST = "DISTRICT_DIGEST"
    ESCALATED_TO_AHTU = "ESCALATED_TO_AHTU"
    AHTU_REPORT_OVERDUE = "AHTU_REPORT_OVERDUE"


@dataclass(frozen=True, slots=True)
class NewMissingCase:
    """A missing child's case was just reported at the hub."""

    case_id: str
    reference: str
    state_code: str
    district_code: str | None
    police_station_id: str | None
    link: str  # where an officer reads the case (the hub's console): the reference, not the child
    urgency: str | None = None  # the SOP risk assessment's (ROUTINE | HIGH | IMMEDIATE), if the report carried one


@dataclass(frozen=True, slots=True)
class LikelyMatch:
    """A LIKELY match proposal between a missing case and a found or care case was just stored."""

    pair_id: str
    missing_case_id: str
    missing_reference: str
    missing_station_id: str | None  # the investigating station
    other_case_id: str
    other_reference: str
    other_station_id: str | None  # the station holding the found child
    other_institution_id: str | None  # the institution holding the found or cared-for child
    link: str


@dataclass(frozen=True, slots=True)
class OverdueReport:
    """A citizen report or sighting has waited for triage longer than the hub allows (``TRACKCHILD_TRIAGE_OVERDUE_H``).
    It names the report's reference only: what the citizen wrote stays in the triage queue."""

    report_id: str
    reference: str  # CR-...
    police_station_id: str | None
    hours: int  # how long it has waited, whole hours
    link: str


@dataclass(frozen=True, slots=True)
class DistrictDigest:
    """One district's counts for one day (``alert_rules`` defines them; README "Alerts" too): no case, no name."""

    state_code: str
    district_code: str
    day: date  # the calendar day (IST) counted
    new: int
    traced: int
    pending: int
    overdue: int
    link: str


@dataclass(frozen=True, slots=True)
class AhtuEscalation:
    """The workflow job transferred a missing child's case to an Anti Human Trafficking Unit (``ESCALATED_TO_AHTU``)."""

    case_id: str
    reference: str
    ahtu_id: str  # the receiving unit's directory entry
    from_station_id: str | None  # the station that held the case until now
    link: str


@dataclass(frozen=True, slots=True)
class AhtuReportOverdue:
    """An AHTU's progress report on a case it holds is past its due date (``AHTU_REPORT_OVERDUE``, once per date)."""

    case_id: str
    reference: str
    ahtu_id: str
    due_on: date
    link: str


@dataclass(frozen=True, slots=True)
class Person:
    """A functionary of a directory body (SHO, DCPO ...): their post and contacts (never their name)."""

    id: str
    phones: tuple[str, ...] = ()
    email: str | None = None
    designation: str = ""


@dataclass(frozen=True, slots=True)
class Body:
    """A directory body (a police station, a DCPU, an institution ...) as the rules see it."""

    id: str  # a directory entry id, or "institution:<id>" for a registered institution
    kind: str
    state_code: str | None
    district_code: str | None
    phones: tuple[str, ...] = ()
    email: str | None = None
    languages: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True)
class Contacts:
    """What a rule may choose recipients from: directory bodies, and the partners' webhook URLs (every alert)."""

    bodies: tuple[Body, ...] = ()
    webhooks: tuple[str, ...] = ()

    def by_id(self, body_id: str | None) -> Body | None:
        return next((b for b in self.bodies if b.id == body_id), None) if body_id else None


@dataclass(frozen=True, slots=True)
class Alert:
    """One message to one address; ``key`` is its idempotency key, the same however often the event is seen."""

    rule: AlertRule
    case_id: str | None  # the event's case; None for a citizen report's or a district's alert
    reference: str
    channel: Channel
    address: str
    language: str
    subject: str
    message: str
    entry_id: str | None = None
    functionary_id: str | None = None
    key: str = field(default="")

    def __post_init__(self) -> None:
        if not self.key:
            text = f"{self.rule.value}|{self.case_id}|{self.reference}|{self.channel.value}|{self.address}"
            object.__setattr__(self, "key", hashlib.sha256(text.encode()).hexdigest()[:40])
