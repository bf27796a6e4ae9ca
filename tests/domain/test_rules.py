"""Domain rules with no I/O: phones, ages, references, reference data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from trackchild_hub.domain.age import birth_date_bounds, current_age, estimated_birth_date, years_between
from trackchild_hub.domain.geography import StateKind, load_geography
from trackchild_hub.domain.phone import normalise_phone
from trackchild_hub.domain.reference import format_reference, reference_year


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+91 98300 12345", "+919830012345"),
        ("09830012345", "+919830012345"),
        ("919830012345", "+919830012345"),
        ("9830012345", "+919830012345"),
        ("033-2641-2345", "+913326412345"),
        ("12345", None),
        ("+1 555 0100", None),
        ("98300abcde", None),
    ],
)
def test_phone_numbers(typed: str, stored: str | None) -> None:
    assert normalise_phone(typed) == stored


def test_ages() -> None:
    assert years_between(date(2015, 3, 1), date(2026, 2, 28)) == 10
    assert years_between(date(2015, 3, 1), date(2026, 3, 1)) == 11
    assert current_age(None, 9, date(2024, 6, 1), date(2026, 11, 28)) == 11
    assert current_age(date(2016, 12, 1), 9, date(2024, 6, 1), date(2026, 11, 28)) == 9
    assert current_age(None, None, date(2024, 6, 1), date(2026, 11, 28)) is None
    born = estimated_birth_date(None, 9, date(2026, 11, 28))
    assert born is not None
    assert current_age(born, None, date(2026, 11, 28), date(2026, 11, 28)) == 9
    earliest, latest = birth_date_bounds(8, 10, date(2026, 11, 28))
    assert (earliest, latest) == (date(2015, 11, 29), date(2018, 11, 28))


def test_reference_numbers_count_in_indian_time() -> None:
    new_year_in_india = datetime(2025, 12, 31, 19, 0, tzinfo=UTC)  # 00:30 IST on 1 January
    assert reference_year(new_year_in_india) == 2026
    assert format_reference("WB", 2026, 123) == "WB-2026-000123"


def test_reference_data_has_every_state_and_ut() -> None:
    geography = load_geography()
    assert len(geography.states) == 36
    assert len({s.abbreviation for s in geography.states}) == 36
    assert sum(s.kind is StateKind.UNION_TERRITORY for s in geography.states) == 8
    for code in ("19", "7", "27", "10", "9"):
        state = geography.state(code)
        assert state is not None
        assert state.districts, state.name
    howrah = geography.district("313")
    assert howrah is not None
    assert (howrah.name, howrah.state_code) == ("Howrah", "19")
    assert geography.state("25") is None  # merged into 38
