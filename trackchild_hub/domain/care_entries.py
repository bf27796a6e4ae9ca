"""The sections of a child's CCI e-file (JJ Act 2015 and the JJ Model Rules 2016), as given and as stored.

Each section is a plain dataclass the schema fills from its input; ``validated(section, today, geography)`` checks
it and answers what the store keeps: the entry's kind, the day it is about (``occurred_on``), the day something is
due on it (a CWC/JJB review not held yet: ``due_on``, what the overdue list reads), and the section's values as a
JSON object (``payload``). Entries are versioned by the store; nothing here knows about versions.

Refusals name the field below the section (``health_checkup.height_cm``); the service puts ``entry.`` in front and
spells it as the API does (``entry.healthCheckup.heightCm``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from .errors import BadUserInput
from .geography import Geography
from .languages import language_codes
from .text import check_text, clean_text, required_text

ORDER_NUMBER = 60  # as cases.admission_order_number
NAME = 200  # a person's or a body's name
REPORT = 5000  # a report, a note, findings
ITEM = 100  # one immunisation or condition
ITEMS = 50  # at most this many of them
HEIGHT_CM = (40.0, 200.0)
WEIGHT_KG = (2.0, 150.0)


class CareEntryKind(Enum):
    ADMISSION = "ADMISSION"
    SOCIAL_INVESTIGATION = "SOCIAL_INVESTIGATION"
    CARE_PLAN = "CARE_PLAN"
    HEALTH_CHECKUP = "HEALTH_CHECKUP"
    EDUCATION = "EDUCATION"
    COUNSELLING = "COUNSELLING"
    REVIEW = "REVIEW"
    RELEASE = "RELEASE"
    FOLLOW_UP = "FOLLOW_UP"


class CareBody(Enum):
    """Who orders and reviews: the Child Welfare Committee (children in need of care) or the Juvenile Justice Board."""

    CWC = "CWC"
    JJB = "JJB"


class CareOption(Enum):
    """The Individual Care Plan's order of preference (JJ Act s.3(xiii): institutionalisation is the last resort)."""

    FAMILY = "FAMILY"
    KINSHIP = "KINSHIP"
    ADOPTION = "ADOPTION"
    FOSTER_CARE = "FOSTER_CARE"
    INSTITUTION = "INSTITUTION"


class NeedArea(Enum):
    """The needs an Individual Care Plan addresses (JJ Model Rules 2016, Form 7)."""

    HEALTH = "HEALTH"
    EMOTIONAL = "EMOTIONAL"
    EDUCATION_AND_TRAINING = "EDUCATION_AND_TRAINING"
    LEISURE = "LEISURE"
    ATTACHMENTS = "ATTACHMENTS"
    RELIGIOUS_BELIEFS = "RELIGIOUS_BELIEFS"
    PROTECTION = "PROTECTION"
    SOCIAL_MAINSTREAMING = "SOCIAL_MAINSTREAMING"
    FOLLOW_UP = "FOLLOW_UP"


class LearningTrack(Enum):
    SCHOOL = "SCHOOL"
    OPEN_SCHOOLING = "OPEN_SCHOOLING"
    BRIDGE_COURSE = "BRIDGE_COURSE"
    VOCATIONAL = "VOCATIONAL"


class CounsellingMode(Enum):
    INDIVIDUAL = "INDIVIDUAL"
    GROUP = "GROUP"
    FAMILY = "FAMILY"


class ReleaseKind(Enum):
    """RESTORATION: home to family or guardian; REPATRIATION: restoration to another state (through its CWC);
    TRANSFER: to another institution or CWC. Restorations and repatriations are followed up at 1, 3 and 6 months."""

    RESTORATION = "RESTORATION"
    REPATRIATION = "REPATRIATION"
    TRANSFER = "TRANSFER"


FOLLOWED_UP = frozenset({ReleaseKind.RESTORATION, ReleaseKind.REPATRIATION})
FOLLOW_UP_MONTHS = (1, 3, 6)


