"""A found child's estimated age sharpened by the measured height (``ages.with_height``, ``ages.birth_estimate``)."""

from __future__ import annotations

from datetime import date

import pytest

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.growth import reference
from trackchild_hub.matching.ages import (
    HEIGHT_SD_FLOOR,
    HEIGHT_Z_MEAN,
    YEAR,
    birth_estimate,
    estimate_sd_years,
    with_height,
)
from trackchild_hub.matching.features import day_number
from trackchild_hub.matching.records import MatchRecord

FOUND_ON = date(2026, 6, 1)


def _typical(gender: Gender, years: float) -> float:
    """The height the model centres on at ``years``: WHO's median moved by ``HEIGHT_Z_MEAN``."""
    lms = reference("height_for_age", gender.value, round(years * 12))
    assert lms is not None
    return lms.at(HEIGHT_Z_MEAN)


def _found(age: int | None, height: int | None, gender: Gender = Gender.MALE, **kw: object) -> MatchRecord:
    return MatchRecord(CaseKind.FOUND, gender=gender, age_years=age, height_cm=height, event_date=FOUND_ON, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("gender", "years"), [(Gender.MALE, 3), (Gender.FEMALE, 8), (Gender.MALE, 11)])
def test_a_height_that_fits_the_estimate_narrows_it(gender: Gender, years: int) -> None:
    sd = estimate_sd_years(years)
    mean, combined = with_height(years + 0.5, sd, _typical(gender, years + 0.5), gender)
    assert mean == pytest.approx(years + 0.5, abs=0.25)
    assert HEIGHT_SD_FLOOR * sd <= combined < 0.85 * sd


def test_a_tall_child_is_taken_older_and_a_short_one_younger() -> None:
    sd = estimate_sd_years(10)
    older, _ = with_height(10.5, sd, _typical(Gender.MALE, 12.5), Gender.MALE)
    younger, _ = with_height(10.5, sd, _typical(Gender.MALE, 8.5), Gender.MALE)
    assert 11.0 < older < 12.5
    assert 8.5 < younger < 10.0


def test_a_height_no_child_of_about_that_age_has_leaves_the_estimate() -> None:
    """60 cm at an estimated 10 (a typing error): the estimate stands, neither moved nor narrowed."""
    sd = estimate_sd_years(10)
    mean, combined = with_height(10.5, sd, 60.0, Gender.MALE)
    assert mean == pytest.approx(10.5, abs=0.05)
    assert combined == pytest.approx(sd, rel=0.02)


def test_growth_stopped_says_little_and_an_adult_estimate_is_not_pulled_under_the_chart() -> None:
    sd = estimate_sd_years(20)
    mean, combined = with_height(20.5, sd, _typical(Gender.MALE, 19), Gender.MALE)
    assert mean == pytest.approx(20.5, abs=0.3)
    assert combined > 0.9 * sd


def test_birth_estimate_uses_height_only_for_an_estimated_age_of_a_known_sex() -> None:
    event = day_number(FOUND_ON)
    height = round(_typical(Gender.FEMALE, 6.0))
    plain_day, plain_sd = birth_estimate(_found(5, None, Gender.FEMALE), event, None)
    assert plain_sd == int(estimate_sd_years(5) * YEAR)
    day, sd = birth_estimate(_found(5, height, Gender.FEMALE), event, None)
    assert sd < plain_sd
    assert day != plain_day
    # Sex unknown (the chart is sex-specific), a family's own figure (a report), a recorded date of birth: as before.
    assert birth_estimate(_found(5, height, Gender.UNKNOWN), event, None) == (plain_day, plain_sd)
    report = MatchRecord(CaseKind.MISSING, gender=Gender.FEMALE, age_years=5, height_cm=height, event_date=FOUND_ON)
    no_height = MatchRecord(CaseKind.MISSING, gender=Gender.FEMALE, age_years=5, event_date=FOUND_ON)
    assert birth_estimate(report, event, None) == birth_estimate(no_height, event, None)
    recorded = day_number(date(2020, 3, 1))
    assert birth_estimate(_found(5, height, Gender.FEMALE), event, recorded) == birth_estimate(
        _found(5, None, Gender.FEMALE), event, recorded
    )
