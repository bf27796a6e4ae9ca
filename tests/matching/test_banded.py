"""A pair banded (a candidate outside the caller's jurisdiction: ``matching/banded.py``) is weighed and explained by
level alone: no detail quotes a measure, the smooth comparisons weigh as their level does, and two candidates that
differ only within the same levels read the same."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.matching.test_vector_score import random_record
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.explain import AGE_BANDS, DATE_BANDS, HEIGHT_BANDS, PLACE_BANDS
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord

TODAY = date(2026, 11, 28)
BANDS = {"age": AGE_BANDS, "height": HEIGHT_BANDS, "dates": DATE_BANDS}


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    rng = random.Random(29)
    return MatchIndex.build([random_record(rng, f"m{n:04d}", CaseKind.MISSING) for n in range(600)], today=TODAY)


def test_a_banded_pair_is_weighed_and_explained_by_its_levels(index: MatchIndex) -> None:
    rng = random.Random(31)
    live = [replace(random_record(rng, f"l{n}", CaseKind.MISSING), case_id=f"l{n}") for n in range(120)]
    smoothed = 0
    for n in range(20):
        query = random_record(rng, f"f{n}", CaseKind.FOUND)
        banded = index.score_records(query, live, banded=True)
        shown = index.score_records(query, live)
        for b, s in zip(banded, shown, strict=True):
            assert [f.field for f in b.factors] == [f.field for f in s.factors]  # the same comparisons made
            assert round(sum(f.weight for f in b.factors), 2) == pytest.approx(b.total)
            for factor in b.factors:
                if factor.field in BANDS:  # a level's words, weighed as the level
                    level = BANDS[factor.field].index(factor.detail)
                    assert factor.weight == round(float(index.weights.table(factor.field)[level]), 2)
                elif factor.field == "place":  # no routes learned here: the level's weight alone
                    level = PLACE_BANDS.index(factor.detail)
                    assert factor.weight == round(float(index.weights.table("place")[level]), 2)
                else:  # names, parents' names, marks, clothing: no similarity figure
                    assert not any(c.isdigit() for c in factor.detail), factor
            smoothed += sum(
                bf.weight != sf.weight for bf, sf in zip(b.factors, s.factors, strict=True) if bf.field in BANDS
            )
    assert smoothed > 100  # shown, the smooth comparisons weigh between levels: banded, they do not


def test_candidates_differing_only_within_levels_read_the_same_banded(index: MatchIndex) -> None:
    event = date(2026, 11, 1)
    query = MatchRecord(
        kind=CaseKind.FOUND,
        name="Meera Kumari",
        gender=Gender.FEMALE,
        age_years=10,
        height_cm=131,
        event_date=event,
        state="19",
        district="313",
    )
    born = event - timedelta(days=3835)  # about 10.5 years before: where an estimate of 10 centres
    first = MatchRecord(
        kind=CaseKind.MISSING,
        case_id="a",
        name="Meera Kumari",
        gender=Gender.FEMALE,
        date_of_birth=born,
        height_cm=130,
        event_date=event - timedelta(days=3),
        state="19",
        district="313",
    )
    second = replace(
        first,
        case_id="b",
        date_of_birth=born - timedelta(days=40),
        height_cm=133,
        event_date=event - timedelta(days=8),
    )
    a, b = index.score_records(query, [first, second], banded=True)
    assert a.factors == b.factors
    assert a.total == b.total
    shown = index.score_records(query, [first, second])
    details = {f.field: (f.detail, g.detail) for f, g in zip(shown[0].factors, shown[1].factors, strict=True)}
    for field in ("age", "height", "dates"):  # shown to a caller who may see the cases, they differ
        assert details[field][0] != details[field][1], details[field]
