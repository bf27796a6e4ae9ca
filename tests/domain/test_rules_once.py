"""The rules held once in ``domain``: India's box, PIN codes, a child's age, field names in camelCase, free text,
language codes."""

from __future__ import annotations

import pytest

from trackchild_hub.domain.age import MAX_CHILD_AGE, check_age_years
from trackchild_hub.domain.coordinates import INDIA_LATITUDE, INDIA_LONGITUDE, check_point, inside_india
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.languages import language_codes
from trackchild_hub.domain.naming import camel_case
from trackchild_hub.domain.pin_code import normalise_pin_code
from trackchild_hub.domain.text import clean_text, required_text


def test_the_box_holds_every_district_centre_of_the_reference_data() -> None:
    centres = [(d.latitude, d.longitude) for d in load_geography().all_districts()]
    assert len(centres) > 400
    outside = [c for c in centres if c[0] is None or c[1] is None or not inside_india(c[0], c[1])]
    assert outside == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "inside"),
    [
        (6.75, 93.84, True),  # Indira Point, Great Nicobar
        (23.71, 68.03, True),  # Guhar Moti, Kutch
        (28.02, 97.40, True),  # Kibithu, Arunachal Pradesh
        (22.59, 97.5, True),
        (22.59, 97.8, False),  # Myanmar
        (37.6, 77.0, False),
        (5.9, 80.0, False),
        (23.0, 67.9, False),
    ],
)
def test_india_box_edges(latitude: float, longitude: float, inside: bool) -> None:
    assert (INDIA_LATITUDE, INDIA_LONGITUDE) == ((6.0, 37.5), (68.0, 97.5))
    assert inside_india(latitude, longitude) is inside


def test_a_point_needs_both_coordinates_inside_india() -> None:
    check_point("place.latitude", None, None)
    check_point("place.latitude", 22.59, 97.5)
    with pytest.raises(BadUserInput) as half:
        check_point("place.latitude", 22.59, None)
    assert (half.value.field, half.value.reason) == ("place.latitude", "latitude and longitude go together")
    with pytest.raises(BadUserInput) as east:
        check_point("latitude", 22.59, 97.8, suggestion="WGS 84 degrees")
    assert (east.value.field, east.value.reason, east.value.suggestion) == (
        "latitude",
        "coordinates are outside India",
        "WGS 84 degrees",
    )


@pytest.mark.parametrize(
    ("written", "pin_code"),
    [
        ("711101", "711101"),
        ("711 101", "711101"),
        ("011101", None),
        ("71110", None),
        ("7111011", None),
        ("711101\n", None),
        ("७१११०१", None),
        ("7१११०१", None),
    ],
)
def test_pin_codes(written: str, pin_code: str | None) -> None:
    assert normalise_pin_code(written) == pin_code


def test_a_childs_age_is_0_to_17() -> None:
    assert MAX_CHILD_AGE == 17
    for age in (None, 0, 17):
        check_age_years("child.age_years", age)
    for age in (-1, 18):
        with pytest.raises(BadUserInput) as refused:
            check_age_years("filter.minAge", age)
        assert (refused.value.field, refused.value.reason) == ("filter.minAge", f"{age} is outside 0-17")


def test_field_names_in_camel_case() -> None:
    assert camel_case("covers_pin_codes") == "coversPinCodes"
    assert camel_case("special_juvenile_police_unit") == "specialJuvenilePoliceUnit"
    assert camel_case("phones") == "phones"


def test_free_text_is_folded_limited_and_free_of_control_characters() -> None:
    assert clean_text("place.text", "  Howrah \n station ") == "Howrah station"
    assert clean_text("address", "   ", 500) is None
    assert clean_text("code", None, 40) is None
    for value, reason in (("x" * 41, "is longer than 40 characters"), ("PS\x07", "contains control characters")):
        with pytest.raises(BadUserInput) as refused:
            clean_text("code", value, 40)
        assert (refused.value.field, refused.value.reason) == ("code", reason)
    with pytest.raises(BadUserInput) as missing:
        required_text("name", " \t ", 200)
    assert (missing.value.field, missing.value.reason) == ("name", "is required")


def test_language_codes() -> None:
    assert language_codes("languages", ["HI", "bn", "sat"]) == ["hi", "bn", "sat"]
    with pytest.raises(BadUserInput) as refused:
        language_codes("child.languages", ["hi", "hindi"])
    assert refused.value.field == "child.languages.1"
