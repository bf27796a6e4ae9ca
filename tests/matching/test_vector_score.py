"""The one model: the search's ranking is the full score's, explanations add up to it, ties are stable, and the
comparisons behave as the issue asks (ages to 21, no cliffs, distance across states, reported vs pet names)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

import numpy as np
import pytest

from bench.matching.compared import comparing
from tests.matching.test_index import report as index_report
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching import ranking, vector_score
from trackchild_hub.matching.index import MatchIndex, _query_features
from trackchild_hub.matching.records import Match, MatchRecord
from trackchild_hub.matching.scoring import rank_key
from trackchild_hub.matching.weights import PRIOR as PRIOR_WEIGHTS
from trackchild_hub.services import match_service

TODAY = date(2026, 11, 28)
MISSING = frozenset({CaseKind.MISSING})
WB, HOWRAH, HOOGHLY, BIHAR, PATNA, TN, CHENNAI = "19", "313", "312", "10", "212", "33", "603"
FIRST = ["Rahul", "Rohit", "Sunita", "Sumita", "Laxmi", "Guddu", "Pinki", "Amit", "Anita", "Raju", "Munna", "Priya"]
LAST = ["Kumar", "Das", "Yadav", "Singh", "Mondal", "Khatun", "Devi", "Paswan", None]
FATHERS = ["Ramesh Yadav", "Suresh Kumar", "Bimal Das", "Mohammed Alam", "Ashok Singh"]
PLACES = [(WB, HOWRAH), (WB, HOOGHLY), (BIHAR, PATNA), (TN, CHENNAI)]
MARKS = ["mole on left cheek", "burn scar on right hand", "cut mark on forehead"]


def report(case_id: str, name: str | None, gender: Gender, age: int, **extra: object) -> MatchRecord:
    """test_index's missing report, with no point of its own unless given (place then comes from the district)."""
    return index_report(case_id, name, gender, age, **{"latitude": None, "longitude": None, **extra})


def found(name: str | None, gender: Gender, age: int, **extra: object) -> MatchRecord:
    return replace(report("", name, gender, age, **extra), kind=CaseKind.FOUND, event_date=date(2026, 11, 1))


def random_record(rng: random.Random, case_id: str, kind: CaseKind) -> MatchRecord:
    last = rng.choice(LAST)
    name = None if rng.random() < 0.1 else f"{rng.choice(FIRST)} {last}" if last else rng.choice(FIRST)
    state, district = rng.choice(PLACES)
    return MatchRecord(
        kind=kind,
        case_id=case_id,
        name=name,
        aliases=(rng.choice(FIRST),) if rng.random() < 0.3 else (),
        gender=rng.choice([Gender.MALE, Gender.FEMALE, Gender.UNKNOWN]),
        age_years=rng.randint(1, 21 if kind is CaseKind.FOUND else 17),
        event_date=date(2024, 1, 1) + timedelta(days=rng.randint(0, 900)),
        state=state,
        district=district,
        guardian_names=(rng.choice(FATHERS),) if rng.random() < 0.6 else (),
        identifying_marks=(rng.choice(MARKS),) if rng.random() < 0.3 else (),
        clothing=rng.choice(["red frock", "blue shirt black pant", None]),
        languages=(rng.choice(["bn", "hi", "ta"]),) if rng.random() < 0.7 else (),
        height_cm=rng.randint(80, 170) if rng.random() < 0.5 else None,
    )


@pytest.fixture(scope="module")
def crowd() -> MatchIndex:
    rng = random.Random(7)
    return MatchIndex.build([random_record(rng, f"m{n:05d}", CaseKind.MISSING) for n in range(3000)], today=TODAY)


def _brute_force(index: MatchIndex, query: MatchRecord, first: int) -> list[tuple[float, str]]:
    rows = index.candidate_rows(query, MISSING)
    totals = vector_score.total(index.parts(query, rows), len(rows))
    ranked = sorted((-float(t), index.records[int(r)].case_id) for t, r in zip(totals, rows, strict=True))
    return [(-t, case_id) for t, case_id in ranked[:first]]


