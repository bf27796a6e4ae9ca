"""Rules every case obeys, whatever door it came in by (mutation, import, sync).

Raises ``BadUserInput`` naming the field by its exchange-record path (``child.age_years``); the GraphQL edge
renders the same path in camelCase.
"""

from __future__ import annotations

from collections.abc import Sized
from datetime import date, datetime, timedelta

from .age import MAX_CHILD_AGE, check_age_years, years_between
from .coordinates import check_point
from .enums import CaseKind
from .errors import BadUserInput
from .geography import Geography
from .languages import language_codes
from .phone import normalise_phone
from .records import CaseData, ChildData, PlaceData
from .text import check_text, clean_text

# Reported times may carry another zone than the server's: allow a day of slack before calling them future.
_CLOCK_SLACK = timedelta(days=1)
# Far more than any child is recorded with, so a record is never refused for what it truly holds; each name word is
# a key the matcher reaches the case by and a word every search that reaches it compares, so the lists are bounded.
MAX_ALIASES, MAX_GUARDIANS, MAX_MARKS, MAX_LANGUAGES = 20, 10, 30, 10


def validate_case(case: CaseData, geography: Geography, today: date) -> None:
    """Check and normalise ``case`` in place (phones to E.164, names trimmed)."""
    _validate_dates(case, today)
    validate_child(case.child, case.event_date)
    validate_place(case.place, geography)
    _validate_details(case)
    check_text("external_id", case.external_id, 200)
    check_text("source", case.source, 100)


def _validate_dates(case: CaseData, today: date) -> None:
    if case.event_date > today:
        raise BadUserInput("event_date", f"{case.event_date} is in the future")
    if case.event_date < today - timedelta(days=365 * 30):
        raise BadUserInput("event_date", f"{case.event_date} is more than 30 years ago")
    reported_on = _day(case.reported_at)
    if reported_on > today + _CLOCK_SLACK:
        raise BadUserInput("reported_at", f"{case.reported_at.isoformat()} is in the future")
    if reported_on + _CLOCK_SLACK < case.event_date:
        raise BadUserInput("reported_at", "is before the event date")


def validate_child(child: ChildData, event_date: date) -> None:
    check_counts(
        ("child.aliases", child.aliases, MAX_ALIASES),
        ("child.guardians", child.guardians, MAX_GUARDIANS),
        ("child.identifying_marks", child.identifying_marks, MAX_MARKS),
        ("child.languages", child.languages, MAX_LANGUAGES),
    )
    child.name = clean_text("child.name", child.name, 200)
    child.aliases = [a for a in (clean_text("child.aliases", x, 100) for x in child.aliases) if a]
    marks = (clean_text("child.identifying_marks", x) for x in child.identifying_marks)
    child.identifying_marks = [m for m in marks if m]
    child.clothing = clean_text("child.clothing", child.clothing)
    child.complexion = clean_text("child.complexion", child.complexion, 50)
    check_age_years("child.age_years", child.age_years)
    if child.date_of_birth is not None:
        if child.date_of_birth > event_date:
            raise BadUserInput("child.date_of_birth", "is after the event date")
        age = years_between(child.date_of_birth, event_date)
        if age > MAX_CHILD_AGE:
            raise BadUserInput("child.date_of_birth", f"makes the child {age} on the event date, not a child")
        if child.age_years is not None and abs(age - child.age_years) > 1:
            raise BadUserInput("child.age_years", f"{child.age_years} disagrees with the date of birth ({age})")
    if child.height_cm is not None and not 30 <= child.height_cm <= 220:
        raise BadUserInput("child.height_cm", f"{child.height_cm} is outside 30-220")
    child.languages = language_codes("child.languages", child.languages)
    for i, guardian in enumerate(child.guardians):
        guardian.name = clean_text(f"child.guardians.{i}.name", guardian.name, 200)
        guardian.phone = _phone(f"child.guardians.{i}.phone", guardian.phone)


def check_counts(*lists: tuple[str, Sized, int]) -> None:
    """Each (field, list, most): a list longer than its most is refused naming the field."""
    for field, listed, most in lists:
        if len(listed) > most:
            raise BadUserInput(field, f"lists {len(listed)}, at most {most}")


def validate_place(place: PlaceData, geography: Geography) -> None:
    state = geography.state(place.state)
    if state is None:
        raise BadUserInput("place.state", f"{place.state!r} is not an LGD state code")
    if place.district is not None:
        district = geography.district(place.district)
        if district is None:
            raise BadUserInput("place.district", f"{place.district!r} is not a known LGD district code")
        if district.state_code != state.code:
            raise BadUserInput("place.district", f"{district.name} ({district.code}) is not in {state.name}")
    check_point("place.latitude", place.latitude, place.longitude)
    place.text = clean_text("place.text", place.text, 500)


def _validate_details(case: CaseData) -> None:
    if case.kind is CaseKind.MISSING:
        missing = case.missing
        if missing is None or missing.fir is None:
            raise BadUserInput(
                "fir", "a missing child report needs its FIR", suggestion="register the FIR first (mandatory)"
            )
        check_text("fir.number", missing.fir.number, 50, required=True)
        if missing.fir.date < case.event_date:
            raise BadUserInput("fir.date", "is before the child was last seen")
        if missing.fir.date > _day(case.reported_at) + _CLOCK_SLACK:
            raise BadUserInput("fir.date", "is after the report")
        missing.reporter_phone = _phone("missing.reporter.phone", missing.reporter_phone)
        missing.reporter_name = clean_text("missing.reporter.name", missing.reporter_name, 200)
        missing.circumstances = clean_text("missing.circumstances", missing.circumstances)
    elif case.kind is CaseKind.FOUND:
        found = case.found
        if found is not None:
            found.found_by_contact = _phone("found.found_by_contact", found.found_by_contact)
            if found.missing_since is not None and case.event_date < found.missing_since:
                raise BadUserInput("event_date", "the found date is before the date the child went missing")
    else:
        care = case.care
        if care is None or not care.institution:
            raise BadUserInput("care.institution", "a care case needs the institution")
        admitted = care.admission_date or case.event_date
        if care.admission_order_date is not None and care.admission_order_date > admitted + timedelta(days=30):
            raise BadUserInput("care.admission_order.date", "is long after the admission")
        if care.exit_date is not None and care.exit_date < admitted:
            raise BadUserInput("care.exit_date", "is before the admission date")


def _phone(field: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    normalised = normalise_phone(value)
    if normalised is None:
        raise BadUserInput(
            field,
            "is not an Indian phone number",
            suggestion="ten digits, optionally with +91: +919812345678",
        )
    return normalised


def _day(moment: datetime) -> date:
    return moment.date()
