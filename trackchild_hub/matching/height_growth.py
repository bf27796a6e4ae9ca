"""How much a child grows between two records: the height comparison's allowance for the time between them.

Why: children do not grow a fixed 6 cm a year. A two-year-old grows about 9 cm in a year, a ten-year-old 5-6, and a
girl of 15 or a boy of 18 has nearly stopped: a flat rate puts a teenager found three years later 10-15 cm off her
report and counts her height against her own report. Here a height is carried along WHO's height-for-age median
(``ages.median_height``) as a child keeps her centile: at age ``a`` the height ``h`` becomes ``h * M(a + t) / M(a)``
``t`` years later (``t < 0``: earlier). The age is the missing report's where the query is a found child and the
report has one (a family knows a child's age better than an officer guesses it), else the query's own (estimated)
age; with neither, the flat rate.

The block bounds (``block_bounds.py``) need the growth's range over a block's dates and births: ``ratio_range``. With
``M`` piecewise linear on the chart's quarter-year grid, ``M(a + t) / M(a)`` for ``t`` on the grid is a ratio of
linear functions between grid points, so its extremes over ages lie on grid points; it never falls as ``t`` grows
(``M`` never falls); so a table over grid ages and grid times, each age's entry the extreme over every age from it
on, bounds the ratio for any age at least that and any time within the rounded-out range.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import Gender
from .ages import GRID_MONTHS, GRID_YEARS, YEAR, median_height

FLAT_CM_A_YEAR = 6.0  # without any age: the average growth of a school-age child
STEP = GRID_MONTHS / 12  # years: the chart's grid
STEPS = round(GRID_YEARS / STEP)  # grid ages 0 .. GRID_YEARS; times -GRID_YEARS .. GRID_YEARS


def grown_cm(
    height_cm: float, birth_day: int | None, event_day: int, gender: Gender, days: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per entry of ``days`` (a candidate's date less the query's), how many cm a child ``height_cm`` tall on
    ``event_day``, born on ``birth_day``, grows in that time (negative: dated earlier); non-decreasing in ``days``."""
    years = np.asarray(days, dtype=np.float64) / YEAR
    if birth_day is None:
        flat: NDArray[np.float64] = FLAT_CM_A_YEAR * years
        return flat
    births = np.full(len(years), float(birth_day))
    return grown_from_births(height_cm, event_day, gender, births, days)


def grown_from_births(
    height_cm: float, event_day: int, gender: Gender, births: NDArray[np.float64], days: NDArray[np.float64]
) -> NDArray[np.float64]:
    """As ``grown_cm``, with a birth day per entry (the candidates' own)."""
    age = np.maximum(0.0, (event_day - births) / YEAR)
    later = np.maximum(0.0, age + np.asarray(days, dtype=np.float64) / YEAR)
    grown: NDArray[np.float64] = height_cm * (median_height(later, gender) / median_height(age, gender) - 1.0)
    return grown


def ratio_range(
    gender: Gender, youngest: NDArray[np.float64], earliest: NDArray[np.float64], latest: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per block, at most the least and at least the most ``M(a + t) / M(a)`` for any age ``a >= youngest`` and any
    ``t`` in ``[earliest, latest]`` (years)."""
    least, most = _ratio_table(gender)
    age = np.clip(np.floor(np.maximum(youngest, 0.0) / STEP), 0, STEPS).astype(np.int64)
    low = np.clip(np.floor(earliest / STEP), -STEPS, STEPS).astype(np.int64) + STEPS
    high = np.clip(np.ceil(latest / STEP), -STEPS, STEPS).astype(np.int64) + STEPS
    return least[age, low], most[age, high]


@cache
def _ratio_table(gender: Gender) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``[age step, time step + STEPS]``: the least and the most ``M(a + t) / M(a)`` over grid ages from that age
    on."""
    ages: NDArray[np.float64] = np.arange(STEPS + 1, dtype=np.float64) * STEP
    times = np.arange(-STEPS, STEPS + 1, dtype=np.float64) * STEP
    later = np.maximum(0.0, ages[:, None] + times[None, :]).astype(np.float64)
    ratio = median_height(later, gender) / median_height(ages, gender)[:, None]
    # Ages past the grid (a record decades old): the chart is flat there, so the ratio is at least the last grid
    # age's (``M(a + t)`` only grows with ``a``) and at most 1.
    least = np.minimum.accumulate(np.vstack([ratio, ratio[-1:]])[::-1], axis=0)[::-1][:-1]
    most = np.maximum.accumulate(np.vstack([ratio, np.ones((1, len(times)))])[::-1], axis=0)[::-1][:-1]
    return least, most
