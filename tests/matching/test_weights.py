"""Match weights: the priors are proper distributions, JSON round-trips, misfits are refused, and a search uses the
weights it is given (explanations show them)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.comparisons import COMPARISONS
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.weights import PRIOR, Weights

MISSING = frozenset({CaseKind.MISSING})


def test_the_priors_are_probabilities_over_each_comparisons_levels() -> None:
    for comparison in COMPARISONS:
        assert len(comparison.prior_m) == len(comparison.prior_u) == len(comparison.levels)
        assert sum(comparison.prior_m) == pytest.approx(1.0)
        assert sum(comparison.prior_u) == pytest.approx(1.0)
    assert PRIOR.weight("gender", 0) > 0 > PRIOR.weight("gender", 2)
    assert PRIOR.weight("gender", -1) == 0.0


def test_weights_round_trip_through_json() -> None:
    assert Weights.from_json(PRIOR.to_json()) == PRIOR


@pytest.mark.parametrize(
    "broken",
    [
        {"version": "x"},
        {"version": "x", "comparisons": {"name": {"m": [0.5], "u": [0.5]}}},
        {"version": 3, "comparisons": {}},
    ],
)
def test_weights_that_do_not_fit_the_comparisons_are_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        Weights.from_json(broken)


def test_a_zero_probability_is_refused() -> None:
    data = PRIOR.to_json()
    data["comparisons"]["gender"]["m"] = [1.0, 0.0, 0.0]  # type: ignore[index]
    with pytest.raises(ValueError, match="gender"):
        Weights.from_json(data)


def test_the_search_scores_and_explains_with_the_weights_set() -> None:
    record = MatchRecord(
        kind=CaseKind.MISSING, case_id="r", name="Rahul", gender=Gender.MALE, age_years=9, event_date=date(2025, 6, 1)
    )
    index = MatchIndex.build([record], today=date(2026, 11, 28))
    query = MatchRecord(kind=CaseKind.FOUND, name="Rahul", gender=Gender.MALE, event_date=date(2026, 11, 1))
    before = {f.field: f.weight for f in index.search(query, MISSING)[0].factors}
    m = dict(PRIOR.m)
    m["gender"] = (0.5, 0.25, 0.25)
    index.set_weights(Weights("learned#1", m, PRIOR.u))
    after = {f.field: f.weight for f in index.search(query, MISSING)[0].factors}
    assert before["gender"] == pytest.approx(PRIOR.weight("gender", 0), abs=0.006)  # shown rounded to 0.01
    assert after["gender"] == pytest.approx(math.log2(0.5 / PRIOR.u["gender"][0]), abs=0.006)
    assert after["gender"] < before["gender"] - 0.5