def test_the_search_returns_exactly_the_full_scores_best(crowd: MatchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "CHUNK", 40)  # small chunks: most candidates' texts are never compared
    rng = random.Random(11)
    skipped = 0
    for n in range(40):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        with comparing("name") as names:  # names: the costly comparison
            got = crowd.search(query, MISSING, 5)
        skipped += names.rows < len(crowd.candidate_rows(query, MISSING)) + 5
        expected = _brute_force(crowd, query, 5)
        assert [m.case_id for m in got] == [case_id for _, case_id in expected]
        assert [m.total for m in got] == pytest.approx([t for t, _ in expected], abs=1e-9)
    assert skipped > 20  # the bound did prune: the test compares a pruned search with the full one


def test_the_explained_factors_add_up_to_the_total(crowd: MatchIndex) -> None:
    rng = random.Random(12)
    for n in range(20):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        rows = crowd.candidate_rows(query, MISSING)
        totals = vector_score.total(crowd.parts(query, rows), len(rows))
        by_id = {crowd.records[int(r)].case_id: float(t) for r, t in zip(rows, totals, strict=True)}
        for match in crowd.search(query, MISSING, 10):
            assert sum(f.weight for f in match.factors) == pytest.approx(match.total, abs=1e-6)
            assert match.total == pytest.approx(by_id[match.case_id], abs=1e-6)


def test_ties_are_broken_by_case_id_every_time() -> None:
    twins = [report(case_id, "Rahul Kumar", Gender.MALE, 9) for case_id in ("t3", "t1", "t2", "t0")]
    index = MatchIndex.build(twins, today=TODAY)
    query = found("Rahul", Gender.MALE, 10, state=WB, district=HOWRAH)
    assert [m.case_id for m in index.search(query, MISSING, 3)] == ["t0", "t1", "t2"]
    assert len({m.total for m in index.search(query, MISSING, 4)}) == 1
    assert sorted(index.search(query, MISSING, 4), key=rank_key) == index.search(query, MISSING, 4)


def test_a_teenager_estimated_past_17_is_still_found() -> None:
    index = MatchIndex.build([report("teen", "Amit Paswan", Gender.MALE, 15)], today=TODAY)
    match = index.search(found("Amit", Gender.MALE, 19, state=WB, district=HOWRAH), MISSING)[0]
    assert match.case_id == "teen"
    assert _weights(match)["age"] > -2.0  # a year and a half of growth and a guess 2-3 years high


def test_the_age_weight_falls_smoothly_with_the_gap() -> None:
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 10)], today=TODAY)
    born = date(2015, 6, 1)
    weights = [
        _weights(
            index.score_record(
                found("Rahul", Gender.MALE, 0, date_of_birth=born + timedelta(days=d)), _held(index, "r")
            )
        )["age"]
        for d in range(0, 8 * 365, 30)
    ]
    steps = np.diff(weights)
    assert (steps <= 1e-9).all()  # never better further apart
    assert np.abs(steps).max() < 0.5  # and no cliff: a month more never costs much


def test_small_childrens_estimates_get_more_room_than_school_age() -> None:
    index = MatchIndex.build(
        [report("small", None, Gender.FEMALE, 2), report("school", None, Gender.FEMALE, 9)], today=TODAY
    )
    small = index.score_pair(found(None, Gender.FEMALE, 6), "small")  # a toddler put down as five or six
    school = index.score_pair(found(None, Gender.FEMALE, 13), "school")
    assert small is not None
    assert school is not None
    assert _weights(small)["age"] > _weights(school)["age"]
    assert "small" in index.candidates(found(None, Gender.FEMALE, 7, state=WB, district=HOWRAH), MISSING)


def test_distance_is_graded_across_states_from_district_centres() -> None:
    index = MatchIndex.build(
        [report("near", "Raju", Gender.MALE, 9, district=HOOGHLY), report("far", "Raju", Gender.MALE, 9)],
        today=TODAY,
    )
    query = found("Raju", Gender.MALE, 10, state=BIHAR, district=PATNA)  # no coordinates: district centres
    patna = index.score_pair(query, "near")
    chennai = index.score_pair(replace(query, state=TN, district=CHENNAI), "near")
    assert patna is not None
    assert chennai is not None
    assert _weights(patna)["place"] > _weights(chennai)["place"]
    details = {f.field: f.detail for f in patna.factors}
    assert details["place"].endswith("km apart")
    assert "patna" not in details["place"].lower()
    assert "hooghly" not in details["place"].lower()


