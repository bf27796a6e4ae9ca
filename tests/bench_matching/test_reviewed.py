"""The review history behind ``hub-reviewed`` (``bench.matching.reviewed``) and the diagnostic ``hub-oracle``: labels
as reviewers give them, from another seed's data, and none of the evaluated data's truth in them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import bench._common
from bench.matching.__main__ import main
from bench.matching.generator import generate
from bench.matching.model import Dataset
from bench.matching.reviewed import PREFIX, REJECTED, own_labels, review, review_seed, truth_pairs
from trackchild_hub.matching import training
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord

MISSING, FOUND, SEED = 3000, 200, 7


@pytest.fixture(scope="module")
def history_data() -> Dataset:
    return generate(MISSING, FOUND, seed=review_seed(SEED))


@pytest.fixture(scope="module")
def evaluated() -> Dataset:
    return generate(MISSING, FOUND, seed=SEED)


def _content(record: MatchRecord) -> MatchRecord:
    return dataclasses.replace(record, case_id="")


def test_review_confirms_every_true_pair_and_rejects_the_best_wrong_ones(history_data: Dataset) -> None:
    index = MatchIndex.build(history_data.missing, today=history_data.today)
    reviewed = review(history_data, index)
    assert reviewed.seed == review_seed(SEED) != SEED
    confirmed = {pair for pair, ok in reviewed.labels.items() if ok}
    truth = {(PREFIX + m, PREFIX + f) for m, f in truth_pairs([(q.record, q.truth) for q in history_data.queries])}
    assert confirmed == truth
    assert len(truth) == sum(1 for q in history_data.queries if q.truth is not None)
    rejected = [pair for pair, ok in reviewed.labels.items() if not ok]
    per_child: dict[str, int] = {}
    for _, found in rejected:
        per_child[found] = per_child.get(found, 0) + 1
    assert max(per_child.values()) == REJECTED
    assert not set(rejected) & truth
    # Every case a label names comes with its record, under the prefixed id, its values untouched.
    by_id = {r.case_id: r for r in history_data.missing} | {q.record.case_id: q.record for q in history_data.queries}
    for pair in reviewed.labels:
        for case_id in pair:
            assert case_id.startswith(PREFIX)
            record = reviewed.records[case_id]
            assert record.case_id == case_id
            assert _content(record) == _content(by_id[case_id.removeprefix(PREFIX)])


def test_review_labels_hold_none_of_the_evaluated_truth(history_data: Dataset, evaluated: Dataset) -> None:
    """The generator numbers every seed's cases alike (M0000001, F000001): unprefixed, a label from the history would
    name a case of the evaluated data. Prefixed, no label names one, and no record the labels carry is one of it."""
    index = MatchIndex.build(history_data.missing, today=history_data.today)
    reviewed = review(history_data, index)
    evaluated_ids = {r.case_id for r in evaluated.missing} | {q.record.case_id for q in evaluated.queries}
    assert {case_id.removeprefix(PREFIX) for pair in reviewed.labels for case_id in pair} & evaluated_ids  # clash
    assert not {case_id for pair in reviewed.labels for case_id in pair} & evaluated_ids
    evaluated_records = {_content(r) for r in evaluated.missing} | {_content(q.record) for q in evaluated.queries}
    assert not {_content(r) for r in reviewed.records.values()} & evaluated_records
    evaluated_truth = truth_pairs([(q.record, q.truth) for q in evaluated.queries])
    assert not set(reviewed.labels) & evaluated_truth


def test_own_labels_are_the_evaluated_truth(evaluated: Dataset) -> None:
    index = MatchIndex.build(evaluated.missing, today=evaluated.today)
    queries = [(q.record, q.truth) for q in evaluated.queries]
    oracle = own_labels(queries, index)
    assert {pair for pair, ok in oracle.labels.items() if ok} == truth_pairs(queries)
    assert oracle.records == {}
    assert oracle.seed is None


def test_hub_reviewed_trains_on_the_history_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, evaluated: Dataset
) -> None:
    """Through the harness: what ``training.train`` is given for hub-reviewed holds no evaluated case (id or
    record), its labels are the history's; hub-oracle's are the evaluated truth (the diagnostic)."""
    monkeypatch.setattr(bench._common, "RESULTS", tmp_path)
    calls: list[dict[str, Any]] = []
    real = training.train

    def spy(index: MatchIndex, queries: list[MatchRecord], **kwargs: Any) -> Any:
        calls.append({"queries": list(queries), **kwargs})
        return real(index, queries, **kwargs)

    monkeypatch.setattr(training, "train", spy)
    args = ["--missing", str(MISSING), "--found", str(FOUND), "--seed", str(SEED)]
    main([*args, "--matcher", "hub-reviewed", "--matcher", "hub-oracle"])
    reviewed_call, oracle_call = calls
    evaluated_truth = truth_pairs([(q.record, q.truth) for q in evaluated.queries])
    evaluated_records = {_content(r) for r in evaluated.missing} | {_content(q.record) for q in evaluated.queries}
    # Both learn unsupervised from the evaluated found records, as hub-trained does (the records, no truth).
    assert reviewed_call["queries"] == oracle_call["queries"] == [q.record for q in evaluated.queries]
    labels = reviewed_call["labels"]
    assert labels
    assert all(m.startswith(PREFIX) and f.startswith(PREFIX) for m, f in labels)
    assert not set(labels) & evaluated_truth
    assert not {_content(r) for r in reviewed_call["records"].values()} & evaluated_records
    assert {pair for pair, ok in oracle_call["labels"].items() if ok} == evaluated_truth
    (written,) = tmp_path.iterdir()
    evaluation = json.loads(written.read_text())["evaluation"]
    assert evaluation["hub-reviewed"]["training"]["reviewed"]["seed"] == review_seed(SEED)
    assert evaluation["hub-reviewed"]["training"]["report"]["labelled"] == len(labels)
    assert set(evaluation) == {"hub-reviewed", "hub-oracle"}