@dataclass
class Admission:
    order_number: str
    order_date: date
    ordered_by: CareBody
    admitted_on: date
    production_report: str | None = None


@dataclass
class SocialInvestigation:
    prepared_on: date
    prepared_by: str
    findings: str
    recommendation: str | None = None


@dataclass
class Need:
    area: NeedArea
    plan: str


@dataclass
class CarePlan:
    prepared_on: date
    preferred_care: list[CareOption]
    needs: list[Need]


@dataclass
class HealthCheckup:
    checked_on: date
    height_cm: float | None = None
    weight_kg: float | None = None
    immunisations: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)


@dataclass
class Education:
    on: date
    track: LearningTrack
    provider: str
    level: str | None = None
    progress: str | None = None


@dataclass
class Counselling:
    held_on: date
    counsellor: str
    mode: CounsellingMode
    note: str


@dataclass
class Review:
    body: CareBody
    scheduled_on: date
    held_on: date | None = None
    order_number: str | None = None
    outcome: str | None = None


@dataclass
class Release:
    kind: ReleaseKind
    released_on: date
    order_number: str
    restored_to: str | None = None  # RESTORATION: the relation, e.g. "mother"
    destination_state: str | None = None
    destination_district: str | None = None
    destination_cwc: str | None = None
    interpreter_needed: bool = False
    interpreter_language: str | None = None
    escort: str | None = None


@dataclass
class FollowUp:
    month: int
    visited_on: date
    visited_by: str
    settled: bool
    findings: str | None = None


Section = (
    Admission | SocialInvestigation | CarePlan | HealthCheckup | Education | Counselling | Review | Release | FollowUp
)
KIND_OF: dict[type[Any], CareEntryKind] = {
    Admission: CareEntryKind.ADMISSION,
    SocialInvestigation: CareEntryKind.SOCIAL_INVESTIGATION,
    CarePlan: CareEntryKind.CARE_PLAN,
    HealthCheckup: CareEntryKind.HEALTH_CHECKUP,
    Education: CareEntryKind.EDUCATION,
    Counselling: CareEntryKind.COUNSELLING,
    Review: CareEntryKind.REVIEW,
    Release: CareEntryKind.RELEASE,
    FollowUp: CareEntryKind.FOLLOW_UP,
}
# The input field of each kind, as the rest of a refusal's path is spelled (snake_case; the service camel-cases).
FIELD_OF = {
    CareEntryKind.ADMISSION: "admission",
    CareEntryKind.SOCIAL_INVESTIGATION: "social_investigation",
    CareEntryKind.CARE_PLAN: "care_plan",
    CareEntryKind.HEALTH_CHECKUP: "health_checkup",
    CareEntryKind.EDUCATION: "education",
    CareEntryKind.COUNSELLING: "counselling",
    CareEntryKind.REVIEW: "review",
    CareEntryKind.RELEASE: "release",
    CareEntryKind.FOLLOW_UP: "follow_up",
}


@dataclass(frozen=True, slots=True)
class CareEntryData:
    """A checked section, as the store keeps it."""

    kind: CareEntryKind
    occurred_on: date
    due_on: date | None
    payload: dict[str, Any]


