"""The institution registry columns of the directory CSV (pure): read back what is written, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from trackchild_hub.directories.csv_layout import COLUMNS, details_from_row, entry_from_row, row_from_entry
from trackchild_hub.directories.entries import EntryData, validate_entry
from trackchild_hub.directories.registry import REGISTRY_COLUMNS, RegistryDetails, check_details
from trackchild_hub.domain.enums import DirectoryKind, GenderServed, InstitutionType, RunBy
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.geography import load_geography

GEO = load_geography()
TODAY = date(2026, 11, 1)
HOME = RegistryDetails(InstitutionType.OBSERVATION_HOME, RunBy.GOVERNMENT, GenderServed.MALE, 120)


def _listing(institution: str | None = "WB/CCI/2019/0042") -> EntryData:
    listing = EntryData(
        kind=DirectoryKind.CHILD_CARE_INSTITUTION, name="Observation Home", state="19", institution=institution
    )
    return validate_entry(listing, GEO, TODAY)


def test_the_columns_follow_the_directory_columns_and_read_back_what_is_written() -> None:
    assert COLUMNS[-4:] == REGISTRY_COLUMNS
    row = row_from_entry(_listing(), HOME)
    assert [row[c] for c in REGISTRY_COLUMNS] == ["OBSERVATION_HOME", "GOVERNMENT", "MALE", "120"]
    assert details_from_row(row, {}) == HOME
    assert entry_from_row(row, {}) == _listing()
    assert [row_from_entry(_listing())[c] for c in REGISTRY_COLUMNS] == ["", "", "", ""]
    mapped = {"Type": "observation home", "Run by": "government", "Gender": "male", "Places": " 120 "}
    mapping = {"institution_type": "Type", "run_by": "Run by", "gender_served": "Gender", "capacity": "Places"}
    assert details_from_row(mapped, mapping) == HOME


@pytest.mark.parametrize(
    ("cells", "field"),
    [
        ({"institution_type": "CHILDRENS_HOME"}, "run_by"),
        ({"institution_type": "HOSTEL", "run_by": "NGO", "gender_served": "ANY", "capacity": "10"}, "institution_type"),
        ({"institution_type": "SPECIAL_HOME", "run_by": "TRUST", "gender_served": "ANY", "capacity": "10"}, "run_by"),
        ({"institution_type": "SPECIAL_HOME", "run_by": "NGO", "gender_served": "ANY", "capacity": "0"}, "capacity"),
        ({"institution_type": "SPECIAL_HOME", "run_by": "NGO", "gender_served": "ANY", "capacity": "٤٠"}, "capacity"),
        ({"institution_type": "SPECIAL_HOME", "run_by": "NGO", "gender_served": "ANY", "capacity": "4.5"}, "capacity"),
    ],
)
def test_unreadable_columns_name_their_column(cells: dict[str, str], field: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        details_from_row(cells, {})
    assert caught.value.field == field


def test_only_a_cci_listing_with_a_registration_number_carries_them() -> None:
    assert check_details(_listing(), HOME) == HOME
    assert check_details(_listing(None), None) is None  # a listing without a registry link stays allowed
    station = validate_entry(
        EntryData(kind=DirectoryKind.POLICE_STATION, name="Bally PS", state="19", district="313"), GEO, TODAY
    )
    for entry, field in [
        (station, "institution_type"),
        (_listing(None), "institution"),
        (_listing("A" * 61), "institution"),
    ]:
        with pytest.raises(BadUserInput) as caught:
            check_details(entry, HOME)
        assert caught.value.field == field
