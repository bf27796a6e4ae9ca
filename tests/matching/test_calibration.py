"""A match's probability: weighed against the competition and the store's size, never above what the full score of
every candidate gives; EM held to lambda; lambda from reviews, carried by the weights."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import ranking, vector_score
from trackchild_hub.matching.em import expectation_maximisation
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import Band, Match, MatchRecord
from trackchild_hub.matching.scoring import (
    MIN_POPULATION,
    Prior,
    band,
    evidence,
    log2_sum,
    probability,
    reweighed,
    weighed_together,
)
from trackchild_hub.matching.training import REVIEWED_PRIOR, reported_share, train
from trackchild_hub.matching.weights import PRIOR, REPORTED, Weights

from .test_em import START_M, TRUE_M, TRUE_U, pairs
from .test_index import HOWRAH, MISSING, TODAY, WB, found, report


def closed_form(totals: list[float], i: int, n: int, lam: float, temperature: float = 1.0) -> float:
    """P(i is the child) written out as the Fellegi-Sunter "at most one" posterior, in plain floats."""
    ratios = [2.0 ** (t / temperature) for t in totals]
    return lam * ratios[i] / n / ((1 - lam) + lam * sum(ratios) / n)


def test_the_probability_is_the_posterior_that_at_most_one_report_is_the_child() -> None:
    totals = [20.0, 17.5, 3.0, -8.0]
    seen = evidence(np.array(totals))
    for i, total in enumerate(totals):
        got = probability(total, seen, population=100_000, reported=0.85)
        assert got == pytest.approx(closed_form(totals, i, 100_000, 0.85), rel=1e-9)
    nobody = 0.15 / (0.15 + 0.85 * sum(2.0**t for t in totals) / 100_000)  # the child is none of them
    assert sum(probability(t, seen, population=100_000, reported=0.85) for t in totals) + nobody == pytest.approx(1.0)


def test_twins_split_the_probability_that_one_alone_would_have() -> None:
    alone = probability(24.0, 24.0, population=100_000, reported=0.5)
    twins = evidence(np.array([24.0, 24.0]))
    each = probability(24.0, twins, population=100_000, reported=0.5)
    assert alone > 0.99
    assert each == pytest.approx(alone / (1 + alone), rel=1e-6)
    assert each < 0.5
    assert 2 * each < 1.0


def test_more_evidence_a_bigger_store_and_a_rarer_report_move_it_the_right_way() -> None:
    others = [10.0, 5.0]

    def p(total: float, population: int = 100_000, reported: float = 0.5, rivals: list[float] = others) -> float:
        return probability(total, evidence(np.array([total, *rivals])), population=population, reported=reported)

    by_total = [p(t) for t in np.linspace(-10, 40, 51)]
    assert all(a < b for a, b in itertools.pairwise(by_total) if b < 1.0)
    assert p(18.0, rivals=[*others, 16.0]) < p(18.0)  # a close rival takes some
    assert p(18.0, population=1_000_000) < p(18.0, population=100_000)
    assert p(18.0, reported=0.3) < p(18.0, reported=0.5) < p(18.0, reported=0.9)
    assert 0.0 < p(-40.0) < 1e-12
    assert p(200.0) == pytest.approx(1.0)


def test_a_small_store_counts_as_min_population_and_then_matches_the_old_prior() -> None:
    single = probability(14.0, 14.0, population=3, reported=REPORTED)
    assert single == probability(14.0, 14.0, population=MIN_POPULATION, reported=REPORTED)
    assert single == pytest.approx(1 / (1 + 2 ** -(14.0 - math.log2(MIN_POPULATION))), rel=1e-9)


def test_a_pruned_candidate_adds_its_bound_so_the_probability_is_never_above_the_full_one() -> None:
    scored = np.array([20.0, 4.0])
    pruned = np.array([9.0, 9.0, 1.0])
    assert evidence(scored, pruned) >= evidence(np.concatenate([scored, [8.0, 2.0, 0.5]]))  # totals under bounds
    assert evidence(np.array([]), None) == -math.inf


def random_record(rng: random.Random, case_id: str, kind: CaseKind) -> MatchRecord:
    given = ["Rahul", "Rohit", "Sunita", "Priya", "Amit", "Pooja", "Ravi", "Anjali", "Suresh", "Kiran"]
    surnames = ["Kumar", "Das", "Yadav", "Singh", "Khatun", "Mondal"]
    return MatchRecord(
        kind=kind,
        case_id=case_id,
        name=f"{rng.choice(given)} {rng.choice(surnames)}",
        gender=rng.choice([Gender.MALE, Gender.FEMALE]),
        age_years=rng.randint(4, 17),
        guardian_names=(f"{rng.choice(given)} {rng.choice(surnames)}",) if rng.random() < 0.5 else (),
        event_date=TODAY.replace(year=2025),
        state=WB,
        district=HOWRAH,
        clothing=rng.choice(["red shirt", "blue frock", None]),
    )


def test_the_search_probability_is_at_most_the_one_every_candidates_full_score_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(5)
    crowd = MatchIndex.build([random_record(rng, f"m{n:05d}", CaseKind.MISSING) for n in range(2000)], today=TODAY)
    queries = [replace(random_record(rng, f"f{n}", CaseKind.FOUND), event_date=TODAY) for n in range(20)]
    population, lam = crowd.population(MISSING), crowd.weights.reported
    assert population == 2000

    def full(query: MatchRecord) -> float:
        rows = crowd.candidate_rows(query, MISSING)
        assert 0 < len(rows) < ranking.CHUNK  # with the usual chunk every candidate is scored: no bound is used
        return evidence(vector_score.total(crowd.parts(query, rows), len(rows)))

    exact = {query.case_id: full(query) for query in queries}
    for query in queries:
        for match in crowd.search(query, MISSING, 5):
            want = probability(match.total, exact[query.case_id], population=population, reported=lam)
            assert match.score == round(want, 4)
    monkeypatch.setattr(ranking, "CHUNK", 40)  # small chunks: most candidates' texts are never compared
    lower = 0
    for query in queries:
        for match in crowd.search(query, MISSING, 5):
            want = probability(match.total, exact[query.case_id], population=population, reported=lam)
            assert match.score <= round(want, 4)
            lower += match.score < round(want, 4)
    assert lower > 50  # the pruned candidates' bounds did count


def _twin_store(twins: int) -> MatchIndex:
    crowd = [report(f"x{n}", f"Child{n} Kumar", Gender.MALE, 5 + n % 12) for n in range(300)]
    child = report(
        "rahul",
        "Rahul Kumar",
        Gender.MALE,
        9,
        guardian_names=("Suresh Kumar",),
        identifying_marks=("burn scar left hand",),
        clothing="red checked shirt",
    )
    copies = [replace(child, case_id=f"rahul{n}") for n in range(twins - 1)]
    return MatchIndex.build([*crowd, child, *copies], today=TODAY)


def test_two_identical_reports_are_not_both_likely() -> None:
    query = found(
        "Rahul Kumar",
        Gender.MALE,
        9,
        guardian_names=("Suresh Kumar",),
        identifying_marks=("burn scar left hand",),
        clothing="red checked shirt",
        event_date=date(2026, 10, 28),
        state=WB,
        district=HOWRAH,
        latitude=22.59,
        longitude=88.31,
    )
    alone = _twin_store(1).search(query, MISSING, 5)
    assert alone[0].case_id == "rahul"
    assert alone[0].band is Band.LIKELY
    pair = _twin_store(2).search(query, MISSING, 5)
    assert {m.case_id for m in pair[:2]} == {"rahul", "rahul0"}
    assert pair[0].total == pair[1].total  # ranked alike (the name a little commoner than alone): the same score
    assert all(m.band is not Band.LIKELY for m in pair)
    assert pair[0].score == pair[1].score <= 0.5


def test_a_single_pair_is_weighed_alone() -> None:
    index = _twin_store(2)
    query = found("Rahul Kumar", Gender.MALE, 9, guardian_names=("Suresh Kumar",), state=WB, district=HOWRAH)
    searched = {m.case_id: m for m in index.search(query, MISSING, 5)}
    single = index.score_pair(query, "rahul")
    assert single is not None
    assert single.total == searched["rahul"].total
    expected = probability(single.total, single.total, population=index.population(MISSING), reported=REPORTED)
    assert single.score == round(expected, 4) > searched["rahul"].score
    record = index.score_record(query, index.record("rahul") or report("-", None, Gender.MALE, 9))
    assert record.score == single.score


def test_em_held_to_lambda_keeps_it_and_a_beta_prior_pulls_towards_it() -> None:
    u = tuple(np.asarray(p) for p in TRUE_U)
    levels, _ = pairs(20_000, 0.3, seed=21)
    free = expectation_maximisation(levels, START_M, u, share=0.05, prior_share=0.0)
    held = expectation_maximisation(levels, START_M, u, share=0.05, share_weight=math.inf, prior_share=0.0)
    pulled = expectation_maximisation(levels, START_M, u, share=0.05, share_weight=20_000, prior_share=0.0)
    assert free.share == pytest.approx(0.3, abs=0.03)
    assert held.share == 0.05
    assert held.share < pulled.share < free.share
    # held low, fewer pairs are taken for matches: m is learned from the clearest ones only
    assert held.matches < pulled.matches < free.matches
    assert len(held.m) == len(TRUE_M)
    assert all(np.all(m > 0) for m in held.m)


def test_lambda_from_reviews_is_the_confirmed_share_pulled_to_the_prior() -> None:
    nothing = np.full(4, np.nan)
    assert reported_share(nothing, np.arange(4)) == REPORTED
    groups = np.repeat(np.arange(100), 2)
    marks = np.full(200, np.nan)
    marks[0:160:2] = 1.0  # 80 found children with a confirmed pair
    marks[161:200:2] = 0.0  # 20 with a rejected one only
    assert reported_share(marks, groups) == pytest.approx((80 + REVIEWED_PRIOR * REPORTED) / (100 + REVIEWED_PRIOR))


def test_trained_weights_carry_lambda_from_the_reviews_and_store_it() -> None:
    reports = [report(f"m{n}", f"Child{n} Kumar", Gender.MALE, 5 + n % 12) for n in range(60)]
    index = MatchIndex.build(reports, today=TODAY)
    queries = [
        found(f"Child{n} Kumar", Gender.MALE, 5 + n % 12, case_id=f"f{n}", event_date=TODAY, state=WB, district=HOWRAH)
        for n in range(30)
    ]
    labels = {(f"m{n}", f"f{n}"): n < 24 for n in range(30)}  # 24 confirmed, 6 rejected
    weights, report_ = train(index, queries, labels=labels, random_pairs=2_000)
    want = (24 + REVIEWED_PRIOR * REPORTED) / (30 + REVIEWED_PRIOR)
    assert weights.reported == pytest.approx(want) == report_.share
    assert Weights.from_json(weights.to_json()).reported == weights.reported
    unlabelled, _ = train(index, queries, random_pairs=2_000)
    assert unlabelled.reported == REPORTED


def test_a_closed_found_child_with_several_reviewed_pairs_counts_once() -> None:
    reports = [report(f"m{n}", f"Child{n} Kumar", Gender.MALE, 5 + n % 12) for n in range(60)]
    index = MatchIndex.build(reports, today=TODAY)
    queries = [found("Child50 Kumar", Gender.MALE, 7, case_id="f50", event_date=TODAY, state=WB, district=HOWRAH)]
    closed = {  # reunified: no longer in the index, read by the caller
        f"c{n}": found(f"Child{n} Kumar", Gender.MALE, 5 + n % 12, case_id=f"c{n}", event_date=TODAY) for n in range(10)
    }
    labels: dict[tuple[str, str], bool] = {}
    for n in range(10):  # each: its report confirmed, two others rejected
        labels |= {(f"m{n}", f"c{n}"): True, (f"m{n + 20}", f"c{n}"): False, (f"m{n + 40}", f"c{n}"): False}
    weights, _ = train(index, queries, labels=labels, records=closed, random_pairs=2_000)
    assert weights.reported == pytest.approx((10 + REVIEWED_PRIOR * REPORTED) / (10 + REVIEWED_PRIOR))


def test_weights_stored_before_lambda_read_as_the_priors_and_a_bad_one_is_refused() -> None:
    data = PRIOR.to_json()
    del data["reported"]
    assert Weights.from_json(data).reported == REPORTED
    for bad in (0.0, 1.0, -0.2, "0.5", True, float("nan")):
        with pytest.raises(ValueError, match="reported share"):
            Weights.from_json({**PRIOR.to_json(), "reported": bad})


def test_pairs_weighed_again_keep_the_competition_they_were_searched_against() -> None:
    totals, n, lam = [22.0, 21.0, 9.0], 100_000, 0.5
    seen = evidence(np.array(totals))
    chances = [probability(t, seen, population=n, reported=lam) for t in totals]
    pairs_ = zip(chances, totals, strict=True)
    searched = [Match(f"c{i}", round(p, 4), band(p), (), t) for i, (p, t) in enumerate(pairs_)]
    alone = Match("c0", probability(20.5, 20.5, population=n, reported=lam), None, (), 20.5)  # no rivals
    moved = reweighed(searched, {0: alone})
    assert [m.total for m in moved] == [20.5, 21.0, 9.0]
    for i, m in enumerate(moved):
        assert m.score == pytest.approx(closed_form([20.5, 21.0, 9.0], i, n, lam), abs=2e-4)
    assert moved[0].score < alone.score
    twins = reweighed(searched, {0: replace(alone, total=20.0), 1: replace(alone, case_id="c1", total=20.0)})
    assert twins[0].score == twins[1].score  # the same weight again, the same probability: nothing of the old
    assert reweighed(searched, {}) == searched


@pytest.mark.parametrize("t", [1.0, 1.5])
def test_candidates_scored_apart_are_weighed_with_one_search_as_if_searched_with_it(t: float) -> None:
    """A live system's records are each scored alone; merged with a search's matches, every probability is what one
    search of them all would give (the closed form over every total), and the search's unlisted candidates (read
    back from its likeliest match) still count; with a temperature (``calibration.py``) too."""
    totals, n, lam = [22.0 * t, 21.0 * t, 9.0 * t, 15.0 * t], 100_000, 0.5  # tempered back to the same odds
    seen = evidence(np.array(totals), temperature=t)
    pairs_ = [(probability(x, seen, population=n, reported=lam, temperature=t), x) for x in totals]
    searched = [Match(f"c{i}", round(p, 4), band(p), (), t) for i, (p, t) in enumerate(pairs_)][:3]  # 15.0 unlisted
    alone = [
        Match(f"live{i}", probability(x, x, population=n, reported=lam, temperature=t), None, (), x)
        for i, x in enumerate((22.0 * t, 8.0 * t))
    ]
    prior = Prior(population=n, reported=lam, temperature=t)
    every = [*totals, 22.0 * t, 8.0 * t]
    stored, live = weighed_together(searched, alone, prior)
    for i, m in enumerate(stored):
        assert m.score == pytest.approx(closed_form(every, i, n, lam, t), abs=2e-4)
    assert live[0].score == pytest.approx(closed_form(every, 4, n, lam, t), abs=2e-4)
    assert live[0].score == stored[0].score < 0.5  # two reports alike: neither LIKELY, each alone was
    assert alone[0].score > 0.95
    unchanged, none = weighed_together(searched, [], prior)
    assert none == []
    assert [m.score for m in unchanged] == pytest.approx([m.score for m in searched], abs=1e-4)
    only_live, listed = weighed_together(
        [], alone[:1], prior, unlisted=(8.0 * t,)
    )  # no store asked: the live ones alone
    assert only_live == []
    assert listed[0].score == pytest.approx(closed_form([22.0 * t, 8.0 * t], 0, n, lam, t), abs=2e-4)


def test_the_summed_evidence_is_logaddexp_in_one_pass() -> None:
    rng = np.random.default_rng(4)
    for spread in (0.5, 30.0, 2000.0):
        values = rng.normal(0.0, spread, 5000)
        values[::7] = -np.inf  # candidates that cannot be the child
        assert log2_sum(values) == pytest.approx(float(np.logaddexp2.reduce(values)), abs=1e-9)
    assert log2_sum(np.array([-np.inf, -np.inf])) == -np.inf
    assert log2_sum(np.empty(0)) == -np.inf
