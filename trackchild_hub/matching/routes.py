"""Where children are found, by the state they went missing from: routes learned from matched pairs (``learn``).

Distance alone weighs a child found in Delhi the same whether the report is from Bihar or from Karnataka, both far
away, and a child found in a village district the same as one found at a terminus city; yet children leaving Bihar
ride the trains to Delhi, and a village district's found children are its own state's. A hub's matches show its
routes. ``Routes`` holds, for a found district (or, lacking enough of its own, its state), how much likelier each
state is as a matched child's home than the place weights alone predict, in bits:

    bits(home state h, found district f) = log2( P(h | f, same child) / P_distance(h | f, same child) )

where ``P_distance(h | f)`` is what the place weights already say (each district's reports weighed by
``2 ** place weight`` at its distance from ``f``), and ``P(h | f)`` is what the candidate pairs show, each counted
by its match probability, shrunk towards it as ``ROUTE_PRIOR_PAIRS`` pairs would pull (a found district's own
towards what its state's other districts show). So the place weight plus these bits gives the matched children's
home states as the hub saw them, and a place the hub has seen too little of keeps the place weight alone.

The bits add to the place comparison's weight wherever it compares (``vector_score._place``); its levels (distance)
and what training counts stay as they are. Bits are clipped to ``LEAST``..``MOST``: one unusual route must not hide
a child. The priors have none (``NONE``); ``training.train`` learns them with the weights, and they are stored with
them (``Weights.routes``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from .places import Centroids, km_from

ROUTE_PRIOR_PAIRS = 50.0  # the place weights' prediction counts as this many matched pairs
LEAST, MOST = -2.0, 4.0  # bits
SOME = 1e-6  # matched pairs: fewer is none
KEPT = 0.01  # bits nearer 0 than this are not stored
Place = tuple[str, str | None]  # (state code, district code or None)
Table = Mapping[str, Mapping[str, float]]  # found place -> home state -> bits
_NOTHING: Mapping[str, float] = MappingProxyType({})
KmBits = Callable[[NDArray[np.float64]], NDArray[np.float64]]  # the place weight at distances in km


@dataclass(frozen=True, slots=True)
class Flow:
    """A candidate pair's places: the missing report's state, the found (or cared-for) child's, and how likely the
    pair is the same child."""

    home_state: str
    found: Place
    probability: float


@dataclass(frozen=True)
class Routes:
    districts: Table  # found district code -> home state code -> bits
    states: Table  # found state code -> home state code -> bits (for a found district with no entry of its own)

    def __post_init__(self) -> None:
        for what, table in (("districts", self.districts), ("states", self.states)):
            for found, homes in table.items():
                for home, bits in homes.items():
                    if not (isinstance(bits, int | float) and math.isfinite(bits) and LEAST <= bits <= MOST):
                        raise ValueError(f"routes.{what}[{found}][{home}]: bits must be in [{LEAST}, {MOST}]")
        object.__setattr__(self, "districts", _frozen(self.districts))
        object.__setattr__(self, "states", _frozen(self.states))

    def __bool__(self) -> bool:
        return bool(self.districts or self.states)

    def homes(self, found: Place) -> Mapping[str, float]:
        """Bits by home state for a child found at ``found`` (the district's own, else its state's)."""
        state, district = found
        if district is not None and district in self.districts:
            return self.districts[district]
        return self.states.get(state, _NOTHING)

    def to_json(self) -> dict[str, object]:
        return {"districts": _plain(self.districts), "states": _plain(self.states)}

    @classmethod
    def from_json(cls, data: object) -> Routes:
        if not isinstance(data, Mapping):
            raise ValueError("routes: expected districts and states")
        return cls(_table(data.get("districts", {}), "districts"), _table(data.get("states", {}), "states"))


def _frozen(table: Table) -> Table:
    return MappingProxyType({found: MappingProxyType(dict(homes)) for found, homes in table.items()})


NONE = Routes({}, {})


def learn(
    flows: Iterable[Flow],
    reports: Mapping[Place, int],
    place_bits: KmBits,
    same_district: float,
    centroids: Centroids,
) -> Routes:
    """Routes from candidate pairs' ``flows``. ``reports``: how many missing reports each home district holds
    (``P_distance``'s population); ``place_bits``: the place weight by distance in km, ``same_district`` in the
    found district itself; ``centroids``: district centres by district code."""
    seen: dict[Place, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for flow in flows:
        if flow.probability > 0:
            seen[flow.found][flow.home_state] += flow.probability
    if not seen:
        return NONE
    homes = _Homes(reports, centroids)
    predicted = {found: homes.predicted(found, place_bits, same_district) for found in seen}
    by_state: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    predicted_by_state: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for found, counts in seen.items():
        _add(by_state[found[0]], counts)
        _add(predicted_by_state[found[0]], predicted[found], sum(counts.values()))
    states = {state: _bits(counts, _normalised(predicted_by_state[state])) for state, counts in by_state.items()}
    districts = {}
    for (state, district), counts in seen.items():
        if district is None:
            continue
        # Shrunk towards what the state's other districts show: its own pairs are not counted twice.
        others, others_predicted = dict(by_state[state]), dict(predicted_by_state[state])
        _add(others, counts, -1.0)
        _add(others_predicted, predicted[(state, district)], -sum(counts.values()))
        rest = _bits(others, _normalised(others_predicted)) if sum(others.values()) > SOME else {}
        districts[district] = _bits(counts, predicted[(state, district)], rest)
    return Routes(_kept(districts), _kept(states))


class _Homes:
    """The missing reports' districts, as points and counts, for ``P_distance``."""

    def __init__(self, reports: Mapping[Place, int], centroids: Centroids) -> None:
        placed = [(s, d, n) for (s, d), n in reports.items() if n > 0 and d is not None and d in centroids]
        self.states = [s for s, _, _ in placed]
        self.districts = np.array([d for _, d, _ in placed], dtype=object)
        self.counts = np.array([n for _, _, n in placed], dtype=np.float64)
        self.lat = np.array([centroids[d][0] for _, d, _ in placed], dtype=np.float32)
        self.lon = np.array([centroids[d][1] for _, d, _ in placed], dtype=np.float32)
        self.centroids = centroids

    def predicted(self, found: Place, place_bits: KmBits, same_district: float) -> dict[str, float]:
        """``P_distance(home state | found)``: each district's reports weighed by the place weight at its distance
        (the reports alone where the found district has no centre)."""
        _, district = found
        centre = self.centroids.get(district) if district is not None else None
        if centre is None:
            weight = self.counts
        else:
            km = km_from(centre[0], centre[1], self.lat, self.lon).astype(np.float64)
            weight = self.counts * np.exp2(np.where(self.districts == district, same_district, place_bits(km)))
        out: dict[str, float] = defaultdict(float)
        for home, w in zip(self.states, weight.tolist(), strict=True):
            out[home] += w
        return _normalised(out)


def _normalised(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()} if total > 0 else {}


def _add(to: dict[str, float], values: Mapping[str, float], times: float = 1.0) -> None:
    for key, value in values.items():
        to[key] = max(0.0, to.get(key, 0.0) + times * value)


def _bits(
    counts: Mapping[str, float], predicted: Mapping[str, float], prior: Mapping[str, float] | None = None
) -> dict[str, float]:
    """log2 of the matched pairs' share over the predicted one, each home's prior share (``predicted`` times
    ``2 ** prior`` bits) counting as ``ROUTE_PRIOR_PAIRS`` pairs (a Dirichlet's posterior mean)."""
    pairs = sum(counts.values())
    out = {}
    for home in set(predicted) | set(counts):
        p = predicted.get(home, 0.0)
        if p <= 0:
            continue  # a home the distance model gives nothing (no located reports there): no ratio to take
        weight = 2.0 ** (prior or {}).get(home, 0.0)
        share = (counts.get(home, 0.0) + ROUTE_PRIOR_PAIRS * p * weight) / (pairs + ROUTE_PRIOR_PAIRS)
        out[home] = min(MOST, max(LEAST, math.log2(share / p)))
    return out


def _kept(table: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    kept = {f: {h: round(b, 3) for h, b in homes.items() if abs(b) >= KEPT} for f, homes in table.items()}
    return {f: homes for f, homes in kept.items() if homes}


def _plain(table: Table) -> dict[str, dict[str, float]]:
    return {f: dict(homes) for f, homes in table.items()}


def _table(data: object, what: str) -> dict[str, dict[str, float]]:
    if not isinstance(data, Mapping):
        raise ValueError(f"routes.{what}: expected an object of places")
    out: dict[str, dict[str, float]] = {}
    for found, homes in data.items():
        if not isinstance(homes, Mapping) or not all(
            isinstance(b, int | float) and not isinstance(b, bool) for b in homes.values()
        ):
            raise ValueError(f"routes.{what}[{found}]: expected bits by home state")
        out[str(found)] = {str(h): float(b) for h, b in homes.items()}
    return out