def test_the_explanation_tells_the_reported_name_from_a_recorded_pet_name() -> None:
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9, aliases=("Guddu",))], today=TODAY)
    by_pet = index.score_pair(found("Guddu", Gender.MALE, 10), "r")
    by_name = index.score_pair(found("Rahul", Gender.MALE, 10), "r")
    assert by_pet is not None
    assert by_name is not None
    pet, name = _details(by_pet)["name"], _details(by_name)["name"]
    assert "recorded pet name" in pet
    assert "guddu" not in pet.lower()
    assert "reported name" in name
    assert "rahul" not in name.lower()


def test_a_pet_name_many_reports_record_weighs_less_than_a_rare_one() -> None:
    common = [report(f"c{n}", f"Child{n}", Gender.MALE, 9, aliases=("Monu",), district=HOOGHLY) for n in range(200)]
    index = MatchIndex.build([*common, report("a", "Amit Das", Gender.MALE, 9, aliases=("Bablu",))], today=TODAY)
    monu = index.score_pair(found("Monu", Gender.MALE, 10), "c0")
    bablu = index.score_pair(found("Bablu", Gender.MALE, 10), "a")
    assert monu is not None
    assert bablu is not None
    assert 0 <= _weights(monu)["name"] < _weights(bablu)["name"]


def test_a_record_scored_live_scores_as_if_held(crowd: MatchIndex) -> None:
    rng = random.Random(13)
    for n in range(10):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        held = crowd.record(f"m{n:05d}")
        assert held is not None
        assert crowd.score_record(query, held) == crowd.score_pair(query, held.case_id)


def test_pair_levels_give_one_level_per_comparison(crowd: MatchIndex) -> None:
    query = random_record(random.Random(14), "f", CaseKind.FOUND)
    rows = crowd.candidate_rows(query, MISSING)
    levels = vector_score.pair_levels(crowd, query, rows)
    assert all(v.dtype == np.int8 and len(v) == len(rows) for v in levels.values())
    assert {"name", "guardians", "age", "gender", "place", "dates"} <= set(levels)


def _held(index: MatchIndex, case_id: str) -> MatchRecord:
    record = index.record(case_id)
    assert record is not None
    return record


def _weights(match: Match) -> dict[str, float]:
    return {f.field: f.weight for f in match.factors}


def _details(match: Match) -> dict[str, str]:
    return {f.field: f.detail for f in match.factors}


def test_a_child_found_long_before_going_missing_is_no_dates_evidence() -> None:
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9)], today=TODAY)
    query = found("Rahul", Gender.MALE, 9)
    early = index.score_record(replace(query, event_date=date(2025, 1, 1)), _held(index, "r"))
    soon = index.score_record(replace(query, event_date=date(2025, 6, 20)), _held(index, "r"))
    assert "dates" not in _weights(early)  # an impossible pair for blocking; training's random pairs skip it too
    assert _weights(soon)["dates"] > 0


def test_two_recorded_dates_of_birth_agreeing_say_more_than_two_estimates_agreeing() -> None:
    born = date(2016, 3, 1)
    index = MatchIndex.build(
        [
            report("dob", "Rahul Kumar", Gender.MALE, 9, date_of_birth=born),
            report("age", "Rahul Kumar", Gender.MALE, 9),
        ],
        today=TODAY,
    )
    query = found("Rahul", Gender.MALE, 10)
    dated = index.score_record(replace(query, date_of_birth=born), _held(index, "dob"))
    estimated = index.score_record(query, _held(index, "age"))
    assert _weights(dated)["age"] > _weights(estimated)["age"] + 2 > 2
    # Far off, a typed date of birth counts as any far-off age does: the levels further off keep their weight.
    typo = index.score_record(replace(query, date_of_birth=date(2010, 3, 1)), _held(index, "dob"))
    assert _weights(typo)["age"] == round(PRIOR_WEIGHTS.weight("age", len(PRIOR_WEIGHTS.m["age"]) - 1), 2)


