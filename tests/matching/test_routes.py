"""Routes (``routes.py``): what matched pairs show of where children are found against where they went missing, as
bits over what the place weights alone predict; stored with the weights; weighed into the place factor of every
pair the place is compared for, both ways (a found child against reports, a report against found children)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pytest

from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.places import district_centroids
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.routes import LEAST, MOST, NONE, ROUTE_PRIOR_PAIRS, Flow, Routes, learn
from trackchild_hub.matching.vector_score import place_bits
from trackchild_hub.matching.weights import PRIOR, Weights

TODAY = date(2026, 11, 30)
DELHI, NEW_DELHI, CENTRAL_DELHI = "7", "79", "77"  # LGD codes
BIHAR, PATNA, GAYA = "10", "212", "196"
KARNATAKA, BENGALURU, MYSURU = "29", "525", "545"
WB, HOWRAH = "19", "313"
TABLE = PRIOR.table("place")


def prior_bits(km: np.typing.NDArray[np.float64]) -> np.typing.NDArray[np.float64]:
    return place_bits(km, TABLE)


REPORTS = {(BIHAR, PATNA): 300, (BIHAR, GAYA): 200, (KARNATAKA, BENGALURU): 400, (KARNATAKA, MYSURU): 100}


def learned(flows: list[Flow]) -> Routes:
    return learn(flows, REPORTS, prior_bits, float(TABLE[cmp.SAME_DISTRICT]), district_centroids())


def test_where_the_matched_children_came_from_is_what_the_bits_say() -> None:
    # 400 children found in New Delhi: 340 from Bihar, 60 from Karnataka (each pair 90% sure).
    flows = [Flow(BIHAR, (DELHI, NEW_DELHI), 0.9)] * 340 + [Flow(KARNATAKA, (DELHI, NEW_DELHI), 0.9)] * 60
    routes = learned(flows)
    homes = routes.homes((DELHI, NEW_DELHI))
    assert homes[BIHAR] > 0 > homes[KARNATAKA]
    # The place weights' prediction times 2 ** bits is the share the pairs show, shrunk towards the prediction by
    # ROUTE_PRIOR_PAIRS (Delhi's other districts show nothing to shrink towards).
    predicted = _predicted((DELHI, NEW_DELHI))
    seen = {BIHAR: 340 * 0.9, KARNATAKA: 60 * 0.9}
    total = sum(seen.values())
    for home, n in seen.items():
        expected = (n + ROUTE_PRIOR_PAIRS * predicted[home]) / (total + ROUTE_PRIOR_PAIRS)
        assert predicted[home] * 2 ** homes[home] == pytest.approx(expected, abs=2e-3)
    # A Delhi district the pairs never reached reads its state's routes; a state none reached, none.
    assert routes.homes((DELHI, CENTRAL_DELHI)) == routes.states[DELHI]
    assert routes.homes((WB, HOWRAH)) == {}


def test_a_few_pairs_move_the_bits_little_and_no_route_leaves_the_bounds() -> None:
    one = learned([Flow(KARNATAKA, (BIHAR, GAYA), 1.0)]).homes((BIHAR, GAYA))
    assert 0 < one[KARNATAKA] < 2  # one child from far away is no route yet
    lopsided = learned([Flow(KARNATAKA, (BIHAR, GAYA), 1.0)] * 5000).homes((BIHAR, GAYA))
    assert lopsided[KARNATAKA] == MOST
    assert lopsided[BIHAR] == LEAST  # clipped: an unusual route must not hide a child
    assert learned([Flow(KARNATAKA, (BIHAR, GAYA), 0.0)] * 50) is NONE  # pairs that are no match tell nothing


def test_routes_are_stored_with_the_weights_and_bad_ones_refused() -> None:
    routes = learned([Flow(BIHAR, (DELHI, NEW_DELHI), 0.9)] * 50)
    weights = dataclasses.replace(PRIOR, version="v", routes=routes)
    again = Weights.from_json(weights.to_json())
    assert again.routes == routes
    assert again == weights
    stored_before = {k: v for k, v in weights.to_json().items() if k != "routes"}
    assert Weights.from_json(stored_before).routes is NONE
    assert "routes" not in PRIOR.to_json()
    for bad in (
        {"districts": {NEW_DELHI: {BIHAR: 99.0}}},
        {"districts": {NEW_DELHI: {BIHAR: "x"}}},
        {"districts": {NEW_DELHI: {BIHAR: True}}},
        {"states": {DELHI: [1.0]}},
        {"states": "everywhere"},
        [1, 2],
        {"districts": {NEW_DELHI: {BIHAR: math.nan}}},
    ):
        with pytest.raises(ValueError, match="routes"):
            Weights.from_json({**weights.to_json(), "routes": bad})


def _record(case_id: str, kind: CaseKind, state: str, district: str) -> MatchRecord:
    return MatchRecord(
        case_id=case_id,
        kind=kind,
        name="Ramesh Kumar",
        gender=Gender.MALE,
        age_years=10,
        event_date=TODAY - timedelta(days=20 if kind is CaseKind.MISSING else 5),
        state=state,
        district=district,
    )


def test_the_place_factor_adds_the_route_both_ways_and_says_so() -> None:
    reports = [
        _record("from-bihar", CaseKind.MISSING, BIHAR, PATNA),
        _record("from-karnataka", CaseKind.MISSING, KARNATAKA, BENGALURU),
        _record("from-delhi", CaseKind.MISSING, DELHI, CENTRAL_DELHI),
    ]
    found = _record("", CaseKind.FOUND, DELHI, NEW_DELHI)
    routes = Routes({NEW_DELHI: {BIHAR: 2.5, KARNATAKA: -1.5}}, {DELHI: {DELHI: 0.75}})
    index = MatchIndex.build(reports, today=TODAY)
    rows = np.arange(3, dtype=np.int64)
    plain = index.parts(found, rows)["place"]
    index.set_weights(dataclasses.replace(PRIOR, routes=routes))
    routed = index.parts(found, rows)["place"]
    # New Delhi's own routes for the reports from Bihar and Karnataka; Delhi's for one from Central Delhi (no entry).
    assert list(routed.weights - plain.weights) == pytest.approx([2.5, -1.5, 0.0], abs=0.011)
    assert list(routed.levels) == list(plain.levels)  # what training counts: the distance levels, unchanged
    by_id = {m.case_id: m for m in index.search(found, frozenset({CaseKind.MISSING}), 3)}
    detail = {i: next(f.detail for f in m.factors if f.field == "place") for i, m in by_id.items()}
    assert detail["from-bihar"].endswith("; children found there often come from that state")
    assert detail["from-karnataka"].endswith("; children found there seldom come from that state")
    assert "come from" not in detail["from-delhi"]
    assert not any(code in d for d in detail.values() for code in ("Bihar", "Karnataka", "Delhi", PATNA))

    # The other way: a report from Bihar against children found in New Delhi (its routes) and in Central Delhi
    # (Delhi's, which say nothing of Bihar).
    index = MatchIndex.build(
        [
            _record("in-new-delhi", CaseKind.FOUND, DELHI, NEW_DELHI),
            _record("in-central", CaseKind.FOUND, DELHI, CENTRAL_DELHI),
        ],
        today=TODAY,
    )
    report = dataclasses.replace(reports[0], case_id="")
    rows = np.arange(2, dtype=np.int64)
    plain = index.parts(report, rows)["place"]
    index.set_weights(dataclasses.replace(PRIOR, routes=routes))
    assert list(index.parts(report, rows)["place"].weights - plain.weights) == pytest.approx([2.5, 0.0], abs=0.011)


def _predicted(found: tuple[str, str]) -> dict[str, float]:
    """``P_distance(home state | found)`` computed here from the reports and the prior place weights."""
    centroids = district_centroids()
    lat, lon = centroids[found[1]]
    weights: dict[str, float] = {}
    for (state, district), n in REPORTS.items():
        la, lo = centroids[district]
        p1, p2 = math.radians(lat), math.radians(la)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo - lon) / 2) ** 2
        km = 2 * 6371.0 * math.asin(math.sqrt(h))
        weights[state] = weights.get(state, 0.0) + n * 2 ** float(prior_bits(np.array([km]))[0])
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}