def validated(section: Section, today: date, geography: Geography) -> CareEntryData:
    kind = KIND_OF[type(section)]
    at = FIELD_OF[kind] + "."
    due_on: date | None = None
    payload: dict[str, Any]
    match section:
        case Admission():
            occurred = _past(at + "admitted_on", section.admitted_on, today)
            payload = {
                "order_number": _order_number(at + "order_number", section.order_number, required=True),
                "order_date": _past(at + "order_date", section.order_date, today).isoformat(),
                "ordered_by": section.ordered_by.value,
                "admitted_on": occurred.isoformat(),
                "production_report": clean_text(at + "production_report", section.production_report, REPORT),
            }
        case SocialInvestigation():
            occurred = _past(at + "prepared_on", section.prepared_on, today)
            payload = {
                "prepared_on": occurred.isoformat(),
                "prepared_by": required_text(at + "prepared_by", section.prepared_by, NAME),
                "findings": required_text(at + "findings", section.findings, REPORT),
                "recommendation": clean_text(at + "recommendation", section.recommendation, REPORT),
            }
        case CarePlan():
            occurred = _past(at + "prepared_on", section.prepared_on, today)
            payload = {
                "prepared_on": occurred.isoformat(),
                "preferred_care": _preferred_care(at + "preferred_care", section.preferred_care),
                "needs": _needs(at + "needs", section.needs),
            }
        case HealthCheckup():
            occurred = _past(at + "checked_on", section.checked_on, today)
            if section.height_cm is None and section.weight_kg is None and not section.conditions:
                raise BadUserInput(at + "height_cm", "give a height, a weight or a condition found")
            payload = {
                "checked_on": occurred.isoformat(),
                "height_cm": _within(at + "height_cm", section.height_cm, HEIGHT_CM, "cm"),
                "weight_kg": _within(at + "weight_kg", section.weight_kg, WEIGHT_KG, "kg"),
                "immunisations": _items(at + "immunisations", section.immunisations),
                "conditions": _items(at + "conditions", section.conditions),
            }
        case Education():
            occurred = _past(at + "on", section.on, today)
            payload = {
                "on": occurred.isoformat(),
                "track": section.track.value,
                "provider": required_text(at + "provider", section.provider, NAME),
                "level": clean_text(at + "level", section.level, ITEM),
                "progress": clean_text(at + "progress", section.progress, REPORT),
            }
        case Counselling():
            occurred = _past(at + "held_on", section.held_on, today)
            payload = {
                "held_on": occurred.isoformat(),
                "counsellor": required_text(at + "counsellor", section.counsellor, NAME),
                "mode": section.mode.value,
                "note": required_text(at + "note", section.note, REPORT),
            }
        case Review():
            occurred = _scheduled(at + "scheduled_on", section.scheduled_on, today)  # may be ahead: fixed in advance
            held = _past(at + "held_on", section.held_on, today) if section.held_on is not None else None
            due_on = None if held is not None else section.scheduled_on
            payload = {
                "body": section.body.value,
                "scheduled_on": section.scheduled_on.isoformat(),
                "held_on": held.isoformat() if held else None,
                "order_number": _order_number(at + "order_number", section.order_number),
                "outcome": clean_text(at + "outcome", section.outcome, REPORT),
            }
        case Release():
            occurred = _past(at + "released_on", section.released_on, today)
            payload = _release(at, section, geography) | {"released_on": occurred.isoformat()}
        case FollowUp():
            occurred = _past(at + "visited_on", section.visited_on, today)
            if section.month not in FOLLOW_UP_MONTHS:
                raise BadUserInput(at + "month", f"{section.month} is not one of 1, 3, 6")
            payload = {
                "month": section.month,
                "visited_on": occurred.isoformat(),
                "visited_by": required_text(at + "visited_by", section.visited_by, NAME),
                "settled": section.settled,
                "findings": clean_text(at + "findings", section.findings, REPORT),
            }
    return CareEntryData(kind=kind, occurred_on=occurred, due_on=due_on, payload=payload)


# A child in care is under 18, so nothing in an e-file happened longer ago than this; a review is fixed ahead, but
# not this far. Without them a check-up on 0001-01-01 was kept and a review scheduled then led the overdue list.
EARLIEST_YEARS = 25
REVIEW_AHEAD_YEARS = 5


def _past(field: str, day: date, today: date) -> date:
    if day > today:
        raise BadUserInput(field, f"{day.isoformat()} is in the future")
    return _not_ancient(field, day, today)


