"""The temperature (``calibration.py``): fitted to reviewed pairs, it tempers a match's probability and never its
rank; it is stored with the weights, and too few reviews leave it at 1."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from trackchild_hub.matching import calibration
from trackchild_hub.matching.calibration import MIN_CONFIRMED, Judged
from trackchild_hub.matching.scoring import MIN_POPULATION, evidence, log2_sum, probability
from trackchild_hub.matching.weights import PRIOR, TEMPERATURES, Weights

REPORTED = 0.8


def reviews(temperature: float, children: int, seed: int = 1) -> list[Judged]:
    """Found children with four reviewed candidates each, the answers drawn as a probability tempered by
    ``temperature`` says: which candidate (or none) is the child."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(children):
        totals = np.concatenate([rng.normal(24, 6, 1), rng.normal(14, 6, 3)])
        terms = math.log2(REPORTED) + totals / temperature - math.log2(MIN_POPULATION)
        weights = np.exp2(np.append(terms, math.log2(1 - REPORTED)) - log2_sum(np.append(terms, math.log2(0.2))))
        chosen = rng.choice(5, p=weights / weights.sum())
        out.append(Judged(totals, (np.arange(4) == chosen).astype(np.float64), MIN_POPULATION))
    return out


@pytest.mark.parametrize("truth", [0.7, 1.0, 2.0, 3.0])
def test_the_fit_finds_the_temperature_the_answers_were_given_under(truth: float) -> None:
    assert calibration.fit(reviews(truth, 3000), REPORTED) == pytest.approx(truth, rel=0.15)


def test_the_fit_takes_probabilities_as_judgements_too() -> None:
    """EM's judgement is a probability per pair, not an answer: the answers' expectation fits the same T."""
    rng = np.random.default_rng(2)
    answered = reviews(2.0, 3000)
    judged = []
    for child in answered:  # each pair's answer replaced by a probability centred on it
        matched = np.clip(child.matched * 0.9 + 0.05 + rng.normal(0, 0.02, 4), 0, 1)
        judged.append(Judged(child.totals, matched, child.population))
    assert calibration.fit(judged, REPORTED) == pytest.approx(calibration.fit(answered, REPORTED), rel=0.15)


def test_too_few_judgements_fit_nothing() -> None:
    few = reviews(3.0, 3000)
    confirmed = [r for r in few if r.matched.any()][: MIN_CONFIRMED - 1]
    assert calibration.fit(confirmed, REPORTED) is None
    only_rejected = [Judged(r.totals, np.zeros(4), r.population) for r in few]
    assert calibration.fit(only_rejected, REPORTED) is None
    assert calibration.fit([], REPORTED) is None


def test_a_temperature_tempers_the_probability_and_the_evidence() -> None:
    totals = np.array([30.0, 22.0, 5.0])
    for t in (0.5, 1.0, 2.5):
        seen = evidence(totals, temperature=t)
        assert seen == pytest.approx(t * math.log2(np.exp2(totals / t).sum()))
        p = probability(30.0, seen, population=100_000, reported=0.8, temperature=t)
        lam_l_n = 0.8 * 2 ** (totals / t) / 100_000
        assert p == pytest.approx(lam_l_n[0] / (0.2 + lam_l_n.sum()))
    hot = probability(30.0, evidence(totals, temperature=2.0), population=100_000, reported=0.8, temperature=2.0)
    assert hot < probability(30.0, evidence(totals), population=100_000, reported=0.8)


def test_the_temperature_is_stored_with_the_weights_and_checked() -> None:
    weights = dataclasses.replace(PRIOR, version="v", temperature=1.7)
    assert Weights.from_json(weights.to_json()) == weights
    assert "temperature" not in PRIOR.to_json()
    assert Weights.from_json({k: v for k, v in weights.to_json().items() if k != "temperature"}).temperature == 1.0
    low, high = TEMPERATURES
    for bad in (0.0, low / 2, high * 2, math.nan, "2", True):
        with pytest.raises(ValueError, match="temperature"):
            Weights.from_json({**weights.to_json(), "temperature": bad})