def test_a_childs_account_of_leaving_weighs_more_the_closer_it_is_to_the_reports_date() -> None:
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9)], today=TODAY)
    query = found("Rahul", Gender.MALE, 9)  # the report's date is 2025-06-01
    close, near, far = (
        index.score_record(replace(query, missing_since=day), _held(index, "r"))
        for day in (date(2025, 6, 3), date(2025, 7, 10), date(2025, 9, 1))
    )
    assert _weights(close)["dates"] > _weights(near)["dates"] > 0
    assert _details(close)["dates"] == "left home within 2 days of the report's date"
    assert _details(far)["dates"].startswith("found ")  # beyond 60 days the account is not the child's departure
    rows = np.array([index.row_of.get("r")], dtype=np.int64)
    levels = [
        int(vector_score.pair_levels(index, replace(query, missing_since=day), rows)["dates"][0])
        for day in (date(2025, 6, 3), date(2025, 7, 10))
    ]
    assert levels == [cmp.DATES_LEFT_14_DAYS, cmp.DATES_LEFT_60_DAYS]


def test_a_found_date_just_before_going_missing_is_no_sign_of_a_quick_find() -> None:
    """Within the slack for approximate dates, a found date before the recorded date of going missing is a pair, but
    weighs with "found later", not as a find on the day; a find within days weighs more than one within weeks."""
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9)], today=TODAY)
    query = found("Rahul", Gender.MALE, 9)
    before, days, weeks = (
        index.score_record(replace(query, event_date=day), _held(index, "r"))
        for day in (date(2025, 5, 20), date(2025, 6, 4), date(2025, 7, 20))
    )
    assert _weights(before)["dates"] == round(PRIOR_WEIGHTS.weight("dates", cmp.DATES_LATER), 2) < 0
    assert _weights(days)["dates"] > _weights(weeks)["dates"] > 0
    assert _details(before)["dates"] == "found 12 days before the recorded date of going missing"
    rows = np.array([index.row_of.get("r")], dtype=np.int64)
    levels = vector_score.pair_levels(index, replace(query, event_date=date(2025, 5, 20)), rows)
    assert int(levels["dates"][0]) == cmp.DATES_LATER


def test_a_rows_name_bound_counts_only_the_words_that_can_agree_with_it(crowd: MatchIndex) -> None:
    """``text_bound`` per row from the keys that reached it: never below what the texts add, and below the bound
    that lets every word agree wherever a row was reached by some of the query's keyed words only. A word no case
    holds (a misspelling) can only agree by sound, and is bounded by its sound's share."""
    rng = random.Random(13)
    tighter = 0
    for n in range(80):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        if n % 2 and query.name:  # a spelling no case holds, as a found child's often is: it agrees only by sound
            query = replace(query, name=query.name.replace("a", "aa", 1), guardian_names=("Rameesh Yaadav",))
        q = _query_features(query)
        rows, names, guardians, _ = crowd._block(query, q, MISSING)
        probe = crowd.probe(query, q)
        has = crowd.columns.view()["has"][rows]
        marks = crowd._marks_most(probe, rows, crowd.weights)
        bound = vector_score.text_bound(probe, has, names, guardians, crowd.weights, marks)
        parts = vector_score.text(
            probe, partial(crowd.texts.gather, rows=rows), crowd._gather(rows)["event"], crowd.weights
        )
        assert (bound >= vector_score.total(parts, len(rows))).all()
        every = {s: reached.any() | reached for s, reached in names.items()}  # every keyed word could agree
        loose = vector_score.text_bound(probe, has, every, guardians, crowd.weights, marks)
        assert (bound <= loose).all()
        tighter += int((bound < loose).sum())
    assert tighter > 100  # rows reached by one of two keyed words (a surname alone) get the smaller bound


