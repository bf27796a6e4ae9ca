"""The pure directory logic: text index, distances, validation, CSV layout, quality rules."""

from __future__ import annotations

import random
from datetime import date

import pytest

from trackchild_hub.directories.csv_layout import entry_from_row, parse_mapping, row_from_entry
from trackchild_hub.directories.entries import EntryData, FunctionaryData, validate_entry
from trackchild_hub.directories.geo import box_around, haversine_km
from trackchild_hub.directories.quality import EntryFacts, quality_report
from trackchild_hub.directories.text_index import IndexedEntry, TextIndex, Where
from trackchild_hub.domain.enums import DirectoryKind
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.geography import load_geography

GEO = load_geography()
TODAY = date(2026, 11, 1)
PS = DirectoryKind.POLICE_STATION


def _entry(i: str, name: str, kind: str = "POLICE_STATION", address: str | None = None) -> IndexedEntry:
    return IndexedEntry(i, kind, "19", "313", "711101", name, address)


INDEX = TextIndex(
    [
        _entry("1", "Howrah Police Station", address="GT Road, Howrah"),
        _entry("2", "Bally Police Station", address="Bally, Howrah"),
        _entry("3", "Shibpur Police Station"),
        _entry("4", "Child Welfare Committee, Howrah", kind="CHILD_WELFARE_COMMITTEE"),
        _entry("5", "Bhagalpur Police Station"),
    ]
)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Howra police", "1"),
        ("Hwrah police", "1"),
        ("Howra committee", "4"),
        ("Bhagalpr", "5"),
        ("Shibpore", "3"),
        ("bal", "2"),
    ],
)
def test_misspelt_and_partial_words_find_the_entry(query: str, first: str) -> None:
    hits, _ = INDEX.search(query)
    assert hits[0][0].id == first


def test_name_matches_rank_above_address_matches_and_filters_apply() -> None:
    hits, _ = INDEX.search("Howrah")
    assert [h[0].id for h in hits][:2] == ["4", "1"] or [h[0].id for h in hits][:2] == ["1", "4"]
    assert hits[-1][0].id == "2"  # Howrah only in its address
    only_cwc, more = INDEX.search("Howrah", Where(kinds={"CHILD_WELFARE_COMMITTEE"}))
    assert [h[0].id for h in only_cwc] == ["4"]
    assert not more
    assert INDEX.search("Howrah", Where(district="315"))[0] == []


def test_unrelated_words_and_short_typos_find_nothing() -> None:
    assert INDEX.search("Kolkata")[0] == []
    assert INDEX.search("xyz")[0] == []
    assert INDEX.search("Howrah Kolkata")[0] == []  # every word must match


def test_window_and_has_more() -> None:
    page, more = INDEX.search("police", offset=0, limit=2)
    rest, more_after = INDEX.search("police", offset=2, limit=10)
    assert len(page) == 2
    assert more
    assert not more_after
    assert {h[0].id for h in page}.isdisjoint({h[0].id for h in rest})


def test_box_holds_every_point_within_the_radius() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        lat, lon = rng.uniform(8, 35), rng.uniform(69, 96)
        radius = rng.uniform(1, 800)
        box = box_around(lat, lon, radius)
        plat, plon = rng.uniform(lat - 10, lat + 10), rng.uniform(lon - 10, lon + 10)
        if haversine_km(lat, lon, plat, plon) <= radius:
            assert box.lat_min <= plat <= box.lat_max
            assert box.lon_min <= plon <= box.lon_max


def test_haversine_known_distance() -> None:
    # Howrah station to Patna Junction: about 470 km as the crow flies.
    assert 460 < haversine_km(22.5839, 88.3424, 25.6022, 85.1376) < 480


