"""The demo generator: deterministic, internally consistent, and varied the way real records are."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from trackchild_hub.domain.geography import District, Geography, State, StateKind, load_geography
from trackchild_hub.sandbox.demo import DemoData, generate_demo

TODAY = date(2026, 11, 28)
MOBILE = re.compile(r"^\+91[6-9]\d{9}$")
E164 = re.compile(r"^\+91\d{10}$")
PINS = {
    "19": r"^7[0-4]\d{4}$",
    "7": r"^110\d{3}$",
    "27": r"^4[0-4]\d{4}$",
    "10": r"^8[0-5]\d{4}$",
    "9": r"^2[0-8]\d{4}$",
}
DIRECTORY_KINDS = {
    "POLICE_STATION",
    "CHILD_CARE_INSTITUTION",
    "CHILD_WELFARE_COMMITTEE",
    "JUVENILE_JUSTICE_BOARD",
    "DISTRICT_CHILD_PROTECTION_UNIT",
    "STATE_CHILD_PROTECTION_SOCIETY",
    "SPECIAL_JUVENILE_POLICE_UNIT",
    "ANTI_HUMAN_TRAFFICKING_UNIT",
    "HELPLINE",
    "HOSPITAL",
    "LEGAL_SERVICES_AUTHORITY",
}
HOME_TYPES = {
    "CHILDRENS_HOME",
    "OBSERVATION_HOME",
    "SPECIAL_HOME",
    "PLACE_OF_SAFETY",
    "SPECIALISED_ADOPTION_AGENCY",
    "OPEN_SHELTER",
}
DEVANAGARI = re.compile("[\u0900-\u097f]")
BENGALI = re.compile("[\u0980-\u09ff]")

# (code, name, latitude, longitude) per state; a few districts lack coordinates, as some LGD rows do.
_DISTRICTS: dict[tuple[str, str, str], list[tuple[str, str, float | None, float | None]]] = {
    ("19", "West Bengal", "WB"): [
        ("315", "Kolkata", 22.57, 88.36),
        ("313", "Howrah", 22.59, 88.31),
        ("305", "Bankura", 23.23, 87.07),
        ("316", "Malda", 25.0, 88.14),
        ("321", "Purulia", None, None),
        ("303", "North 24 Parganas", 22.72, 88.48),
    ],
    ("7", "Delhi", "DL"): [
        ("77", "Central Delhi", 28.65, 77.23),
        ("79", "New Delhi", 28.61, 77.21),
        ("671", "Shahdara", 28.67, 77.29),
    ],
    ("27", "Maharashtra", "MH"): [
        ("482", "Mumbai City", 18.94, 72.83),
        ("490", "Pune", 18.52, 73.86),
        ("484", "Nagpur", 21.15, 79.09),
        ("481", "Latur", 18.4, 76.56),
    ],
    ("10", "Bihar", "BR"): [
        ("212", "Patna", 25.6, 85.1),
        ("196", "Gaya", 24.79, 85.0),
        ("208", "Muzaffarpur", 26.12, 85.39),
        ("221", "Sitamarhi", 26.6, 85.48),
        ("188", "Araria", None, None),
    ],
    ("9", "Uttar Pradesh", "UP"): [
        ("162", "Lucknow", 26.85, 80.95),
        ("187", "Varanasi", 25.32, 82.97),
        ("148", "Gorakhpur", 26.76, 83.37),
        ("126", "Ballia", 25.76, 84.15),
        ("157", "Kanpur Nagar", 26.45, 80.33),
    ],
    ("32", "Kerala", "KL"): [("588", "Ernakulam", 9.98, 76.28), ("589", "Kozhikode", 11.25, 75.78)],
}


def make_geography() -> Geography:
    states = []
    for (code, name, abbr), rows in _DISTRICTS.items():
        districts = tuple(District(c, code, n, lat, lon) for c, n, lat, lon in rows)
        kind = StateKind.UNION_TERRITORY if code == "7" else StateKind.STATE
        states.append(State(code, name, abbr, kind, districts))
    return Geography(tuple(states))


GEO = make_geography()


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(GEO, today=TODAY)


def _dump(data: DemoData) -> str:
    return json.dumps([data.directory, data.institutions, data.cases], ensure_ascii=False, sort_keys=True)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _centre(district_code: str) -> tuple[float, float]:
    d = GEO.district(district_code)
    assert d is not None
    if d.latitude is not None and d.longitude is not None:
        return d.latitude, d.longitude
    state = GEO.state(d.state_code)
    assert state is not None
    points = [(x.latitude, x.longitude) for x in state.districts if x.latitude is not None and x.longitude is not None]
    lats = [lat for lat, _ in points if lat is not None]
    lons = [lon for _, lon in points if lon is not None]
    return sum(lats) / len(lats), sum(lons) / len(lons)


def _phones(demo: DemoData) -> list[tuple[str, bool]]:
    """Every phone number in the data, with whether it must be a mobile."""
    found: list[tuple[str, bool]] = [(p, False) for e in demo.directory for p in e["phones"]]
    found += [(h["phone"], False) for h in demo.institutions]
    for case in demo.cases:
        found += [(g["phone"], True) for g in case["child"]["guardians"] if g["phone"] is not None]
        if case["kind"] == "MISSING":
            found.append((case["missing"]["reporter"]["phone"], True))
        if case["kind"] == "FOUND" and case["found"]["found_by_contact"] is not None:
            found.append((case["found"]["found_by_contact"], False))
    return found


def test_same_inputs_give_identical_output(demo: DemoData) -> None:
    again = generate_demo(GEO, today=TODAY)
    assert _dump(again) == _dump(demo)
    assert _dump(generate_demo(GEO, today=TODAY, seed=7)) != _dump(demo)


def test_counts_follow_the_arguments(demo: DemoData) -> None:
    kinds = Counter(e["kind"] for e in demo.directory)
    assert len(demo.cases) == 2000
    assert kinds["POLICE_STATION"] == 80
    assert len(demo.institutions) == 25
    assert kinds["CHILD_CARE_INSTITUTION"] == 25
    assert kinds["STATE_CHILD_PROTECTION_SOCIETY"] == 5
    assert Counter(c["kind"] for c in demo.cases) == {"MISSING": 1000, "FOUND": 600, "CARE": 400}

    small = generate_demo(GEO, today=TODAY, cases=120, police_stations=12, institutions=4, states=("10", "9"))
    assert len(small.cases) == 120
    assert sum(e["kind"] == "POLICE_STATION" for e in small.directory) == 12
    assert len(small.institutions) == 4
    assert {c["place"]["state"] for c in small.cases} <= {"10", "9"}


def test_directory_entries_are_well_formed(demo: DemoData) -> None:
    ids = [e["id"] for e in demo.directory]
    assert len(ids) == len(set(ids))
    for entry in demo.directory:
        assert entry["kind"] in DIRECTORY_KINDS
        if entry["kind"] == "POLICE_STATION":
            m = re.fullmatch(r"PS-(\d+)-(\d+)-(\d{3})", entry["id"])
            assert m
            assert m.group(1) == entry["state"]
            assert m.group(2) == entry["district"]
            assert entry["code"] == f"{entry['state']:0>2}{entry['district']:0>3}{m.group(3)}"
        else:
            assert re.fullmatch(r"DIR-[A-Z]+-(\d+|IN)-\d{3}", entry["id"])
            assert entry["code"] is None
        if entry["district"] is not None:
            district = GEO.district(entry["district"])
            assert district is not None
            assert district.state_code == entry["state"]
        assert (entry["institution"] is not None) == (entry["kind"] == "CHILD_CARE_INSTITUTION")
        assert entry["hours"]
        assert entry["languages"]
        assert entry["phones"]
    helplines = [e for e in demo.directory if e["kind"] == "HELPLINE" and e["state"] is None]
    assert len(helplines) == 1
    assert "1098" in helplines[0]["name"]


def test_each_district_with_police_has_its_bodies(demo: DemoData) -> None:
    policed = {e["district"] for e in demo.directory if e["kind"] == "POLICE_STATION"}
    per_kind = Counter((e["kind"], e["district"]) for e in demo.directory)
    for district in policed:
        for kind in ("CHILD_WELFARE_COMMITTEE", "JUVENILE_JUSTICE_BOARD", "DISTRICT_CHILD_PROTECTION_UNIT"):
            assert per_kind[(kind, district)] == 1
        assert per_kind[("SPECIAL_JUVENILE_POLICE_UNIT", district)] == 1
    assert 0 < sum(e["kind"] == "ANTI_HUMAN_TRAFFICKING_UNIT" for e in demo.directory) < len(policed)
    assert all(e["district"] is None for e in demo.directory if e["kind"] == "STATE_CHILD_PROTECTION_SOCIETY")


def test_pin_codes_are_plausible_for_the_state(demo: DemoData) -> None:
    for row in [*demo.directory, *demo.institutions]:
        if row["state"] is None:
            continue
        assert re.fullmatch(PINS.get(row["state"], r"[1-9]\d{5}"), row["pin_code"]), row


def test_phone_numbers_are_e164(demo: DemoData) -> None:
    phones = _phones(demo)
    assert len(phones) > 1000
    for phone, is_mobile in phones:
        assert (MOBILE if is_mobile else E164).fullmatch(phone), phone


def test_coordinates_sit_near_the_district(demo: DemoData) -> None:
    rows = [*demo.directory, *demo.institutions, *(c["place"] for c in demo.cases)]
    located = [r for r in rows if r["district"] is not None]
    assert located
    for row in located:
        assert isinstance(row["latitude"], float), row
        assert isinstance(row["longitude"], float), row
        assert _km((row["latitude"], row["longitude"]), _centre(row["district"])) <= 15.0


def test_case_places_agree_with_geography_and_directory(demo: DemoData) -> None:
    stations = {e["id"]: e for e in demo.directory if e["kind"] == "POLICE_STATION"}
    for case in demo.cases:
        place = case["place"]
        district = GEO.district(place["district"])
        assert district is not None
        assert district.state_code == place["state"]
        if place["police_station"] is not None:
            assert stations[place["police_station"]]["district"] == place["district"]
        assert place["text"]
    assert all(c["place"]["police_station"] for c in demo.cases if c["kind"] == "MISSING")


def test_dates_keep_their_order(demo: DemoData) -> None:
    for case in demo.cases:
        event = _day(case["event_date"])
        reported = datetime.fromisoformat(case["reported_at"])
        assert reported.utcoffset() == timedelta(hours=5, minutes=30)
        assert TODAY - timedelta(days=4 * 366) <= event <= reported.date() <= TODAY
        child = case["child"]
        if child["date_of_birth"] is not None:
            dob = _day(child["date_of_birth"])
            assert event.year - dob.year - ((event.month, event.day) < (dob.month, dob.day)) == child["age_years"]
        if case["kind"] == "MISSING":
            assert event <= _day(case["fir"]["date"]) <= reported.date()
        else:
            assert case["fir"] is None
        if case["kind"] == "CARE":
            care = case["care"]
            assert _day(care["admission_order"]["date"]) <= _day(care["admission_date"]) == event
            if care["exit_date"] is not None:
                assert event < _day(care["exit_date"]) <= TODAY


def test_children_look_like_the_caseload(demo: DemoData) -> None:
    children = [c["child"] for c in demo.cases]
    ages = Counter(ch["age_years"] for ch in children)
    assert set(ages) <= set(range(18))
    assert sum(ages[a] for a in range(12, 18)) > len(children) / 2  # adolescents dominate
    assert ages[0] > 0
    girls = sum(ch["gender"] == "FEMALE" for ch in children) / len(children)
    assert 0.48 <= girls <= 0.62
    assert Counter(ch["gender"] for ch in children)["TRANSGENDER"] < len(children) * 0.02
    statuses = Counter(c["status"] for c in demo.cases)
    assert statuses["OPEN"] > statuses["RESOLVED"] > statuses["CLOSED"] > 0
    dob_known = sum(ch["date_of_birth"] is not None for ch in children) / len(children)
    assert 0.2 <= dob_known <= 0.4


def test_every_missing_case_has_an_fir_and_a_reporter(demo: DemoData) -> None:
    for case in (c for c in demo.cases if c["kind"] == "MISSING"):
        assert re.fullmatch(r"\d+/\d{4}", case["fir"]["number"])
        assert case["fir"]["number"].endswith(case["fir"]["date"][:4])
        assert case["missing"]["circumstances"]
        assert case["missing"]["reporter"]["name"]
        assert "found" not in case
        assert "care" not in case


def test_cases_point_at_real_institutions(demo: DemoData) -> None:
    homes = {h["registration_number"]: h for h in demo.institutions}
    for home in demo.institutions:
        assert re.fullmatch(r"[A-Z]{2}/CCI/20\d{2}/\d{4}", home["registration_number"])
        assert home["type"] in HOME_TYPES
        assert 25 <= home["capacity"] <= 150
        assert home["run_by"] in ("GOVERNMENT", "NGO")
        assert home["gender_served"] in ("MALE", "FEMALE", "ANY")
    for case in demo.cases:
        if case["kind"] == "CARE":
            home = homes[case["care"]["institution"]]
            assert (home["state"], home["district"]) == (case["place"]["state"], case["place"]["district"])
        if case["kind"] == "FOUND" and case["found"]["institution"] is not None:
            assert case["found"]["institution"] in homes


def test_names_come_in_their_real_variety(demo: DemoData) -> None:
    children = [c["child"] for c in demo.cases]
    names = [ch["name"] for ch in children if ch["name"]]
    assert sum(bool(DEVANAGARI.search(n)) for n in names) >= 10
    assert sum(bool(BENGALI.search(n)) for n in names) >= 3
    assert sum(" " not in n for n in names) >= 50  # single-name children
    assert any(re.match(r"(Md\.?|Mohd\.?|Mohammad|Sk\.?) ", n) for n in names)
    assert any(n.endswith((" Kumari", " Khatun", " Khatoon")) for n in names)
    nicknames_only = [ch for ch in children if ch["name"] is None and ch["aliases"]]
    nameless = [ch for ch in children if ch["name"] is None and not ch["aliases"] and not ch["guardians"]]
    assert len(nicknames_only) >= 20
    assert len(nameless) >= 20
    father_only = [ch for ch in children if [g["relation"] for g in ch["guardians"]] == ["FATHER"]]
    assert len(father_only) >= 20


def test_some_found_children_are_missing_children(demo: DemoData) -> None:
    by_id = {c["external_id"]: c for c in demo.cases}
    assert [c["external_id"] for c in demo.cases] == [f"DEMO-{i}" for i in range(1, len(demo.cases) + 1)]
    later = [c for c in demo.cases if c["kind"] != "MISSING"]
    paired = [c for c in later if "demo_truth" in c]
    assert 0.07 * len(later) <= len(paired) <= 0.13 * len(later)
    targets = [by_id[c["demo_truth"]["same_child_as"]] for c in paired]
    assert len({t["external_id"] for t in targets}) == len(targets)
    for case, truth in zip(paired, targets, strict=True):
        assert truth["kind"] == "MISSING"
        assert truth["status"] == "OPEN"
        assert truth["child"]["gender"] == case["child"]["gender"]
        assert case["event_date"] >= truth["event_date"]
        assert abs(case["child"]["age_years"] - truth["child"]["age_years"]) <= 4
    assert any(c["place"]["state"] != t["place"]["state"] for c, t in zip(paired, targets, strict=True))
    assert any(c["child"]["name"] != t["child"]["name"] for c, t in zip(paired, targets, strict=True))
    assert all("demo_truth" not in c for c in demo.cases if c["kind"] == "MISSING")


def test_records_have_the_exchange_shape(demo: DemoData) -> None:
    common = ["kind", "source", "external_id", "reference", "reported_at", "status", "fir", "child", "place"]
    for case in demo.cases:
        extra = {"MISSING": "missing", "FOUND": "found", "CARE": "care"}[case["kind"]]
        keys: list[Any] = [*common, "event_date", extra]
        assert [k for k in case if k != "demo_truth"] == keys
        assert case["source"] == "demo"
        assert case["reference"] is None
        assert case["status"] in ("OPEN", "RESOLVED", "CLOSED")


def test_states_without_a_profile_and_empty_parts_still_work() -> None:
    data = generate_demo(GEO, today=TODAY, states=("32",), cases=40, police_stations=3, institutions=0)
    assert {c["kind"] for c in data.cases} <= {"MISSING", "FOUND"}
    assert all(re.fullmatch(r"[1-9]\d{5}", e["pin_code"]) for e in data.directory if e["state"] is not None)
    none = generate_demo(GEO, today=TODAY, cases=0, police_stations=0, institutions=0)
    assert none.cases == []
    assert none.institutions == []
    with pytest.raises(ValueError, match="unknown"):
        generate_demo(GEO, today=TODAY, states=("99",))


def test_large_seeds_finish() -> None:
    """Crowded office-years once made the FIR serial search loop forever (12,000 cases never finished)."""
    data = generate_demo(load_geography(), today=date(2026, 11, 1), cases=12_000)
    firs = [(c["place"]["police_station"], c["fir"]["date"][:4], c["fir"]["number"]) for c in data.cases if c["fir"]]
    assert len(data.cases) == 12_000
    assert len(firs) == len(set(firs))
