"""Typo- and script-tolerant search over the public notices' first names, kept up to date one notice at a time.

Each notice is indexed by the words of its first name as ``names.normalise`` spells them (Devanagari पूजा, Puja and
Pooja are all ``puja``/``pooja``, whose skeleton ``pj`` they share). A query word is matched against the vocabulary
(the distinct words, a few thousand at 100,000 notices), never against the notices: by prefix (100), by skeleton
(90: Pooja, Puja, पूजा), or, from four letters, by ``rapidfuzz`` ratio (one typo in a short name); postings then
name the notices holding the matched words. Every query word must match; a notice scores the mean of its words' best
similarity; ties go newest report first. The index holds only what a notice shows (first name, kind, place, date).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from rapidfuzz import fuzz, process

from .names import skeleton, tokens

FUZZY_FROM = 4  # shorter words match by prefix or skeleton only
FUZZY_CUTOFF = 75.0  # ratio: one edit in a four-letter word
SKELETON_SCORE = 90.0


class IndexedNotice(NamedTuple):
    """A tuple, not a dataclass: the collector stops tracking a tuple of strings and dates, so 100,000 of them add
    nothing to every full collection's walk (dataclass instances did: pauses of 100-150 ms)."""

    case_id: str
    kind: str
    state: str
    district: str | None
    reported_at: datetime
    first_name: str


@dataclass(frozen=True, slots=True)
class NoticeScope:
    kinds: Collection[str] = ()
    state: str | None = None
    district: str | None = None

    def admits(self, notice: IndexedNotice) -> bool:
        if self.kinds and notice.kind not in self.kinds:
            return False
        if self.state is not None and notice.state != self.state:
            return False
        return self.district is None or notice.district == self.district


class NoticeIndex:
    """Not thread-safe; one per process, used from the event loop only."""

    def __init__(self, notices: Iterable[IndexedNotice] = ()) -> None:
        self._notices: dict[str, IndexedNotice] = {}
        self._words_of: dict[str, tuple[str, ...]] = {}
        self._postings: dict[str, set[str]] = {}  # word -> case ids
        self._by_skeleton: dict[str, set[str]] = {}  # skeleton -> words
        self._vocabulary: list[str] = []  # sorted, for prefixes
        for notice in notices:
            self.put(notice)

    def __len__(self) -> int:
        return len(self._notices)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._notices

    def put(self, notice: IndexedNotice) -> None:
        """Add the notice, or replace the one of the same case."""
        self.drop(notice.case_id)
        words = tuple(dict.fromkeys(tokens(notice.first_name)))
        self._notices[notice.case_id] = notice
        self._words_of[notice.case_id] = words
        for word in words:
            holders = self._postings.get(word)
            if holders is None:
                holders = self._postings[word] = set()
                insort(self._vocabulary, word)
                self._by_skeleton.setdefault(skeleton(word), set()).add(word)
            holders.add(notice.case_id)

    def drop(self, case_id: str) -> None:
        """Remove the case's notice, if it is indexed."""
        if self._notices.pop(case_id, None) is None:
            return
        for word in self._words_of.pop(case_id):
            holders = self._postings[word]
            holders.discard(case_id)
            if not holders:
                del self._postings[word]
                del self._vocabulary[bisect_left(self._vocabulary, word)]
                same = self._by_skeleton[skeleton(word)]
                same.discard(word)
                if not same:
                    del self._by_skeleton[skeleton(word)]

    def search(
        self, query: str, scope: NoticeScope = NoticeScope(), *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[tuple[IndexedNotice, float]], bool]:
        """Notices matching every word of ``query`` inside ``scope``, best first, then newest report first: the
        window ``offset .. offset + limit`` and whether more follow it."""
        wanted = list(dict.fromkeys(tokens(query)))
        if not wanted or not self._notices:
            return [], False
        total: dict[str, float] | None = None
        for word in wanted:
            scores = self._word_scores(word)
            if total is None:
                total = {c: s for c, s in scores.items() if scope.admits(self._notices[c])}
            else:
                total = {c: s + scores[c] for c, s in total.items() if c in scores}
            if not total:
                return [], False
        assert total is not None
        notices = self._notices

        def rank(item: tuple[str, float]) -> tuple[float, float, str]:
            return -item[1], -notices[item[0]].reported_at.timestamp(), item[0]

        if limit is None:
            ranked, more = sorted(total.items(), key=rank)[offset:], False
        else:  # only the window and one more are ordered
            top = heapq.nsmallest(offset + limit + 1, total.items(), key=rank)
            ranked, more = top[offset : offset + limit], len(top) > offset + limit
        return [(notices[c], score / len(wanted)) for c, score in ranked], more

    def _word_scores(self, word: str) -> dict[str, float]:
        """Per case holding a word close to ``word``, the best similarity (0..100)."""
        matched: dict[str, float] = {}
        start = bisect_left(self._vocabulary, word)
        end = bisect_left(self._vocabulary, word + "\U0010ffff")
        for known in self._vocabulary[start:end]:
            matched[known] = 100.0
        for known in self._by_skeleton.get(skeleton(word), ()):
            matched[known] = max(matched.get(known, 0.0), SKELETON_SCORE)
        if len(word) >= FUZZY_FROM:
            for known, score, _ in process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                matched[known] = max(matched.get(known, 0.0), float(score))
        scores: dict[str, float] = {}
        for known, score in matched.items():
            for case_id in self._postings[known]:
                if score > scores.get(case_id, 0.0):
                    scores[case_id] = score
        return scores