def _station(**overrides: object) -> EntryData:
    values: dict[str, object] = {"kind": PS, "name": "Golabari Police Station", "state": "19", "district": "313"}
    values.update(overrides)
    return EntryData(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pin_code": "71110"}, "pin_code"),
        ({"pin_code": "011101"}, "pin_code"),
        ({"latitude": 51.5, "longitude": -0.12}, "latitude"),
        ({"latitude": 22.5}, "latitude"),
        ({"district": "212"}, "district"),
        ({"district": "99999"}, "district"),
        ({"district": None}, "district"),
        ({"state": None, "district": None}, "state"),
        ({"phones": ("+913326412345", "54321")}, "phones.1"),
        ({"email": "oc.golabari"}, "email"),
        ({"languages": ("bengali",)}, "languages.0"),
        ({"functionaries": (FunctionaryData("SHO", "A; B"),)}, "functionaries.0.name"),
        ({"functionaries": (FunctionaryData("SHO", "A B", ("99",)),)}, "functionaries.0.phones.0"),
        ({"last_verified_on": date(2027, 1, 1)}, "last_verified_on"),
        ({"covers_pin_codes": ("711101", "7111")}, "covers_pin_codes.1"),
        ({"institution": "WB/CCI/1"}, "institution"),
        ({"id": "bad id!"}, "id"),
    ],
)
def test_validation_names_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        validate_entry(_station(**overrides), GEO, TODAY)
    assert caught.value.field == field


def test_validation_normalises_and_derives_a_stable_id() -> None:
    entry = validate_entry(_station(phones=("033 2641 2345", "1098"), code="19313001"), GEO, TODAY)
    assert entry.phones == ("+913326412345", "1098")
    assert entry.id is not None
    assert entry.id.startswith("DIR-PS-19-")
    assert validate_entry(_station(code="19313001"), GEO, TODAY).id == entry.id


def test_csv_row_round_trip_and_mapping() -> None:
    entry = validate_entry(
        _station(
            latitude=22.123456789,
            longitude=88.3,
            phones=("+913326412345", "+919830000000"),
            languages=("bn", "hi"),
            covers_pin_codes=("711101", "711102"),
            functionaries=(FunctionaryData("Officer-in-Charge", "A Das", ("+919830000001",), "oc@wbp.gov.in"),),
        ),
        GEO,
        TODAY,
    )
    assert entry_from_row(row_from_entry(entry), {}) == entry
    mapping = parse_mapping("name=PS Name, pin_code=Pincode")
    mapped = entry_from_row({"kind": "PS", "PS Name": "Bally PS", "Pincode": "711201"}, mapping)
    assert (mapped.kind, mapped.name, mapped.pin_code) == (PS, "Bally PS", "711201")
    with pytest.raises(BadUserInput):
        parse_mapping("nickname=X")


def test_quality_rules() -> None:
    old, fresh = date(2025, 6, 1), date(2026, 10, 1)
    facts = [
        EntryFacts("PS-1", "POLICE_STATION", "19", "313", True, fresh, "SJPU-1"),
        EntryFacts("PS-2", "POLICE_STATION", "19", "313", False, old, None),
        EntryFacts("SJPU-1", "SPECIAL_JUVENILE_POLICE_UNIT", "19", "313", True, None, None),
        EntryFacts("CWC-1", "CHILD_WELFARE_COMMITTEE", "19", "313", True, fresh, None),
        EntryFacts("PS-3", "POLICE_STATION", "10", "212", True, fresh, "SJPU-1"),
    ]
    report = quality_report(facts, GEO, TODAY, state="19", district="313")
    assert report.entries == 4
    assert report.stale == ["PS-2", "SJPU-1"]
    assert report.without_phone == ["PS-2"]
    assert report.stations_without_sjpu == ["PS-2"]
    assert [(g.district, [k.value for k in g.missing]) for g in report.district_gaps] == [
        ("313", ["JUVENILE_JUSTICE_BOARD", "DISTRICT_CHILD_PROTECTION_UNIT"])
    ]
    national = quality_report(facts, GEO, TODAY)
    assert len(national.district_gaps) == len(GEO.all_districts())  # none has all three