def test_a_rows_clothing_bound_is_only_for_rows_dated_near_enough_to_compare_clothes(crowd: MatchIndex) -> None:
    """Clothes are compared only between records at most ``CLOTHES_DAYS`` apart: ``text_bound`` with ``worn``
    gives the others nothing for clothing (as if the query described none), and is still never below what the
    texts add."""
    rng = random.Random(19)
    tighter = worn_rows = 0
    for n in range(80):
        query = replace(random_record(rng, f"f{n}", CaseKind.FOUND), clothing="red shirt blue shorts")
        q = _query_features(query)
        rows, names, guardians, _ = crowd._block(query, q, MISSING)
        probe = crowd.probe(query, q)
        has, events = crowd.columns.view()["has"][rows], crowd._gather(rows)["event"]
        worn = vector_score.clothes_worn(q.event_day, events)
        bound = vector_score.text_bound(probe, has, names, guardians, crowd.weights, worn=worn)
        parts = vector_score.text(probe, partial(crowd.texts.gather, rows=rows), events, crowd.weights)
        assert (bound >= vector_score.total(parts, len(rows))).all()
        bare = replace(query, clothing=None)
        unclothed = crowd.probe(bare, _query_features(bare))
        without = vector_score.text_bound(unclothed, has, names, guardians, crowd.weights)
        assert (bound[~worn] == without[~worn]).all(), "a row dated too far to compare clothes got a clothing bound"
        loose = vector_score.text_bound(probe, has, names, guardians, crowd.weights)
        tighter += int((bound < loose).sum())
        worn_rows += int(worn.sum())
    assert tighter > 100  # rows holding clothing, dated beyond a week of the query
    assert worn_rows > 0  # and some within it, bounded as before (the first assertion)


def test_records_scored_together_are_scored_as_one_by_one(crowd: MatchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    """Live records are scored ``SCORE_CHUNK`` a call (``match_service._score_slice``: the query's probe made once);
    each gets what it gets scored alone, in order, however the slices fall (here one chunk each)."""
    monkeypatch.setattr(match_service, "SLICE_S", 0.0)
    rng = random.Random(23)
    live = [replace(random_record(rng, f"live{n}", CaseKind.MISSING), case_id=f"live{n}") for n in range(75)]
    for n in range(6):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        sliced: list[Match] = []
        while len(sliced) < len(live):
            got = match_service._score_slice(crowd, query, live, len(sliced))
            assert len(got) == min(match_service.SCORE_CHUNK, len(live) - len(sliced))
            sliced += got
        assert sliced == [crowd.score_record(query, record) for record in live]


def test_a_total_is_the_same_however_its_parts_are_added(crowd: MatchIndex) -> None:
    """The search adds a row's numeric and text totals; full scoring adds every part in turn. Both give the very
    same float, so a tie at the k-th score keeps the same rows in either (the test compares with ==)."""
    rng = random.Random(17)
    for n in range(60):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        rows = crowd.candidate_rows(query, MISSING)
        probe = crowd.probe(query, _query_features(query))
        numeric = vector_score.numeric(probe, crowd._gather(rows), crowd.weights)
        text = vector_score.text(
            probe, partial(crowd.texts.gather, rows=rows), crowd._gather(rows)["event"], crowd.weights
        )
        split = vector_score.plus(vector_score.total(numeric, len(rows)), vector_score.total(text, len(rows)))
        assert split.tolist() == vector_score.total({**numeric, **text}, len(rows)).tolist()


def test_a_word_no_case_holds_can_only_agree_by_its_sound(crowd: MatchIndex) -> None:
    query = found("Raahul Yadav", Gender.MALE, 10, guardian_names=("Ramesh Yadav",))
    probe = crowd.probe(query, _query_features(query))
    misspelt, held = probe.name.tokens.index("raahul"), probe.name.tokens.index("yadav")
    assert probe.name.log2_least[misspelt] == probe.name.log2_sound_frequency[misspelt]
    assert probe.name.log2_least[misspelt] > probe.name.log2_frequency[misspelt]  # no case holds it: share 1/N
    assert probe.name.log2_least[held] == probe.name.log2_frequency[held]
    # parents' names are counted by their sound only (``text_levels.guardian_levels``)
    assert probe.guardians.log2_least.tolist() == probe.guardians.log2_sound_frequency.tolist()


def test_an_account_of_leaving_far_from_the_reports_date_counts_against_the_pair() -> None:
    """A child's account blurs with time: 150 days off weeks after the report is far (against the pair), 92 days off
    a year and a half later is not (the delay counts as if she had said nothing)."""
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9)], today=TODAY)  # reported 2025-06-01
    soon = replace(found("Rahul", Gender.MALE, 9), event_date=date(2025, 6, 20))
    silent, far = (
        index.score_record(replace(soon, missing_since=day), _held(index, "r")) for day in (None, date(2025, 1, 1))
    )
    assert _weights(far)["dates"] == round(PRIOR_WEIGHTS.weight("dates", cmp.DATES_LEFT_FAR), 2) < -3
    assert _weights(silent)["dates"] > 0
    assert _details(far)["dates"] == "left home 151 days from the report's date, by the child's account"
    late = found("Rahul", Gender.MALE, 9, missing_since=date(2025, 9, 1))  # found 2026-11-01
    rows = np.array([index.row_of.get("r")], dtype=np.int64)
    assert int(vector_score.pair_levels(index, late, rows)["dates"][0]) == cmp.DATES_LATER
    assert int(vector_score.pair_levels(index, replace(soon, missing_since=date(2025, 1, 1)), rows)["dates"][0]) == (
        cmp.DATES_LEFT_FAR
    )


