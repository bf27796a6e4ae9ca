"""The nameless ceiling: every true report possible, and its tables are distributions."""

from __future__ import annotations

import numpy as np
import pytest

from bench.matching.ceiling import (
    EVIDENCE,
    AnyChildOracle,
    NamelessOracle,
    NicknameOracle,
    delay_pmf,
    estimate_table,
    rank_of,
)
from bench.matching.ceiling_run import UNNAMED, main
from bench.matching.generator import generate
from bench.matching.model import NameType, NoiseModel
from trackchild_hub.matching.index import MatchIndex


def test_the_estimate_and_delay_tables_are_distributions() -> None:
    table = estimate_table(NoiseModel())
    assert np.allclose(table.sum(axis=1), 1.0)
    assert table[16, 19] > 0
    assert table[10, 19] == 0
    for care in (False, True):
        assert abs(delay_pmf(care, 4000).sum() - 1.0) < 1e-6
    assert delay_pmf(True, 4000)[:30].sum() == 0  # a children's home admits a child a month later at the least


def test_every_nameless_childs_true_report_is_possible_and_ranked() -> None:
    data = generate(6000, 600, seed=3)
    at = {r.case_id: i for i, r in enumerate(data.missing)}
    queries = [(q.record, at[q.truth]) for q in data.queries if q.truth and q.name_type is NameType.NAMELESS]
    assert len(queries) >= 20
    oracle = NamelessOracle(data.missing, data.today)
    ranks = []
    for record, truth in queries:
        scores = oracle.log_likelihood(record)
        assert np.isfinite(scores[truth]), record.case_id
        ranks.append(rank_of(scores, truth)[1])
    assert sum(r <= 10 for r in ranks) / len(ranks) > 0.5
    blind = NamelessOracle(data.missing, data.today, without=EVIDENCE)
    assert all(rank_of(blind.log_likelihood(record), truth)[1] > 1 for record, truth in queries[:5])


def test_the_ceiling_runs_beside_the_hub_and_prints_each_ranking(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--missing", "6000", "--found", "600", "--seed", "3", "--hub", "--without", "place"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("6,000 missing, 600 found, seed 3: ")
    rows = {line.split("  ")[0].strip(): [float(x) for x in line.split()[-5:]] for line in lines[2:5]}
    assert set(rows) == {"Bayes", "Bayes without place", "hub"}
    for r1, r10, r50, mrr, r10_ties_for in rows.values():
        assert 0 <= r1 <= r10 <= r50 <= 1
        assert r1 <= mrr <= 1
        assert r10 <= r10_ties_for <= 1
    assert rows["hub"][1] == rows["hub"][4]  # the hub breaks its own ties
    assert rows["Bayes"][1] > rows["Bayes without place"][1]  # place is evidence: leaving it out loses children


def test_every_nickname_only_childs_true_report_is_possible() -> None:
    """A child known only by a pet name: her report records it, or records no pet name at all."""
    data = generate(6000, 600, seed=3)
    at = {r.case_id: i for i, r in enumerate(data.missing)}
    queries = [
        (q.record, at[q.truth], q.alias_recorded)
        for q in data.queries
        if q.truth and q.name_type is NameType.NICKNAME and not q.record.guardian_names
    ]
    assert len(queries) >= 20
    assert {recorded for _, _, recorded in queries} == {True, False}
    oracle = NicknameOracle(data.missing, data.today)
    for record, truth, _ in queries:
        scores = oracle.log_likelihood(record)
        assert np.isfinite(scores[truth]), record.case_id
        pet = (record.name or "").casefold()
        others = [i for i, r in enumerate(data.missing[:500]) if r.aliases and r.aliases[0].casefold() != pet]
        assert not np.isfinite(scores[others]).any()  # a report recording another pet name is another child's


def test_named_children_ranked_by_the_exact_evidence_and_the_hubs_names(capsys: pytest.CaptureFixture[str]) -> None:
    """``--named``: every named child's true report is possible under the exact evidence, the hub's own names added
    rank it, and putting the hub's place factor in for the exact one is a ranking of its own."""
    data = generate(6000, 600, seed=3)
    at = {r.case_id: i for i, r in enumerate(data.missing)}
    named = [(q.record, at[q.truth]) for q in data.queries if q.truth and q.name_type not in UNNAMED][:40]
    oracle = AnyChildOracle(data.missing, data.today)
    index = MatchIndex.build(data.missing, today=data.today)
    for record, truth in named:
        assert np.isfinite(oracle.log_likelihood(record)[truth]), record.case_id
        parts = index.parts(record, np.arange(len(data.missing), dtype=np.int64))
        assert parts["name"].weights.shape == (len(data.missing),)
    main(["--missing", "6000", "--found", "600", "--seed", "3", "--named", "--limit", "40", "--without", "place"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "6,000 missing, 600 found, seed 3: 40 children with a first name or a father's name"
    rows = {line.split("  ")[0].strip(): [float(x) for x in line.split()[-5:]] for line in lines[2:5]}
    assert set(rows) == {"exact + hub names", "hub place", "hub"}
    for r1, r10, r50, mrr, _ in rows.values():
        assert 0 <= r1 <= r10 <= r50 <= 1
        assert r1 <= mrr <= 1
    assert rows["exact + hub names"][1] >= 0.9  # with its name, nearly every child's report is in the first 10
