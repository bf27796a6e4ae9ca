"""The candidate index without I/O: blocking that does not lose children, hard filters, ranking, explanations."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import Band, MatchRecord

TODAY = date(2026, 11, 28)
MISSING = frozenset({CaseKind.MISSING})
WB, HOWRAH, BIHAR, PATNA, DELHI = "19", "313", "10", "212", "7"


def report(case_id: str, name: str | None, gender: Gender, age: int, **extra: object) -> MatchRecord:
    values: dict[str, object] = {
        "kind": CaseKind.MISSING,
        "case_id": case_id,
        "name": name,
        "gender": gender,
        "age_years": age,
        "event_date": date(2025, 6, 1),
        "state": WB,
        "district": HOWRAH,
        "latitude": 22.59,
        "longitude": 88.31,
        **extra,
    }
    return MatchRecord(**values)  # type: ignore[arg-type]


def found(name: str | None, gender: Gender, age: int, **extra: object) -> MatchRecord:
    values: dict[str, object] = {
        "kind": CaseKind.FOUND,
        "name": name,
        "gender": gender,
        "age_years": age,
        "event_date": date(2026, 11, 1),
        "state": BIHAR,
        "district": PATNA,
        "latitude": 25.6,
        "longitude": 85.1,
        **extra,
    }
    return MatchRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def index() -> MatchIndex:
    crowd = [report(f"x{n}", f"Child{n} Kumar", Gender.MALE, 5 + n % 12) for n in range(300)]
    return MatchIndex.build(
        [
            *crowd,
            report("rahul", "Rahul Kumar", Gender.MALE, 9, aliases=("Guddu",), guardian_names=("Suresh Kumar",)),
            report(
                "sunita",
                "Sunita Kumari",
                Gender.FEMALE,
                8,
                guardian_names=("Ramesh Yadav",),
                identifying_marks=("mole on left cheek",),
            ),
            report("sumita", "Sumita Das", Gender.FEMALE, 8, guardian_names=("Bimal Das",)),
            report("baby", None, Gender.FEMALE, 3, state=BIHAR, district=PATNA),
            report("later", "Laxmi", Gender.FEMALE, 9, event_date=date(2026, 11, 20)),
        ],
        today=TODAY,
    )


def test_a_nickname_alone_reaches_the_child_whose_alias_it_is(index: MatchIndex) -> None:
    assert "rahul" in index.candidates(found("Guddu", Gender.MALE, 10), MISSING)
    assert index.search(found("Guddu", Gender.MALE, 10), MISSING)[0].case_id == "rahul"


def test_a_nameless_child_still_gets_candidates_across_states(index: MatchIndex) -> None:
    nameless = found(None, Gender.FEMALE, 9, state=DELHI, district=None, latitude=None, longitude=None)
    candidates = index.candidates(nameless, MISSING)
    assert {"sunita", "sumita"} <= set(candidates)  # gender + age window, nationally
    assert "rahul" not in candidates  # a 10-year-old boy is not a nameless girl's candidate


def test_a_pet_name_the_lexicon_lacks_blocks_like_no_name_when_reports_record_it_as_one(index: MatchIndex) -> None:
    """Reports hold "Jhunnu" as an alias, never as a name: a child giving only that is searched nationwide like a
    nameless child, so the right report is a candidate though it never recorded the pet name."""
    for n in range(3):
        index.upsert(report(f"j{n}", f"Asha{n} Devi", Gender.FEMALE, 8, aliases=("Jhunnu",), state=DELHI))
    query = found("Jhunnu", Gender.FEMALE, 8)  # found in Patna; Sunita's report (Howrah) holds no pet name
    assert "sunita" in index.candidates(query, MISSING)
    named = found("Jhunnu Yadav", Gender.FEMALE, 8)  # a name beside it: blocking by name and place only
    assert "sunita" not in index.candidates(named, MISSING)


def test_only_a_fathers_name_reaches_the_child(index: MatchIndex) -> None:
    query = found(None, Gender.FEMALE, 9, guardian_names=("Ramesh Yadav",))
    assert index.search(query, MISSING)[0].case_id == "sunita"


def test_gender_is_soft_for_young_children(index: MatchIndex) -> None:
    toddler = found(None, Gender.MALE, 3)  # the same Patna district, recorded as a boy
    assert "baby" in index.candidates(toddler, MISSING)


def test_a_found_date_before_the_missing_date_is_no_candidate(index: MatchIndex) -> None:
    early = found("Laxmi", Gender.FEMALE, 9, event_date=date(2026, 6, 1), state=WB, district=HOWRAH)
    assert "later" not in index.candidates(early, MISSING)


def test_sound_alike_beats_look_alike_and_the_explanation_says_why(index: MatchIndex) -> None:
    marks = ("mole left cheek",)
    query = found(
        "Suneeta",
        Gender.FEMALE,
        9,
        guardian_names=("Ramesh Yadav",),
        identifying_marks=marks,
        state=WB,
        district=HOWRAH,
        latitude=22.6,
        longitude=88.3,
    )
    results = index.search(query, MISSING)
    best, scores = results[0], {m.case_id: m.score for m in results}
    assert best.case_id == "sunita"
    assert best.band is Band.LIKELY
    assert scores["sunita"] > scores["sumita"]
    fields = {f.field: f for f in best.factors}
    assert {"name", "guardians", "age", "gender", "place", "identifyingMarks"} <= set(fields)
    assert fields["name"].weight > 0
    assert fields["guardians"].weight > 0
    assert fields["gender"].weight > 0
    assert all("sunita" not in f.detail.lower() and "ramesh" not in f.detail.lower() for f in best.factors)


def test_an_age_far_outside_the_window_counts_against(index: MatchIndex) -> None:
    young, old = found("Rahul", Gender.MALE, 10), found("Rahul", Gender.MALE, 17)
    near = index.score_pair(young, "rahul")
    far = index.score_pair(old, "rahul")
    assert near is not None
    assert far is not None
    assert {f.field: f.weight for f in far.factors}["age"] < 0 < {f.field: f.weight for f in near.factors}["age"]
    assert far.score < near.score


def test_upsert_replaces_and_remove_forgets(index: MatchIndex) -> None:
    size = len(index)
    # renamed far from the old name (Rohit would be a letter away: a typing error's neighbour, ``neighbour_keys``)
    index.upsert(replace(index.record("rahul"), name="Salim Kumar", aliases=()))  # type: ignore[arg-type]
    assert len(index) == size
    assert "rahul" not in index.candidates(found("Rahul", Gender.MALE, 10, state=DELHI, district=None), MISSING)
    index.remove("rahul")
    assert len(index) == size - 1
    assert index.record("rahul") is None
    assert all(m.case_id != "rahul" for m in index.search(found("Salim", Gender.MALE, 9), MISSING))


def test_closer_ages_and_quicker_finds_weigh_more(index: MatchIndex) -> None:
    soon = found("Sunita", Gender.FEMALE, 8, event_date=date(2025, 6, 20), state=WB, district=HOWRAH)
    late = replace(soon, event_date=date(2026, 11, 1), age_years=11)
    told = replace(late, missing_since=date(2025, 5, 28))  # the child's own account of when they left
    quick, slow, account = (index.score_pair(q, "sunita") for q in (soon, late, told))
    assert quick is not None
    assert slow is not None
    assert account is not None
    weights = [{f.field: f.weight for f in m.factors} for m in (quick, slow, account)]
    assert weights[0]["dates"] > weights[1]["dates"]
    assert weights[2]["dates"] > weights[0]["dates"]
    assert weights[0]["age"] > weights[1]["age"]
    assert quick.score > slow.score


def test_a_query_with_no_place_widens_to_the_country_when_names_reach_few() -> None:
    placeless = {"state": None, "district": None, "latitude": None, "longitude": None}
    index = MatchIndex.build(
        [report("far", "Xavier Quinn", Gender.MALE, 9, date_of_birth=date(2016, 3, 2), **placeless)], today=TODAY
    )
    typed = found("Zebedee Jones", Gender.MALE, 9, date_of_birth=date(2016, 3, 9), **placeless)  # names replaced
    assert "far" in index.candidates(typed, MISSING)
    assert "far" not in index.candidates(replace(typed, state=BIHAR, district=PATNA), MISSING)  # a place: no widening
