"""Ages of children: from a date of birth when known, else from the age reported plus the time elapsed."""

from __future__ import annotations

from datetime import date, timedelta

from .errors import BadUserInput

MAX_CHILD_AGE = 17  # a child is under 18 (JJ Act 2015, s. 2(12))
_YEAR = 365.2425


def check_age_years(field: str, age_years: int | None) -> None:
    """An age in whole years, as reported or asked about: 0 to :data:`MAX_CHILD_AGE`."""
    if age_years is not None and not 0 <= age_years <= MAX_CHILD_AGE:
        raise BadUserInput(field, f"{age_years} is outside 0-{MAX_CHILD_AGE}")


def years_between(earlier: date, later: date) -> int:
    """Whole years from ``earlier`` to ``later`` (a birthday counts on its day)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def estimated_birth_date(date_of_birth: date | None, age_years: int | None, on: date) -> date | None:
    """The date of birth, or the middle of the year of birth implied by an age reported ``on`` a date."""
    if date_of_birth is not None:
        return date_of_birth
    if age_years is None:
        return None
    return on - timedelta(days=round((age_years + 0.5) * _YEAR))


def current_age(date_of_birth: date | None, age_years: int | None, reported_on: date, today: date) -> int | None:
    if date_of_birth is not None:
        return years_between(date_of_birth, today)
    if age_years is None:
        return None
    return age_years + max(0, years_between(reported_on, today))


def birth_date_bounds(min_age: int | None, max_age: int | None, today: date) -> tuple[date | None, date | None]:
    """The range of birth dates of children aged ``min_age..max_age`` today (inclusive), for SQL filters."""
    earliest = _years_before(today, max_age + 1) + timedelta(days=1) if max_age is not None else None
    latest = _years_before(today, min_age) if min_age is not None else None
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
