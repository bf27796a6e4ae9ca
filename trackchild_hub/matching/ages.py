"""How far an age may be from the truth: the error model behind the age comparison and the blocking windows.

Ages are compared as the birth dates they imply (an age reported years apart already accounts for growth), and the
gap is measured in standard deviations of the two records' combined error, so one model says both how much an age
gap counts against a pair (``vector_score``) and how far a blocking window reaches (``index``).

A date of birth on record is near-exact; a family reports whole years; an age estimated by looking at a found child
errs most for the smallest children (people guess a toddler's age badly) and for teenagers, less between. Estimates
of 18 to 21 are accepted: a 16-year-old may look 19. A found child measured on the day is a second reading of the
same age (a growth chart's), combined with the estimate (``with_height``).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind, Gender
from ..domain.growth import reference
from .records import MatchRecord

YEAR = 365.25
RECORDED_BIRTH_SD_YEARS = 0.15
REPORTED_SD_YEARS = 0.6  # a family's own figure, in whole years
WHOLE_YEARS_SD = 0.29  # an age in whole years hides up to a year (uniform: 1/sqrt(12))
# An estimate's error (sd, years) by the age estimated, linear in between.
ESTIMATE_SD_YEARS = ((0.0, 2.0), (3.0, 1.9), (6.0, 1.7), (10.0, 1.5), (14.0, 1.4), (17.0, 1.5), (21.0, 2.0))
MAX_ESTIMATED_AGE = 21
# A found child's measured height sharpens the estimate (``with_height``): WHO's height-for-age chart, children's
# spread about it in WHO standard deviations (centre and width), heights fitting no age (a share of all a child can
# have, over ``HEIGHT_RANGE_CM``), and how far below the estimate's sd the combined one may fall.
HEIGHT_Z_MEAN = -1.0
HEIGHT_Z_SD = 1.5
HEIGHT_OUTLIER = 0.1
HEIGHT_RANGE_CM = 160.0
HEIGHT_SD_FLOOR = 0.6
GRID_YEARS = 25
GRID_MONTHS = 3  # the grid's step: a quarter of a year is finer than any estimate
SEXES = (Gender.MALE, Gender.FEMALE)  # the sexes WHO's charts have a table for
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
    if record.kind is CaseKind.MISSING:
        return int(event_day - (record.age_years + 0.5) * YEAR), int(REPORTED_SD_YEARS * YEAR)
    age, sd = record.age_years + 0.5, estimate_sd_years(record.age_years)
    if record.height_cm is not None and record.gender in (Gender.MALE, Gender.FEMALE):
        age, sd = with_height(age, sd, float(record.height_cm), record.gender)
    return int(event_day - age * YEAR), int(sd * YEAR)


def with_height(age: float, sd: float, height_cm: float, gender: Gender) -> tuple[float, float]:
    """An estimated age (mean, sd in years) sharpened by the child's measured height on the same day.

    Why: a found child's estimate and height are two readings of one age, and the comparisons treat them as
    independent of each other only if the age they imply is combined first. Height for age is a growth chart (WHO's
    reference, ``domain.growth``), spread across children by ``HEIGHT_Z_SD`` around ``HEIGHT_Z_MEAN`` (Indian
    children run shorter than WHO's median; wide, so a population the constant fits badly still blocks): between
    about 2 and 13 years, when a year's growth is large against children's spread, a height says the age to about
    1.5 years, and the two together about 1.1 (the estimate alone 1.5-2). A height that fits no age near the estimate
    (a typing error, a measure in inches) weighs as ``HEIGHT_OUTLIER`` of the heights a child can have, so the estimate
    stands. Ages past the chart (19 years), or where growth has stopped, gain little or nothing. The sd never falls
    below ``HEIGHT_SD_FLOOR`` of the estimate's nor rises above it. An officer who looks at the child may judge the
    age partly by size: then the two are not independent and the floor keeps the sharpening modest."""
    grid, medians, spreads = _height_chart(gender)
    prior = -0.5 * ((grid - age) / sd) ** 2
    centre = medians * (1 + spreads * HEIGHT_Z_MEAN)
    width = medians * spreads * HEIGHT_Z_SD
    fits = np.exp(-0.5 * ((height_cm - centre) / width) ** 2) / (width * math.sqrt(2 * math.pi))
    likelihood = (1 - HEIGHT_OUTLIER) * fits + HEIGHT_OUTLIER / HEIGHT_RANGE_CM
    log_posterior = prior + np.log(likelihood)
    weights = np.exp(log_posterior - log_posterior.max())
    weights /= weights.sum()
    mean = float(np.dot(weights, grid))
    spread = math.sqrt(max(0.0, float(np.dot(weights, (grid - mean) ** 2))))
    return mean, min(sd, max(spread, HEIGHT_SD_FLOOR * sd))


def median_height(ages: NDArray[np.float64], gender: Gender) -> NDArray[np.float64]:
    """WHO's height-for-age median (cm) at ``ages`` (years; past the chart as at its end), non-decreasing in age; for
    a sex the chart has no table for (unknown, transgender), midway between the boys' and the girls'."""
    charts = [_height_chart(g) for g in ((gender,) if gender in SEXES else SEXES)]
    medians = [np.interp(ages, grid, np.maximum.accumulate(m)) for grid, m, _ in charts]
    result: NDArray[np.float64] = np.mean(medians, axis=0)
    return result


@cache
def _height_chart(gender: Gender) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Ages (years, ``GRID_MONTHS`` apart, to ``GRID_YEARS``), and WHO's height-for-age median (cm) and S at each:
    past the chart's end (19 years) as at its end (grown up: an estimate of 21 is not pulled below 19 by a chart that
    stops)."""
    ages, medians, spreads = [], [], []
    last = None
    for months in range(0, GRID_YEARS * 12 + 1, GRID_MONTHS):
        lms = reference("height_for_age", gender.value, months) or last
        if lms is not None:
            ages.append(months / 12)
            medians.append(lms.M)
            spreads.append(lms.S)
            last = lms
    return np.array(ages), np.array(medians), np.array(spreads)
