"""A query made ready for scoring: its own values once, and what the index knows of them (how common each name word
is, whether a blocking key would reach a candidate agreeing on it). Built per search by ``MatchIndex.probe``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from . import names
from .features import Features, skeleton_of
from .records import MatchRecord

COMMON_FREQUENCY = 0.1  # of a very common word (Kumar, Devi), which no blocking key counts


@dataclass(frozen=True, slots=True)
class NameWords:
    """Distinct words of a name (or of parents' names), with what scoring needs of each."""

    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    log2_frequency: NDArray[np.float64]  # log2 of the share of cases holding the word (<= 0)
    log2_sound_frequency: NDArray[np.float64]  # ... holding a word spelt to its skeleton (never below the above)
    keyed: NDArray[np.bool_]  # a candidate agreeing on it is reached by the word's blocking key
    core: NDArray[np.bool_]  # a word of the reported name that is no pet name (all must agree for the top level)

    @property
    def unkeyed_log2_frequency(self) -> float:
        """The most a pair agreeing only on words no key reaches can say (their frequencies multiplied)."""
        return float(self.log2_frequency[~self.keyed].sum())


@dataclass(frozen=True, slots=True)
class Probe:
    record: MatchRecord
    features: Features
    name: NameWords
    only_pet_names: bool  # every word of the query is a pet name
    guardians: NameWords
    gender: int  # the index's gender code
    young: bool
    district: int  # the index's code, a negative stand-in for a place it does not hold, -1 for none
    lat: float
    lon: float
    languages: int  # bits; -1 when the query names languages the index holds none of
    height: int  # cm, 0 unknown
    log2_population: float  # tf-adjusted weights are capped: a word held once says at most this much


def name_words(
    tokens: tuple[str, ...],
    core: frozenset[str],
    frequency: NDArray[np.float64],
    sound_frequency: NDArray[np.float64] | None = None,
) -> NameWords:
    skeletons = tuple(skeleton_of(t) for t in tokens)
    log2_frequency = np.minimum(0.0, np.log2(frequency))
    sounds = log2_frequency if sound_frequency is None else np.minimum(0.0, np.log2(sound_frequency))
    return NameWords(
        tokens=tokens,
        skeletons=skeletons,
        log2_frequency=log2_frequency,
        log2_sound_frequency=np.maximum(sounds, log2_frequency),
        keyed=np.array([is_keyed(t, s) for t, s in zip(tokens, skeletons, strict=True)], dtype=bool),
        core=np.array([t in core and not names.is_nickname(t) for t in tokens], dtype=bool),
    )


def is_common_skeleton(skeleton: str) -> bool:
    return skeleton in _common_skeletons()


def is_keyed(token: str, skeleton: str) -> bool:
    """Whether agreeing on ``token`` (exactly or by its skeleton) puts a candidate under a blocking key: not when
    the word, or a word spelt to the same skeleton, is too common to be a key (``blocking_keys.name_keys``)."""
    return bool(skeleton) and token not in names.COMMON_TOKENS and skeleton not in _common_skeletons()


@cache
def _common_skeletons() -> frozenset[str]:
    return frozenset(skeleton_of(t) for t in names.COMMON_TOKENS)


def distinct(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for group in groups for t in group))
