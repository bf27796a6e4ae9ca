"""How far an age may be from the truth: the error model behind the age comparison and the blocking windows.

Ages are compared as the birth dates they imply (an age reported years apart already accounts for growth), and the
gap is measured in standard deviations of the two records' combined error, so one model says both how much an age
gap counts against a pair (``vector_score``) and how far a blocking window reaches (``index``).

A date of birth on record is near-exact; a family reports whole years; an age estimated by looking at a found child
errs most for the smallest children (people guess a toddler's age badly) and for teenagers, less between. Estimates
of 18 to 21 are accepted: a 16-year-old may look 19.
"""

from __future__ import annotations

import math

import numpy as np

from ..domain.enums import CaseKind
from .records import MatchRecord

YEAR = 365.25
RECORDED_BIRTH_SD_YEARS = 0.15
REPORTED_SD_YEARS = 0.6  # a family's own figure, in whole years
WHOLE_YEARS_SD = 0.29  # an age in whole years hides up to a year (uniform: 1/sqrt(12))
# An estimate's error (sd, years) by the age estimated, linear in between.
ESTIMATE_SD_YEARS = ((0.0, 2.0), (3.0, 1.9), (6.0, 1.7), (10.0, 1.5), (14.0, 1.4), (17.0, 1.5), (21.0, 2.0))
MAX_ESTIMATED_AGE = 21
Z_WINDOW = 3.5  # blocking reaches this far: past it the age weight is at its floor (``comparisons.AGE_Z_EDGES``)


def estimate_sd_years(age: float) -> float:
    ages, sds = zip(*ESTIMATE_SD_YEARS, strict=True)
    return math.hypot(float(np.interp(age, ages, sds)), WHOLE_YEARS_SD)


def birth_estimate(
    record: MatchRecord, event_day: int | None, recorded_birth_day: int | None
) -> tuple[int | None, int]:
    """The birth date as a day number, and the sd of its error in days (0 when there is no estimate)."""
    if recorded_birth_day is not None:
        return recorded_birth_day, int(RECORDED_BIRTH_SD_YEARS * YEAR)
    if record.age_years is None or event_day is None:
        return None, 0
    estimated = record.kind is not CaseKind.MISSING
    sd = estimate_sd_years(record.age_years) if estimated else REPORTED_SD_YEARS
    return int(event_day - (record.age_years + 0.5) * YEAR), int(sd * YEAR)
