"""A health check-up's growth assessment: the child's age in completed months on the day, then the WHO z-scores
(``growth.assess``), so a check-up says at once whether the child is underweight, stunted or thin.

The age comes from the date of birth when known; otherwise from the estimate the hub keeps from the age reported (the
middle of the year of birth), flagged ``age_estimated``: a CWC reads a z-score on an estimated age with that in mind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .growth import Growth, assess


@dataclass(frozen=True, slots=True)
class CheckupGrowth:
    age_months: int
    age_estimated: bool
    growth: Growth


def completed_months(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - 1 if on.day < born.day else months


def checkup_growth(
    gender: str,
    date_of_birth: date | None,
    birth_estimate: date | None,
    checked_on: date,
    height_cm: float | None,
    weight_kg: float | None,
) -> CheckupGrowth | None:
    """None when the child's age is unknown or the check-up is dated before their birth."""
    born = date_of_birth or birth_estimate
    if born is None or born > checked_on:
        return None
    months = completed_months(born, checked_on)
    return CheckupGrowth(months, date_of_birth is None, assess(gender, months, height_cm, weight_kg))
