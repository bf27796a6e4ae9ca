"""Which languages each state's reports name: what a report that names none would most likely have said.

A found child's language is evidence about where she comes from even against a report that names no language: a
child who speaks only Tamil is seldom the child of a report from Bihar, whatever that report left out. Where the
report names none, the languages comparison weighs both ways it could have gone, a language in common or none, by
how often reports from the report's state share a language with the child (``share``): ``log2(p * 2 ** common +
(1 - p) * 2 ** none)`` (``weight``), the two levels' own weights, so training and stored weights are unchanged and
the pair stays out of training's counts (its level is "not compared"). A state with few reports naming a language
is pulled towards the country's share (``PULL`` reports' worth).

Counted: the live missing reports naming a language, by state (the index's place number) and set of languages (the
index's bits), kept as rows come and go (``MatchIndex.upsert``). At 100,000 reports / 2,000 found children it lifted
nameless children's recall@10 from 0.597 to 0.639 (trained weights; ``bench/matching/README.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind
from .row_values import KINDS

PULL = 10.0  # a state's share is shrunk towards the country's as if it held this many more reports


class Spoken:
    """Live missing reports naming languages, counted by (state, language bits)."""

    def __init__(self) -> None:
        self._counts: dict[tuple[int, int], int] = {}

    @classmethod
    def of(cls, columns: Mapping[str, NDArray[Any]]) -> Spoken:
        """Counted from an index's columns (``MatchIndex.columns.view()``): its live missing reports."""
        reports = columns["alive"].astype(bool) & (columns["kind"] == KINDS[CaseKind.MISSING])
        states, bits = columns["state"][reports], columns["langs"][reports]
        spoken = cls()
        named = bits != 0
        keys = (states[named].astype(np.int64) << 32) | bits[named].astype(np.int64)
        values, counts = np.unique(keys, return_counts=True)
        for key, count in zip(values.tolist(), counts.tolist(), strict=True):
            spoken._counts[(key >> 32, key & 0xFFFFFFFF)] = count
        return spoken

    def add(self, state: int, bits: int, number: int = 1) -> None:
        """``number`` more (or, negative, fewer) reports of ``state`` naming ``bits``; none named: not counted."""
        if bits == 0:
            return
        key = (state, bits)
        held = self._counts.get(key, 0) + number
        if held > 0:
            self._counts[key] = held
        else:
            self._counts.pop(key, None)

    def counts(self) -> dict[tuple[int, int], int]:
        """Reports by (state, language bits): a copy."""
        return dict(self._counts)

    def _arrays(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        items = list(self._counts.items())  # one copy: a write meanwhile changes the dict, not this list
        states = np.array([s for (s, _), _ in items], dtype=np.int64)
        bits = np.array([b for (_, b), _ in items], dtype=np.int64)
        counts = np.array([n for _, n in items], dtype=np.float64)
        return states, bits, counts

    def by_state(self, bits: int, places: int) -> NDArray[np.float64]:
        """For a child naming ``bits``: per place number (0 .. ``places`` - 1), the share of its state's reports that
        name a language in common with her; the last entry (``[-1]``) is the country's, for a report of no state."""
        states, named, counts = self._arrays()
        common = (named & bits) != 0
        placed = states >= 0
        total = np.bincount(states[placed], counts[placed], minlength=places)[:places]
        shared = np.bincount(states[placed], counts[placed] * common[placed], minlength=places)[:places]
        country = (float(counts[common].sum()) + 0.5) / (float(counts.sum()) + 1.0)
        out: NDArray[np.float64] = np.append((shared + PULL * country) / (total + PULL), country)
        return out

    def of_state(self, state: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """For a report of ``state`` naming no language: each set of languages reports name, with its share among
        that state's reports (pulled towards the country's): ``share`` reads a child's chance from it."""
        states, named, counts = self._arrays()
        sets, at = np.unique(named, return_inverse=True)
        country = np.bincount(at, counts, minlength=len(sets))
        own = np.bincount(at, counts * (states == state), minlength=len(sets)) if state >= 0 else np.zeros(len(sets))
        country_share = country / max(float(country.sum()), 1.0)
        shares: NDArray[np.float64] = (own + PULL * country_share) / (float(own.sum()) + PULL)
        return sets, shares


def at_states(chance: NDArray[np.float64], states: NDArray[np.integer]) -> NDArray[np.float64]:
    """``Spoken.by_state``'s chance for reports of ``states`` (place numbers): the country's for no state, or one
    the index held none of when the chances were read."""
    states = states.astype(np.int64)
    held = (states >= 0) & (states < len(chance) - 1)
    out: NDArray[np.float64] = chance[np.where(held, states, -1)]
    return out


def share(sets: NDArray[np.int64], shares: NDArray[np.float64], bits: NDArray[np.integer]) -> NDArray[np.float64]:
    """The chance a report would name a language in common with each of ``bits`` (``Spoken.of_state``'s), worked
    out once per distinct set of languages (a nationwide search holds many rows, few sets)."""
    distinct, at = np.unique(bits.astype(np.int64), return_inverse=True)
    common = (distinct[:, None] & sets[None, :]) != 0
    out: NDArray[np.float64] = np.clip(common @ shares, 0.0, 1.0)[at.reshape(-1)]
    return out


def weight(p: NDArray[np.float64], table: NDArray[np.float64]) -> NDArray[np.float64]:
    """The languages weight of a pair whose report names none, where ``p`` is the chance it would have named one in
    common: the levels' likelihood ratios (``table[0]``: in common, ``table[1]``: none) mixed by ``p``."""
    out: NDArray[np.float64] = np.log2(p * 2.0 ** table[0] + (1.0 - p) * 2.0 ** table[1])
    return out