def _not_ancient(field: str, day: date, today: date) -> date:
    if day < today - timedelta(days=366 * EARLIEST_YEARS):
        raise BadUserInput(field, f"{day.isoformat()} is more than {EARLIEST_YEARS} years ago")
    return day


def _scheduled(field: str, day: date, today: date) -> date:
    if day > today + timedelta(days=366 * REVIEW_AHEAD_YEARS):
        raise BadUserInput(field, f"{day.isoformat()} is more than {REVIEW_AHEAD_YEARS} years ahead")
    return _not_ancient(field, day, today)


def _order_number(field: str, value: str | None, *, required: bool = False) -> str | None:
    """An identifier as written on the order: checked as it is (a line break in it is refused, not folded)."""
    check_text(field, value, ORDER_NUMBER, required=required)
    return value.strip() if value is not None and value.strip() else None


def _within(field: str, value: float | None, bounds: tuple[float, float], unit: str) -> float | None:
    if value is None:
        return None
    low, high = bounds
    if not low <= value <= high:  # NaN fails too
        raise BadUserInput(field, f"{value:g} {unit} is outside {low:g}-{high:g} {unit}")
    return round(value, 1)


def _items(field: str, values: list[str]) -> list[str]:
    if len(values) > ITEMS:
        raise BadUserInput(field, f"has more than {ITEMS} items")
    return [required_text(f"{field}.{i}", v, ITEM) for i, v in enumerate(values)]


def _preferred_care(field: str, options: list[CareOption]) -> list[str]:
    if not options:
        raise BadUserInput(field, "name at least one option, most preferred first")
    if len(set(options)) != len(options):
        raise BadUserInput(field, "names an option twice")
    return [o.value for o in options]


def _needs(field: str, needs: list[Need]) -> list[dict[str, str]]:
    seen: set[NeedArea] = set()
    out = []
    for i, need in enumerate(needs):
        if need.area in seen:
            raise BadUserInput(f"{field}.{i}.area", f"{need.area.value} is planned twice")
        seen.add(need.area)
        out.append({"area": need.area.value, "plan": required_text(f"{field}.{i}.plan", need.plan, REPORT)})
    if not out:
        raise BadUserInput(field, "plan at least one need area")
    return out


def _release(at: str, r: Release, geography: Geography) -> dict[str, Any]:
    moving = r.kind is not ReleaseKind.RESTORATION
    if moving:
        if r.destination_state is None or geography.state(r.destination_state) is None:
            raise BadUserInput(at + "destination_state", "a transfer or repatriation names an LGD state code")
        if r.destination_district is not None:
            district = geography.district(r.destination_district)
            if district is None or district.state_code != r.destination_state:
                raise BadUserInput(at + "destination_district", "is not a district of the destination state")
    elif r.destination_state is not None or r.destination_district is not None:
        raise BadUserInput(at + "destination_state", "a restoration has no destination state; use REPATRIATION")
    if r.interpreter_language is not None and not r.interpreter_needed:
        raise BadUserInput(at + "interpreter_language", "is given but no interpreter is needed")
    language = None
    if r.interpreter_language is not None:
        try:
            [language] = language_codes(at + "interpreter_language", [r.interpreter_language])
        except BadUserInput as exc:
            raise BadUserInput(at + "interpreter_language", exc.reason) from None
    return {
        "kind": r.kind.value,
        "order_number": _order_number(at + "order_number", r.order_number, required=True),
        "restored_to": clean_text(at + "restored_to", r.restored_to, NAME),
        "destination_state": r.destination_state,
        "destination_district": r.destination_district,
        "destination_cwc": (
            required_text(at + "destination_cwc", r.destination_cwc, NAME)
            if moving
            else clean_text(at + "destination_cwc", r.destination_cwc, NAME)
        ),
        "interpreter_needed": r.interpreter_needed,
        "interpreter_language": language,
        "escort": clean_text(at + "escort", r.escort, NAME),
    }
