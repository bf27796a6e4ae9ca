"""Learning the weights from generated data (``bench.matching.generator``): sensible signs, the same weights for the
same seed, reviewed pairs used even when their cases are closed, and a ranking at least as good as the priors'."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bench.matching.generator import generate
from bench.matching.model import Dataset
from bench.matching.travel import Atlas
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.comparisons import COMPARISONS
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.training import TRAINED, train
from trackchild_hub.matching.weights import PRIOR, TEMPERATURES, Weights

MISSING = frozenset({CaseKind.MISSING})


@pytest.fixture(scope="module")
def data() -> Dataset:
    return generate(4000, 400, seed=3)


@pytest.fixture(scope="module")
def index(data: Dataset) -> MatchIndex:
    return MatchIndex.build(data.missing, today=data.today)


@pytest.fixture(scope="module")
def trained(data: Dataset, index: MatchIndex) -> Weights:
    weights, report = train(index, [q.record for q in data.queries], random_pairs=50_000)
    assert report.converged
    assert report.queries == len(data.queries)
    assert report.pairs >= len(data.queries)
    assert report.random_pairs >= 50_000
    assert 0 < report.matches < report.pairs
    return weights


def test_learned_weights_say_what_agreement_means(trained: Weights) -> None:
    assert trained.version == TRAINED
    assert trained.weight("name", 0) > 4 > 0 > trained.weight("name", 6)  # every word agrees ... none agrees
    assert trained.weight("guardians", 0) > 2 > 0 > trained.weight("guardians", 3)
    assert trained.weight("gender", 0) > 0 > trained.weight("gender", 2)
    assert trained.weight("age", 0) > 0 > trained.weight("age", 7)
    assert trained.m != PRIOR.m  # learned, not the start handed back
    for comparison in COMPARISONS:
        assert all(0 < p < 1 for p in (*trained.m[comparison.name], *trained.u[comparison.name]))
        assert sum(trained.m[comparison.name]) == pytest.approx(1.0)
    assert Weights.from_json(trained.to_json()) == trained


def test_the_same_seed_learns_the_same_weights(data: Dataset, index: MatchIndex, trained: Weights) -> None:
    again, _ = train(index, [q.record for q in data.queries], random_pairs=50_000)
    other, _ = train(index, [q.record for q in data.queries], random_pairs=50_000, seed=1)
    assert again == trained
    assert other.u != trained.u  # other random pairs


def test_reviewed_pairs_count_even_when_their_cases_left_the_index(data: Dataset) -> None:
    matched = [q for q in data.queries if q.truth is not None][:40]
    # The second 20 were confirmed: their cases are closed, out of the index and the queries, known from the store.
    closed = {q.truth for q in matched[20:]} | {q.record.case_id for q in matched[20:]}
    records = {r.case_id: r for r in [*data.missing, *(q.record for q in matched)] if r.case_id in closed}
    index = MatchIndex.build([r for r in data.missing if r.case_id not in closed], today=data.today)
    labels = {(str(q.truth), q.record.case_id): True for q in matched}
    labels[(data.missing[0].case_id, matched[0].record.case_id)] = False
    queries = [q.record for q in data.queries if q not in matched[20:]]
    _, report = train(index, queries, labels=labels, records=records, random_pairs=20_000)
    assert report.labelled == len(labels)


def test_the_learned_weights_rank_true_children_at_least_as_well(
    data: Dataset, index: MatchIndex, trained: Weights
) -> None:
    def found_in_top_ten(weights: Weights) -> int:
        index.set_weights(weights)
        hits = 0
        for query in data.queries:
            if query.truth is not None:
                top = index.search(query.record, MISSING, 10)
                hits += any(m.case_id == query.truth for m in top)
        return hits

    try:
        prior, learned = found_in_top_ten(PRIOR), found_in_top_ten(replace(trained, version="learned"))
    finally:
        index.set_weights(PRIOR)
    matched = sum(q.truth is not None for q in data.queries)
    assert learned >= prior - 0.02 * matched, (prior, learned)


def test_the_learned_routes_follow_where_the_generated_children_travel(trained: Weights) -> None:
    """The generator sends children leaving their state to the hub cities only (``bench.matching.travel``): a child
    found in Delhi is most often from elsewhere, one found in a state with no hub city from that state."""
    atlas = Atlas.load()
    hub_states = {d.state_code for districts in atlas.hubs.values() for d in districts}
    states = trained.routes.states
    assert states["7"]["7"] < 0  # Delhi's found children: fewer from Delhi than distance alone predicts
    own = [
        homes[s] - np.mean([b for h, b in homes.items() if h != s])
        for s, homes in states.items()
        if s not in hub_states
    ]
    assert len(own) >= 3
    assert min(own) > 0  # elsewhere: likelier from the state they are found in than from the others


def test_the_temperature_is_fitted_to_reviews_or_else_to_ems_judgement(
    data: Dataset, index: MatchIndex, trained: Weights
) -> None:
    low, high = TEMPERATURES
    _, unreviewed = train(index, [q.record for q in data.queries], random_pairs=50_000)
    assert unreviewed.tempered_by == "EM"  # no reviews: EM's match probabilities judged the pairs
    assert low <= trained.temperature <= high
    assert trained.temperature > 1.0  # the learned weights are over-confident, by EM's own judgement
    labels: dict[tuple[str, str], bool] = {}
    for query in data.queries[:150]:
        if query.truth is not None:
            labels[(query.truth, query.record.case_id)] = True
        for match in index.search(query.record, MISSING, 3):
            if match.case_id != query.truth:
                labels[(match.case_id, query.record.case_id)] = False
    weights, report = train(index, [q.record for q in data.queries], labels=labels, random_pairs=50_000)
    assert report.labelled == len(labels)
    assert report.tempered_by == "reviews"
    assert low <= weights.temperature <= high
    assert weights.temperature != trained.temperature
    assert Weights.from_json(weights.to_json()).temperature == weights.temperature
