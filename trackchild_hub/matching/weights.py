"""The match weights: ``m`` and ``u`` for every level of every comparison (``comparisons.py``), and their version.

A level's weight is ``log2(m / u)``: positive when the level is likelier for the same child than for two different
children. ``PRIOR`` holds the hand-set starting point; trained weights (``training.py``) replace it and carry the
version they were stored under, which the explanations and the snapshot identity can name. Values are validated on
the way in (``from_json``): a stored set that does not fit this code's comparisons is refused, not half used.

Beside m and u, ``reported``: lambda, the share of found and cared-for children whose missing report the store holds,
which turns the weights into a probability (``scoring.py``). Nothing tells it before reviews: the priors take even
odds, ``REPORTED``; training sets it from the reviewed pairs when there are some (``training.reported_share``) and
holds EM to it. Weights stored before it existed read as ``REPORTED``.

And ``temperature``: T in a probability's likelihood ratios ``2 ** (total / T)``, fitted to reviewed pairs
(``calibration.py``); 1 in the priors and in weights stored before it was. And ``routes``: the bits a learned route
adds to the place weight of a pair (``routes.py``); none in the priors and in weights stored before routes were.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from .comparisons import BY_NAME, COMPARISONS
from .routes import NONE, Routes

PRIOR_VERSION = "prior"
# No level is that rare (training floors every m and u at 1e-6): a weight stays within 30 bits, and a total far past
# what a float's 2 ** -total can hold (every search failed on a stored row with m of 5e-324) cannot occur.
SMALLEST = 1e-9
# lambda before any review: even odds that a found child was reported (a Beta(1, 1) prior's mean). With
# ``scoring.MIN_POPULATION`` it gives a lone candidate in a small store the odds the hand-set prior of 2 ** -12 gave.
REPORTED = 0.5
TEMPERATURES = (0.5, 4.0)  # the temperatures a calibration may choose from (``calibration.py``)


@dataclass(frozen=True)
class Weights:
    version: str
    m: Mapping[str, tuple[float, ...]]
    u: Mapping[str, tuple[float, ...]]
    reported: float = REPORTED  # lambda: the share of found children whose report the store holds (0 < lambda < 1)
    routes: Routes = NONE  # where the matched children went missing from, by where found (``routes.py``)
    temperature: float = 1.0  # the totals tempered by it in a probability (``calibration.py``), not in the ranking
    _tables: dict[str, NDArray[np.float64]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _validate(self.m, "m")
        _validate(self.u, "u")
        if not (isinstance(self.reported, int | float) and 0.0 < self.reported < 1.0):
            raise ValueError(f"reported share must be strictly between 0 and 1, got {self.reported!r}")
        low, high = TEMPERATURES
        if not (isinstance(self.temperature, int | float) and low <= self.temperature <= high):
            raise ValueError(f"temperature must be in [{low}, {high}], got {self.temperature!r}")
        object.__setattr__(self, "m", MappingProxyType({k: tuple(map(float, v)) for k, v in self.m.items()}))
        object.__setattr__(self, "u", MappingProxyType({k: tuple(map(float, v)) for k, v in self.u.items()}))

    def weight(self, comparison: str, level: int) -> float:
        """``log2(m / u)`` of the level; 0.0 for ``-1`` (nothing compared)."""
        if level < 0:
            return 0.0
        return math.log2(self.m[comparison][level] / self.u[comparison][level])

    def log2_m(self, comparison: str, level: int) -> float:
        """``log2(m)`` of the level: with a pair's own ``u`` (how common the agreeing name is) it makes the weight."""
        return math.log2(self.m[comparison][level])

    def table(self, comparison: str) -> NDArray[np.float64]:
        """The weights by level with 0.0 appended, so ``table[levels]`` maps ``-1`` (nothing compared) to 0.0."""
        table = self._tables.get(comparison)
        if table is None:
            n = len(self.m[comparison])
            table = np.array([self.weight(comparison, level) for level in range(n)] + [0.0], dtype=np.float64)
            self._tables[comparison] = table
        return table

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "comparisons": {name: {"m": list(self.m[name]), "u": list(self.u[name])} for name in self.m},
            "reported": self.reported,
            **({"routes": self.routes.to_json()} if self.routes else {}),
            **({"temperature": self.temperature} if self.temperature != 1.0 else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Weights:
        """Weights as ``to_json`` wrote them; ``ValueError`` when they do not fit this code's comparisons."""
        version = data.get("version")
        comparisons = data.get("comparisons")
        if not isinstance(version, str) or not isinstance(comparisons, Mapping):
            raise ValueError("weights need a version and comparisons")
        m: dict[str, tuple[float, ...]] = {}
        u: dict[str, tuple[float, ...]] = {}
        for name, values in comparisons.items():
            if not isinstance(values, Mapping):
                raise ValueError(f"weights for {name}: expected m and u")
            m[str(name)] = _floats(values.get("m"), name)
            u[str(name)] = _floats(values.get("u"), name)
        reported = data.get("reported", REPORTED)  # stored before lambda was: the priors'
        if isinstance(reported, bool) or not isinstance(reported, int | float):
            raise ValueError("weights: reported share must be a number")
        routes = Routes.from_json(data["routes"]) if "routes" in data else NONE  # stored before routes were: none
        temperature = data.get("temperature", 1.0)  # stored before calibration was: none
        if isinstance(temperature, bool) or not isinstance(temperature, int | float):
            raise ValueError("weights: temperature must be a number")
        return cls(version, m, u, float(reported), routes, float(temperature))


def _floats(values: object, name: object) -> tuple[float, ...]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, int | float) for v in values):
        raise ValueError(f"weights for {name}: expected a list of numbers")
    return tuple(float(v) for v in values)


def _validate(values: Mapping[str, tuple[float, ...]], which: str) -> None:
    if set(values) != set(BY_NAME):
        raise ValueError(f"{which}: expected the comparisons {sorted(BY_NAME)}, got {sorted(values)}")
    for name, probabilities in values.items():
        if len(probabilities) != len(BY_NAME[name].levels):
            raise ValueError(f"{which}[{name}]: {len(BY_NAME[name].levels)} levels, got {len(probabilities)}")
        if not all(math.isfinite(p) and SMALLEST <= p <= 1.0 for p in probabilities):
            raise ValueError(f"{which}[{name}]: probabilities must be in [{SMALLEST:g}, 1]")


PRIOR = Weights(
    PRIOR_VERSION,
    {c.name: c.prior_m for c in COMPARISONS},
    {c.name: c.prior_u for c in COMPARISONS},
)
