"""Identifying marks weigh by the rarest word two descriptions share: a common mark as its level does, a rare one
more; and the search stays exact (``text_bound`` is still at least what the text comparisons add)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

import numpy as np
import pytest

from bench.matching.compared import comparing
from tests.matching.test_index import found as index_found
from tests.matching.test_index import report
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching import index as index_module
from trackchild_hub.matching import ranking, vector_score
from trackchild_hub.matching.features import features
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import Match, MatchRecord
from trackchild_hub.matching.text_levels import rarest_shared
from trackchild_hub.matching.weights import PRIOR

COMMON = ["mole on left cheek", "burn scar on right hand", "cut mark on forehead"]
TODAY = date(2026, 11, 28)
MISSING = frozenset({CaseKind.MISSING})


def found(name: str, gender: Gender, age: int, **extra: object) -> MatchRecord:
    return index_found(name, gender, age, state="19", district="313", **extra)


def _raw_totals(index: MatchIndex, query: MatchRecord, case_ids: list[str]) -> list[float]:
    rows = np.array([index.row_of.get(c) for c in case_ids], dtype=np.int64)
    return [float(t) for t in vector_score.total(index.parts(query, rows), len(rows))]


def _brute_force(index: MatchIndex, query: MatchRecord, first: int) -> list[tuple[float, str]]:
    """Every candidate scored in full, the best ``first`` (totals without the prior)."""
    rows = index.candidate_rows(query, MISSING)
    totals = vector_score.total(index.parts(query, rows), len(rows))
    ranked = sorted((-float(t), index.records[int(r)].case_id) for t, r in zip(totals, rows, strict=True))
    return [(-t, case_id) for t, case_id in ranked[:first]]


def _marks(match: Match) -> float:
    return next(f.weight for f in match.factors if f.field == "identifyingMarks")


def test_the_rarest_shared_word_is_taken_per_row() -> None:
    words = ("mole", "om", "cheek")
    shares = np.log2(np.array([0.1, 0.001, 0.2]))
    texts = ["mole on left cheek", "tattoo om on cheek", "scar on forehead", "tattoo om", ""]
    at = np.array([True, True, True, False, True])
    got = rarest_shared(words, shares, texts, at)
    assert got[:2] == pytest.approx([np.log2(0.1), np.log2(0.001)])
    assert np.isnan(got[2:]).all()  # shares none; not asked for (though it shares the rarest); no text


def test_a_rare_mark_weighs_more_than_a_common_one_and_a_common_one_as_its_level() -> None:
    common = [report(f"c{n}", f"Child{n} Das", Gender.MALE, 9, identifying_marks=(COMMON[n % 3],)) for n in range(300)]
    rare = report("r", "Amit Das", Gender.MALE, 9, identifying_marks=("tattoo of om on right forearm",))
    index = MatchIndex.build([*common, rare], today=TODAY)
    agree = PRIOR.weight("identifyingMarks", vector_score.DESCRIPTIONS_AGREE)
    plain = index.score_pair(found("Child0 Das", Gender.MALE, 10, identifying_marks=(COMMON[0],)), "c0")
    tattoo = index.score_pair(found("Amit Das", Gender.MALE, 10, identifying_marks=("om tattoo right forearm",)), "r")
    similar = index.score_pair(found("Amit Das", Gender.MALE, 10, identifying_marks=("om tattoo on his arm",)), "r")
    differ = index.score_pair(found("Amit Das", Gender.MALE, 10, identifying_marks=(COMMON[0],)), "r")
    assert plain is not None
    assert tattoo is not None
    assert similar is not None
    assert differ is not None
    assert _marks(plain) == pytest.approx(agree, abs=0.01)
    assert _marks(tattoo) > agree + 3
    assert PRIOR.weight("identifyingMarks", vector_score.DESCRIPTIONS_SIMILAR) + 3 < _marks(similar) < _marks(tattoo)
    assert _marks(differ) == pytest.approx(PRIOR.weight("identifyingMarks", 2), abs=0.01)


def _record(rng: random.Random, case_id: str, kind: CaseKind, words: list[str]) -> MatchRecord:
    """Marks from a few common phrases and a long tail of rare words (a street, a tattoo's text)."""
    marks: tuple[str, ...] = ()
    if rng.random() < 0.8:
        marks = (rng.choice(COMMON),) if rng.random() < 0.5 else (" ".join(rng.sample(words, 4)),)
    return MatchRecord(
        kind=kind,
        case_id=case_id,
        name=f"{rng.choice(['Rahul', 'Rohit', 'Sunita', 'Amit'])} {rng.choice(['Das', 'Yadav', 'Singh'])}",
        gender=rng.choice([Gender.MALE, Gender.FEMALE]),
        age_years=rng.randint(5, 15),
        event_date=date(2024, 1, 1) + timedelta(days=rng.randint(0, 900)),
        state="19",
        district="313",
        identifying_marks=marks,
    )


@pytest.fixture(scope="module")
def marked() -> tuple[MatchIndex, list[MatchRecord]]:
    rng = random.Random(5)
    words = [f"w{n}" for n in range(400)] + ["road", "street", "on", "left"] * 20
    index = MatchIndex.build([_record(rng, f"m{n:04d}", CaseKind.MISSING, words) for n in range(1500)], today=TODAY)
    queries = []
    for n in range(30):  # a held description with a word changed, or a fresh one
        query = _record(rng, f"f{n}", CaseKind.FOUND, words)
        held = index.records[rng.randrange(1500)].identifying_marks
        if held and rng.random() < 0.7:
            parts = held[0].split()
            parts[rng.randrange(len(parts))] = "x"
            query = replace(query, identifying_marks=(" ".join(parts),))
        queries.append(query)
    return index, queries


def test_the_bound_holds_for_rare_marks(marked: tuple[MatchIndex, list[MatchRecord]]) -> None:
    index, queries = marked
    agree = PRIOR.weight("identifyingMarks", vector_score.DESCRIPTIONS_AGREE)
    raised = tighter = 0
    for query in queries:
        query = replace(query, name=None, clothing=None)  # the marks alone: no other text's slack hides a shortfall
        rows = index.candidate_rows(query, MISSING)
        probe = index.probe(query, features(query))
        has = index.columns.view()["has"][rows]
        loose = vector_score.text_bound(probe, has, {}, {}, index.weights)  # any row the rarest word
        most = index._marks_most(probe, rows, index.weights)  # what the search passes
        bound = vector_score.text_bound(probe, has, {}, {}, index.weights, most)
        text = vector_score.text(
            probe, partial(index.texts.gather, rows=rows), index._gather(rows)["event"], index.weights
        )
        assert (vector_score.total(text, len(rows)) <= bound).all()
        assert (bound <= loose).all()
        raised += int((text["identifyingMarks"].weights > agree + 1).sum())
        tighter += int((bound < loose).sum())
    assert raised > 10  # rare words did raise marks above the level's weight
    assert tighter > 100  # and only the rows holding one of them are bounded above the levels' weight


def test_the_search_is_exact_with_rare_marks(
    marked: tuple[MatchIndex, list[MatchRecord]], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, queries = marked
    monkeypatch.setattr(ranking, "CHUNK", 30)
    skipped = 0
    for query in queries:
        with comparing("identifyingMarks") as marks:
            got = index.search(query, MISSING, 5)
        skipped += marks.rows < len(index.candidate_rows(query, MISSING)) + 5
        expected = _brute_force(index, query, 5)
        got_ids = [m.case_id for m in got]
        assert _raw_totals(index, query, got_ids) == pytest.approx([t for t, _ in expected], abs=1e-9)
        # Totals summed in another order differ in the last bits: a tie with the last may then come back either way.
        clear = [case_id for t, case_id in expected if t > expected[-1][0] + 1e-9]
        assert got_ids[: len(clear)] == clear
    assert skipped > 10
    assert cmp.MARKS_EDGES  # the levels these tests read: agree, similar, differ


def test_a_mark_word_many_rows_hold_bounds_every_row(
    marked: tuple[MatchIndex, list[MatchRecord]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``MARKS_ROWS_MAX`` rows a word's rows are not looked up: every row gets its most, as without postings."""
    index, queries = marked
    monkeypatch.setattr(index_module, "MARKS_ROWS_MAX", 0)
    for query in queries:
        rows = index.candidate_rows(query, MISSING)
        probe = index.probe(query, features(query))
        has = index.columns.view()["has"][rows]
        loose = vector_score.text_bound(probe, has, {}, {}, index.weights)
        most = index._marks_most(probe, rows, index.weights)
        assert vector_score.text_bound(probe, has, {}, {}, index.weights, most) == pytest.approx(loose)
