"""``bench.matching.kept``: an index built once and kept, then every found child's search timed against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.matching import kept
from trackchild_hub.matching import vector_score
from trackchild_hub.matching.weights import PRIOR, Weights


def test_a_kept_snapshot_is_searched_again_with_the_same_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = vector_score.text
    kept.build(tmp_path, cases=3000, queries=40, seed=3)
    first, again = tmp_path / "first.json", tmp_path / "again.json"
    figures = kept.search(tmp_path, first, warm=5)
    assert figures["queries"] == 40
    assert 0 < figures["found_in_10"] <= 40
    assert figures["names_compared_mean"] > 0
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    kept.search(tmp_path, again, warm=0)
    assert json.loads(first.read_text()) == json.loads(again.read_text())  # the same index, the same answers
    assert len(json.loads(first.read_text())) == 40
    assert "p95" in capsys.readouterr().out
    assert vector_score.text is text  # the count's wrapper is gone again


def test_kept_weights_are_trained_from_its_queries_and_searched_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept.build(tmp_path, cases=3000, queries=40, seed=3)
    kept.train(tmp_path)
    weights = Weights.from_json(json.loads((tmp_path / kept.WEIGHTS).read_text()))
    assert weights.m != PRIOR.m
    assert "trained on 40 queries" in capsys.readouterr().out
    prior, trained = tmp_path / "prior.json", tmp_path / "trained.json"
    kept.search(tmp_path, prior, warm=0)
    figures = kept.search(tmp_path, trained, warm=0, weights=tmp_path / kept.WEIGHTS)
    assert figures["queries"] == 40
    assert json.loads(prior.read_text()) != json.loads(trained.read_text())  # other weights, other rankings
