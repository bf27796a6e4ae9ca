"""Typo-tolerant text search over names and localities: "Howra" finds Howrah, "Bhagalpr" finds Bhagalpur.

Candidates come from the vocabulary, not from the entries: each query word is compared (rapidfuzz ``ratio``) with
every distinct word of the directory (a few thousand at 30,000 entries) and matched by prefix through a sorted
copy; postings then name the entries holding the matched words. A query costs about the vocabulary's size, not the
directory's. Every query word must match (like the exact filter); an entry scores the mean of its words' best
similarity, a match in the address counting 0.9 of one in the name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

_WORD = re.compile(r"\w+")
FUZZY_FROM = 4  # shorter words match by prefix only: one typo in three letters is another word
FUZZY_CUTOFF = 75.0  # ratio: one edit in a four-letter word (75), two in a nine-letter one (78)
ADDRESS_WEIGHT = 0.9


def words(text: str | None) -> list[str]:
    return _WORD.findall(text.casefold()) if text else []


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    id: str
    kind: str
    state: str | None
    district: str | None
    pin_code: str | None
    name: str
    address: str | None


@dataclass(frozen=True, slots=True)
class Where:
    kinds: Collection[str] = ()
    state: str | None = None
    district: str | None = None
    pin_code: str | None = None


class TextIndex:
    def __init__(self, entries: Sequence[IndexedEntry]) -> None:
        self.entries = list(entries)
        postings: dict[str, tuple[list[int], list[int]]] = {}  # word -> (in names, in addresses)
        for i, entry in enumerate(self.entries):
            for w in dict.fromkeys(words(entry.name)):
                postings.setdefault(w, ([], []))[0].append(i)
            for w in dict.fromkeys(words(entry.address)):
                postings.setdefault(w, ([], []))[1].append(i)
        self.vocabulary = sorted(postings)
        self._postings = [
            (np.array(postings[w][0], dtype=np.int32), np.array(postings[w][1], dtype=np.int32))
            for w in self.vocabulary
        ]
        # Ties are broken by name, then id: each entry's rank in that order, computed once.
        order = sorted(range(len(self.entries)), key=lambda i: (self.entries[i].name.casefold(), self.entries[i].id))
        self._rank = np.empty(len(self.entries), dtype=np.int32)
        self._rank[order] = np.arange(len(self.entries), dtype=np.int32)
        self._columns = {
            name: _Column([getattr(e, name) for e in self.entries])
            for name in ("kind", "state", "district", "pin_code")
        }

    def __len__(self) -> int:
        return len(self.entries)

    def search(
        self, query: str, where: Where = Where(), *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[tuple[IndexedEntry, float]], bool]:
        """Entries matching every word of ``query`` and ``where``, best first (then by name and id): the window
        ``offset .. offset + limit`` and whether more follow it."""
        tokens = list(dict.fromkeys(words(query)))
        if not tokens or not self.entries:
            return [], False
        total = np.zeros(len(self.entries), dtype=np.float32)
        alive = self._admitted(where)
        for token in tokens:
            scores = self._token_scores(token)
            alive &= scores > 0
            total += scores
        hits = np.flatnonzero(alive)
        mean = total[hits] / len(tokens)
        ordered = hits[np.lexsort((self._rank[hits], -mean))]
        stop = len(ordered) if limit is None else offset + limit
        window = ordered[offset:stop]
        result = [(self.entries[i], float(total[i]) / len(tokens)) for i in window]
        return result, stop < len(ordered)

    def _admitted(self, where: Where) -> npt.NDArray[np.bool_]:
        mask = np.ones(len(self.entries), dtype=np.bool_)
        if where.kinds:
            mask &= self._columns["kind"].any_of(where.kinds)
        for name, value in (("state", where.state), ("district", where.district), ("pin_code", where.pin_code)):
            if value is not None:
                mask &= self._columns[name].any_of([value])
        return mask

    def _token_scores(self, token: str) -> npt.NDArray[np.float32]:
        """Per entry, the best similarity (0..100) of one of its words to ``token``; 0 when none is close."""
        matched: dict[int, float] = {}  # vocabulary position -> similarity
        start, end = bisect_left(self.vocabulary, token), bisect_left(self.vocabulary, token + "\U0010ffff")
        for position in range(start, end):
            matched[position] = 100.0
        if len(token) >= FUZZY_FROM:
            for _, score, position in process.extract(
                token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                matched[position] = max(matched.get(position, 0.0), score)
        scores = np.zeros(len(self.entries), dtype=np.float32)
        for position, score in matched.items():
            in_names, in_addresses = self._postings[position]
            scores[in_addresses] = np.maximum(scores[in_addresses], score * ADDRESS_WEIGHT)
            scores[in_names] = np.maximum(scores[in_names], score)
        return scores


class _Column:
    """A column of short codes as integers, so a filter is one vectorised comparison."""

    def __init__(self, values: Sequence[str | None]) -> None:
        self._codes: dict[str | None, int] = {}
        self._values = np.array([self._codes.setdefault(v, len(self._codes)) for v in values], dtype=np.int32)

    def any_of(self, wanted: Collection[str]) -> npt.NDArray[np.bool_]:
        codes = [self._codes[w] for w in wanted if w in self._codes]
        return np.isin(self._values, codes)
