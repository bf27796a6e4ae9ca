"""What a citizen tells the hub without a token: a family's report of a missing child or a passer-by's sighting.

Checked here whatever door it came in by; a refusal names the field by its input path (``input.contactPhone``).
Both the consent and the declaration (no details of a sexual offence against the child: those go to the police or
1098 directly, never into a public form) must be given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from .age import check_age_years
from .coordinates import check_point
from .enums import Gender
from .errors import BadUserInput
from .geography import Geography
from .languages import language_codes
from .phone import normalise_phone
from .text import clean_text


class CitizenReportKind(Enum):
    MISSING = "MISSING"  # my child is missing
    SIGHTING = "SIGHTING"  # I saw this child, or a child who needs help


class TriageStatus(Enum):
    UNTRIAGED = "UNTRIAGED"
    TRIAGED = "TRIAGED"


class TriageDecision(Enum):
    CASE_REGISTERED = "CASE_REGISTERED"  # a report became a missing case (FIR registered)
    LINKED = "LINKED"  # a sighting linked to a case
    DISMISSED = "DISMISSED"


class PublicStatus(Enum):
    """What ``caseStatus`` tells the citizen: coarse, nothing about the child."""

    RECEIVED = "RECEIVED"  # waiting for the station's triage
    CASE_REGISTERED = "CASE_REGISTERED"
    LINKED = "LINKED"
    CLOSED = "CLOSED"  # dismissed, or its case closed
    UNKNOWN = "UNKNOWN"  # no such reference, or not its code: one answer for both


@dataclass(slots=True)
class CitizenReportData:
    kind: CitizenReportKind
    contact_phone: str
    consent: bool
    declares_no_sexual_offence: bool
    state: str
    event_date: date
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_text: str | None = None
    child_name: str | None = None
    gender: Gender | None = None
    age_years: int | None = None
    height_cm: int | None = None
    complexion: str | None = None
    identifying_marks: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    clothing: str | None = None
    circumstances: str | None = None
    reporter_name: str | None = None
    reporter_relation: str | None = None
    needs_help: bool = False


def validate_citizen_report(report: CitizenReportData, geography: Geography, today: date) -> None:
    """Check and normalise ``report`` in place (the phone to E.164, text folded); field names as the input's."""
    if not report.consent:
        raise BadUserInput("input.consent", "must be true: the police may use and share what you report")
    if not report.declares_no_sexual_offence:
        raise BadUserInput(
            "input.declaresNoSexualOffence",
            "must be true: this form must not hold details of a sexual offence against the child",
            suggestion="report such an offence to the police directly or call 1098",
        )
    phone = normalise_phone(report.contact_phone)
    if phone is None:
        raise BadUserInput(
            "input.contactPhone", "is not an Indian phone number", suggestion="ten digits, optionally with +91"
        )
    report.contact_phone = phone
    _check_place(report, geography)
    if report.event_date > today:
        raise BadUserInput("input.eventDate", f"{report.event_date} is in the future")
    if report.event_date < today - timedelta(days=365 * 18):
        raise BadUserInput("input.eventDate", f"{report.event_date} is more than 18 years ago")
    check_age_years("input.ageYears", report.age_years)
    if report.height_cm is not None and not 30 <= report.height_cm <= 220:
        raise BadUserInput("input.heightCm", f"{report.height_cm} is outside 30-220")
    report.child_name = clean_text("input.childName", report.child_name, 200)
    report.complexion = clean_text("input.complexion", report.complexion, 50)
    marks = (clean_text("input.identifyingMarks", m) for m in report.identifying_marks)
    report.identifying_marks = [m for m in marks if m]
    report.languages = language_codes("input.languages", report.languages)
    report.clothing = clean_text("input.clothing", report.clothing, 500)
    report.circumstances = clean_text("input.circumstances", report.circumstances)
    report.reporter_name = clean_text("input.reporterName", report.reporter_name, 200)
    report.reporter_relation = clean_text("input.reporterRelation", report.reporter_relation, 50)
    if report.kind is CitizenReportKind.MISSING:
        if report.child_name is None:
            raise BadUserInput("input.childName", "is required: the police need the child's name")
        if report.gender is None:
            raise BadUserInput("input.gender", "is required")
    elif report.child_name is None and report.clothing is None and report.circumstances is None:
        raise BadUserInput("input.circumstances", "say what you saw: the child's clothing, or what happened")


def _check_place(report: CitizenReportData, geography: Geography) -> None:
    state = geography.state(report.state)
    if state is None:
        raise BadUserInput("input.state", f"{report.state!r} is not an LGD state code")
    if report.district is not None:
        district = geography.district(report.district)
        if district is None or district.state_code != state.code:
            raise BadUserInput("input.district", f"{report.district!r} is not a district of {state.name}")
    check_point("input.latitude", report.latitude, report.longitude)
    report.place_text = clean_text("input.placeText", report.place_text, 500)
    if report.district is None and report.latitude is None:
        raise BadUserInput("input.district", "give the district or the coordinates of the place")


def public_status(status: str, decision: str | None, case_closed: bool) -> PublicStatus:
    if status == TriageStatus.UNTRIAGED.value:
        return PublicStatus.RECEIVED
    if decision == TriageDecision.DISMISSED.value or case_closed:
        return PublicStatus.CLOSED
    if decision == TriageDecision.CASE_REGISTERED.value:
        return PublicStatus.CASE_REGISTERED
    return PublicStatus.LINKED
