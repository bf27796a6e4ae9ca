"""Text comparisons in bulk: the level of a name, a parent's name, a mark or the clothes for many candidates at once.

A candidate's words are flattened into one list (with the row each came from), compared with the query's few words
in one ``cdist`` call, and the best agreement of each query word is taken per row. Names tell the reported name from
a recorded pet name (an alias on the report): a word agreeing with the reported name and one agreeing only with a
pet name are different levels, and the explanations say which.
"""

from __future__ import annotations

from itertools import chain, repeat

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from . import comparisons as cmp
from .features import skeleton_of
from .probe import Probe

EXACT, SOUNDS, SIMILAR, SOMEWHAT = 4, 3, 2, 1  # grades of one word against another
SIMILAR_AT, SOMEWHAT_AT = 85.0, 70.0


def name_levels(
    probe: Probe, names: list[str], aliases: list[str]
) -> tuple[NDArray[np.int8], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per row: the name level, the best word similarity (0..1), 1.0 where an agreeing word only sounds alike, and
    log2 of the share of cases holding the agreeing words (NaN for levels that are not frequency-adjusted)."""
    n = len(names)
    words = probe.name
    if not words.tokens:
        nothing = np.full(n, np.nan)
        return np.full(n, cmp.NULL, dtype=np.int8), nothing, nothing, nothing
    reported, reported_sim, reported_count = _grades(words.tokens, words.skeletons, names)
    pets, pets_sim, pets_count = _grades(words.tokens, words.skeletons, aliases)
    agree, agree_pet = reported >= SOUNDS, pets >= SOUNDS
    any_reported, any_pet = agree.any(axis=0), agree_pet.any(axis=0)
    every = words.core.any() & (agree | ~words.core[:, None]).all(axis=0)
    best = np.maximum(reported.max(axis=0), pets.max(axis=0))
    fallback = cmp.NAME_UNRECORDED_PET if probe.only_pet_names else cmp.NAME_NONE
    levels = np.select(
        [any_reported & every, any_reported, any_pet, best >= SIMILAR, best >= SOMEWHAT],
        [cmp.NAME_ALL, cmp.NAME_WORD, cmp.NAME_PET, cmp.NAME_SIMILAR, cmp.NAME_SOMEWHAT],
        fallback,
    )
    levels = np.where(reported_count + pets_count > 0, levels, cmp.NULL).astype(np.int8)
    exact, sounding = words.log2_frequency[:, None], words.log2_sound_frequency[:, None]

    def log2_share(grades: NDArray[np.int8]) -> NDArray[np.float64]:  # of the cases holding the agreeing words
        share: NDArray[np.float64] = ((grades == EXACT) * exact + (grades == SOUNDS) * sounding).sum(axis=0)
        return share

    log2_u = np.where(any_reported, log2_share(reported), np.where(any_pet, log2_share(pets), np.nan))
    sounds = np.where(any_reported, (reported == SOUNDS).any(axis=0), (pets == SOUNDS).any(axis=0))
    similarity = np.maximum(reported_sim.max(axis=0), pets_sim.max(axis=0)) / 100
    return levels, similarity, sounds.astype(np.float64), log2_u


def guardian_levels(
    probe: Probe, texts: list[str], skeleton_texts: list[str]
) -> tuple[NDArray[np.int8], NDArray[np.float64], NDArray[np.float64]]:
    """Per row: the parents' names level, their similarity (0..1), and log2 of the share of cases holding the
    parents' words whose skeletons agree (NaN when none does)."""
    n = len(texts)
    words = probe.guardians
    if not words.tokens:
        return np.full(n, cmp.NULL, dtype=np.int8), np.full(n, np.nan), np.full(n, np.nan)
    similarity = process.cdist([probe.features.guardian_text], texts, scorer=fuzz.token_set_ratio, workers=1)[0]
    similarity = similarity.astype(np.float64) / 100
    flat, owner = _flatten(skeleton_texts)
    shared = np.zeros((len(words.tokens), n), dtype=bool)
    if flat:
        column = np.array(flat)
        for j, skeleton in enumerate(words.skeletons):
            if skeleton:
                np.logical_or.at(shared[j], owner, column == skeleton)
    any_shared = shared.any(axis=0)
    levels = np.select(
        [similarity >= 0.9, any_shared, similarity >= 0.7],
        [cmp.GUARDIAN_AGREE, cmp.GUARDIAN_SOUNDS, cmp.GUARDIAN_SOMEWHAT],
        cmp.GUARDIAN_DIFFER,
    )
    held = np.fromiter((bool(t) for t in texts), dtype=bool, count=n)
    levels = np.where(held, levels, cmp.NULL).astype(np.int8)
    log2_u = np.where(any_shared, (shared * words.log2_sound_frequency[:, None]).sum(axis=0), np.nan)
    return levels, similarity, log2_u


def similarity_levels(
    query: str, texts: list[str], edges: tuple[float, float]
) -> tuple[NDArray[np.int8], NDArray[np.float64]]:
    """Free-text descriptions (marks, clothing) by token-set similarity: agree, similar, differ."""
    n = len(texts)
    if not query:
        return np.full(n, cmp.NULL, dtype=np.int8), np.full(n, np.nan)
    similarity = process.cdist([query], texts, scorer=fuzz.token_set_ratio, workers=1)[0].astype(np.float64) / 100
    levels = np.where(similarity >= edges[0], 0, np.where(similarity >= edges[1], 1, 2))
    held = np.fromiter((bool(t) for t in texts), dtype=bool, count=n)
    return np.where(held, levels, cmp.NULL).astype(np.int8), similarity


def rarest_shared(
    words: tuple[str, ...], log2_share: NDArray[np.float64], texts: list[str], at: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Per row: log2 of the share of cases holding the rarest of ``words`` the row's text holds too (NaN where the
    row is not ``at``, or shares none). Two descriptions agreeing on a rare word (a tattoo's text, a street) agree
    by chance at most that often, however common the rest of their words: the words of one description come
    together (mole, left, cheek), so the rarest one bounds how often all of them do, where their product would not."""
    n = len(texts)
    rarest = np.full(n, np.inf)
    rows = np.flatnonzero(at)
    if not words or len(rows) == 0:
        return np.full(n, np.nan)
    flat, owner = _flatten([texts[i] for i in rows])
    if flat:
        column = np.array(flat)
        for word, share in zip(words, log2_share.tolist(), strict=True):
            holding = owner[column == word]
            np.minimum.at(rarest, rows[holding], share)
    return np.where(np.isfinite(rarest), rarest, np.nan)


def _grades(
    tokens: tuple[str, ...], skeletons: tuple[str, ...], texts: list[str]
) -> tuple[NDArray[np.int8], NDArray[np.float32], NDArray[np.int64]]:
    """Each query word's best grade and similarity (0..100) against each row's words, and each row's word count."""
    n = len(texts)
    flat, owner = _flatten(texts)
    counts = np.bincount(owner, minlength=n) if flat else np.zeros(n, dtype=np.int64)
    best = np.zeros((len(tokens), n), dtype=np.int8)
    best_similarity = np.zeros((len(tokens), n), dtype=np.float32)
    if not flat:
        return best, best_similarity, counts
    similarity = process.cdist(list(tokens), flat, scorer=fuzz.ratio, dtype=np.float32, workers=1)
    flat_skeletons = np.array([skeleton_of(t) for t in flat])
    for j, skeleton in enumerate(skeletons):
        grade = np.where(similarity[j] >= SIMILAR_AT, SIMILAR, np.where(similarity[j] >= SOMEWHAT_AT, SOMEWHAT, 0))
        if skeleton:
            grade = np.where(flat_skeletons == skeleton, SOUNDS, grade)
        grade = np.where(similarity[j] == 100.0, EXACT, grade).astype(np.int8)
        np.maximum.at(best[j], owner, grade)
        np.maximum.at(best_similarity[j], owner, similarity[j])
    return best, best_similarity, counts


def _flatten(texts: list[str]) -> tuple[list[str], NDArray[np.int64]]:
    """Every word of ``texts`` in order, and the position of the text each came from. The index keeps its texts
    as words joined by single spaces, so one split of them all and a count of spaces give both (a text spaced
    otherwise, as a query's may be, is split text by text)."""
    held = [t for t in texts if t]
    joined = " ".join(held)
    flat = joined.split()
    if " ".join(flat) == joined:  # every text single-spaced: its words are its spaces and one
        spaces = np.fromiter(map(str.count, texts, repeat(" ")), dtype=np.int64, count=len(texts))
        counts = np.where(np.fromiter(map(bool, texts), dtype=bool, count=len(texts)), spaces + 1, 0)
    else:
        split = [t.split() for t in texts]
        counts = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        flat = list(chain.from_iterable(split))
    return flat, np.repeat(np.arange(len(texts), dtype=np.int64), counts)