def test_clothes_are_compared_only_between_records_a_week_apart_at_most() -> None:
    worn = "red shirt blue jeans"
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9, clothing=worn)], today=TODAY)
    query = found("Rahul", Gender.MALE, 9, clothing=worn)
    days = (date(2025, 6, 4), date(2025, 6, 8), date(2025, 6, 9), date(2025, 5, 25), date(2025, 7, 15))
    compared = [
        "clothing" in _weights(index.score_record(replace(query, event_date=day), _held(index, "r"))) for day in days
    ]
    assert compared == [True, True, False, True, False]
    differ = index.score_record(replace(query, event_date=days[0], clothing="green frock"), _held(index, "r"))
    assert _weights(differ)["clothing"] < 0


def test_a_childs_time_until_care_weighs_by_its_own_levels() -> None:
    """A children's home records a child on admission, often months after she was found: six months until care is
    evidence for the pair, six months until found much less; days until care less than days until found."""
    index = MatchIndex.build([report("r", "Rahul Kumar", Gender.MALE, 9)], today=TODAY)  # reported 2025-06-01
    rows = np.array([index.row_of.get("r")], dtype=np.int64)
    weights: dict[tuple[CaseKind, int], float] = {}
    for kind in (CaseKind.FOUND, CaseKind.CARE):
        for days in (5, 200):
            query = replace(found("Rahul", Gender.MALE, 9), kind=kind, event_date=date(2025, 6, 1) + timedelta(days))
            match = index.score_record(query, _held(index, "r"))
            weights[kind, days] = _weights(match)["dates"]
            level = int(vector_score.pair_levels(index, query, rows)["dates"][0])
            assert (level in cmp.DATES_CARE) == (kind is CaseKind.CARE)
    assert weights[CaseKind.CARE, 200] > weights[CaseKind.FOUND, 200] + 0.5
    assert weights[CaseKind.FOUND, 5] > weights[CaseKind.CARE, 5] + 1
    care = replace(found("Rahul", Gender.MALE, 9), kind=CaseKind.CARE, event_date=date(2025, 12, 18))
    assert _details(index.score_record(care, _held(index, "r")))["dates"] == "in care 6 months after going missing"


def test_a_missing_report_weighs_a_childs_time_until_care_as_the_child_searched_for_it_does() -> None:
    cared = replace(report("c", "Rahul Kumar", Gender.MALE, 9), kind=CaseKind.CARE, event_date=date(2025, 12, 18))
    index = MatchIndex.build([cared, replace(cared, case_id="f", kind=CaseKind.FOUND)], today=TODAY)
    query = report("m", "Rahul Kumar", Gender.MALE, 9)  # reported 2025-06-01
    rows = np.array([index.row_of.get("c"), index.row_of.get("f")], dtype=np.int64)
    levels = vector_score.pair_levels(index, query, rows)["dates"].tolist()
    assert levels == [cmp.DATES_CARE_YEAR, cmp.DATES_YEAR]
    from_care = index.score_record(replace(cared, case_id="q"), query)
    held = index.score_pair(query, "c")
    assert held is not None
    assert _weights(from_care)["dates"] == _weights(held)["dates"]
