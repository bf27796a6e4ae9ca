"""Growth between two records (``height_growth``): along WHO's height-for-age median, not a flat rate, and bounded
exactly over ranges of ages and dates (what the block bounds use)."""

from __future__ import annotations

import numpy as np
import pytest

from trackchild_hub.domain.enums import Gender
from trackchild_hub.matching.ages import YEAR, median_height
from trackchild_hub.matching.height_growth import FLAT_CM_A_YEAR, grown_cm, grown_from_births, ratio_range

ON = 20_000  # a day number: the query's date


def grown(height: float, age: float | None, years: float, gender: Gender = Gender.FEMALE) -> float:
    birth = None if age is None else round(ON - age * YEAR)
    return float(grown_cm(height, birth, ON, gender, np.array([years * YEAR]))[0])


def test_without_an_age_a_child_grows_at_the_flat_rate() -> None:
    assert grown(120, None, 2) == pytest.approx(2 * FLAT_CM_A_YEAR)
    assert grown(120, None, -1) == pytest.approx(-FLAT_CM_A_YEAR)


def test_small_children_grow_faster_and_teenagers_slower_than_the_flat_rate() -> None:
    assert grown(88, 2, 1, Gender.MALE) > 7  # WHO: about 9 cm in the third year
    assert grown(157, 15, 3) < 5  # a girl of 15 has nearly stopped: the flat rate says 18
    assert grown(176, 19, 2, Gender.MALE) == pytest.approx(0.0, abs=0.5)  # past the chart: grown up
    assert -12 < grown(150, 14, -2) < -5  # two years earlier she was shorter by about a growth spurt's worth


def test_growth_never_falls_as_the_time_apart_grows() -> None:
    days = np.linspace(-10 * YEAR, 10 * YEAR, 401)
    for gender in (Gender.MALE, Gender.FEMALE, Gender.UNKNOWN):
        for age in (0.5, 4.0, 11.0, 16.0, 23.0):
            g = grown_cm(130.0, round(ON - age * YEAR), ON, gender, days)
            assert np.all(np.diff(g) >= -1e-9)


def test_a_sex_without_a_chart_grows_between_boys_and_girls() -> None:
    ages = np.linspace(0, 20, 81)
    boys, girls = median_height(ages, Gender.MALE), median_height(ages, Gender.FEMALE)
    unknown = median_height(ages, Gender.UNKNOWN)
    assert np.all(np.minimum(boys, girls) <= unknown)
    assert np.all(unknown <= np.maximum(boys, girls))
    assert np.all(np.diff(boys) >= 0)
    assert np.all(np.diff(girls) >= 0)


@pytest.mark.parametrize("gender", [Gender.MALE, Gender.FEMALE, Gender.TRANSGENDER])
def test_the_ratio_range_holds_every_age_and_time_within_its_ranges(gender: Gender) -> None:
    rng = np.random.default_rng(7)
    n = 5000
    youngest = rng.uniform(-2, 30, n)
    ages = youngest + rng.uniform(0, 12, n)
    earliest = rng.uniform(-30, 30, n)
    latest = earliest + rng.uniform(0, 6, n)
    times = rng.uniform(earliest, latest)
    least, most = ratio_range(gender, youngest, earliest, latest)
    births = ON - ages * YEAR
    ratio = 1 + grown_from_births(100.0, ON, gender, births, times * YEAR) / 100.0
    assert np.all(least <= ratio + 1e-9)
    assert np.all(ratio <= most + 1e-9)
    holds_zero = (earliest <= 0) & (latest >= 0)  # no growth is within reach whenever the times hold 0
    assert np.all(least[holds_zero] <= 1 + 1e-9)
    assert np.all(most[holds_zero] >= 1 - 1e-9)
