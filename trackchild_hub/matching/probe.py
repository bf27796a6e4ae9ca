"""A query made ready for scoring: its own values once, and what the index knows of them (how common each name word
is, whether a blocking key would reach a candidate agreeing on it). Built per search by ``MatchIndex.probe``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from . import names
from .features import Features, skeleton_of
from .records import MatchRecord

COMMON_FREQUENCY = 0.1  # of a word spelt like a very common one (Kumar, Devi), which no blocking key counts
BACKGROUND = 2000  # a small store says little about how common a name is: this many others are assumed around it
# The index counts, per word, the cases holding it in a name or alias (the word itself), in an alias ("~" word: a
# word mostly recorded as a pet name is one, lexicon or not), in a parent's name ("g~" word) and in the identifying
# marks ("k~" word: how rare the words two descriptions share are).
ALIAS, GUARDIAN, MARK = "~", "g~", "k~"


class Counts(Protocol):
    def get(self, token: str) -> int: ...


@dataclass(frozen=True, slots=True)
class NameWords:
    """Distinct words of a name (or of parents' names), with what scoring needs of each."""

    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    log2_frequency: NDArray[np.float64]  # log2 of the share of cases holding the word (<= 0)
    log2_sound_frequency: NDArray[np.float64]  # ... holding a word spelt to its skeleton (never below the above)
    keyed: NDArray[np.bool_]  # a candidate agreeing on it is reached by the word's blocking key
    core: NDArray[np.bool_]  # a word of the reported name that is no pet name (all must agree for the top level)
    # The least share an agreement on the word is counted at (``text_levels``): its own where a case holds the very
    # word and an exact agreement counts it so, else its skeleton's (a word no case holds agrees only by sound).
    log2_least: NDArray[np.float64]

    @property
    def unkeyed_log2_least(self) -> float:
        """The most a pair agreeing only on words no key reaches can say (their least shares multiplied)."""
        return float(self.log2_least[~self.keyed].sum())


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
    # The learned routes' bits for a pair with each row (``routes.py``), by the row's place number (its state's for a
    # found query, its district's for a missing one); None: no routes.
    route: NDArray[np.float64] | None
    route_by: str  # "state" or "district": which of the row's place numbers ``route`` is read by
    lat: float
    lon: float
    languages: int  # bits; -1 when the query names languages the index holds none of
    # Where a report names no language (``spoken.py``): a found child naming some, her chance of a language in common
    # with a report of each state (by place number; the last: a report of no state); a report naming none, the sets
    # its state's reports name and their shares. None: not asked.
    language_share: NDArray[np.float64] | None
    home_languages: tuple[NDArray[np.int64], NDArray[np.float64]] | None
    height: int  # cm, 0 unknown
    log2_population: float  # tf-adjusted weights are capped: a word held once says at most this much
    marks: tuple[str, ...]  # the distinct words of the query's identifying marks that some case's marks hold
    marks_log2_share: NDArray[np.float64]  # log2 of the share of cases whose marks hold each (the query counted)


def counted_words(f: Features) -> set[str]:
    """The words ``f`` adds to the index's counts (``ALIAS``, ``GUARDIAN``, ``MARK``)."""
    return (
        {*f.tokens, *f.alias_tokens}
        | {ALIAS + t for t in f.alias_tokens}
        | {GUARDIAN + t for t in f.guardian_tokens}
        | {MARK + t for t in f.marks_text.split()}
    )


def make_probe(
    query: MatchRecord,
    q: Features,
    *,
    counts: Counts,
    key_rows: Callable[[str], int],
    live: int,
    **where: Any,
) -> Probe:
    """``counts``: the index's word counts; ``key_rows``: rows under a blocking key; ``where``: the rest of the
    ``Probe`` fields (gender, young, district, route, route_by, lat, lon, languages, language_share,
    home_languages, height)."""
    population = live + BACKGROUND
    tokens = distinct(q.tokens, q.alias_tokens)
    pets = {t for t in tokens if is_pet_name(t, counts)}

    def sound_count(token: str, key: str, exact: int) -> float:
        skeleton = skeleton_of(token)
        if is_keyed(token, skeleton):
            return max(key_rows(f"{key}:{skeleton}"), exact) + 1
        return max(COMMON_FREQUENCY * population, exact + 1) if skeleton in _common_skeletons() else exact + 1

    def frequencies(words: tuple[str, ...], prefix: str, key: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        exact = [counts.get(prefix + t) for t in words]
        sounds = [sound_count(t, key, n) for t, n in zip(words, exact, strict=True)]
        return (np.array(exact, dtype=np.float64) + 1) / population, np.array(sounds, dtype=np.float64) / population

    # A name word agrees exactly only with a case holding it, as a name or as a pet name; parents' names are only
    # ever counted by their sound (``text_levels.guardian_levels``).
    held = np.array([counts.get(t) + counts.get(ALIAS + t) > 0 for t in tokens], dtype=bool)

    guardians = distinct(q.guardian_tokens)
    # Only a word some case holds can be shared with a candidate: the others are left out of the bound too.
    marks = [(t, n) for t in distinct(tuple(q.marks_text.split())) if (n := counts.get(MARK + t)) > 0]
    return Probe(
        record=query,
        features=q,
        name=name_words(tokens, frozenset(q.tokens) - pets, *frequencies(tokens, "", "n"), exact=held),
        only_pet_names=bool(tokens) and pets == set(tokens),
        guardians=name_words(
            guardians,
            frozenset(guardians),
            *frequencies(guardians, GUARDIAN, "g"),
            exact=np.zeros(len(guardians), bool),
        ),
        log2_population=float(np.log2(population)),
        marks=tuple(t for t, _ in marks),
        marks_log2_share=np.log2((np.array([n for _, n in marks], dtype=np.float64) + 1) / population),
        **where,
    )


def is_pet_name(token: str, counts: Counts) -> bool:
    """A pet name by the lexicon, or by use: reports record it as an alias at least as often as a name."""
    if names.is_nickname(token):
        return True
    aliases = counts.get(ALIAS + token)
    return aliases >= 2 and 2 * aliases >= counts.get(token)


def name_words(
    tokens: tuple[str, ...],
    core: frozenset[str],
    frequency: NDArray[np.float64],
    sound_frequency: NDArray[np.float64] | None = None,
    *,
    exact: NDArray[np.bool_] | None = None,
) -> NameWords:
    """``exact``: per word, whether an exact agreement can be counted at the word's own share (None: every word)."""
    skeletons = tuple(skeleton_of(t) for t in tokens)
    log2_frequency = np.minimum(0.0, np.log2(frequency))
    sounds = log2_frequency if sound_frequency is None else np.minimum(0.0, np.log2(sound_frequency))
    log2_sound_frequency = np.maximum(sounds, log2_frequency)
    return NameWords(
        tokens=tokens,
        skeletons=skeletons,
        log2_frequency=log2_frequency,
        log2_sound_frequency=log2_sound_frequency,
        keyed=np.array([is_keyed(t, s) for t, s in zip(tokens, skeletons, strict=True)], dtype=bool),
        core=np.array([t in core and not names.is_nickname(t) for t in tokens], dtype=bool),
        log2_least=log2_frequency if exact is None else np.where(exact, log2_frequency, log2_sound_frequency),
    )


def is_keyed(token: str, skeleton: str) -> bool:
    """Whether agreeing on ``token`` (exactly or by its skeleton) puts a candidate under a blocking key: not when
    the word, or a word spelt to the same skeleton, is too common to be a key (``blocking_keys.name_keys``)."""
    return bool(skeleton) and token not in names.COMMON_TOKENS and skeleton not in _common_skeletons()


@cache
def _common_skeletons() -> frozenset[str]:
    return frozenset(skeleton_of(t) for t in names.COMMON_TOKENS)


def distinct(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for group in groups for t in group))
