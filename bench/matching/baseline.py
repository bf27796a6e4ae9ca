"""A deliberately plain matcher with the hub index's interface: the floor the real matcher has to beat.

Blocking: each name, alias and guardian-name token (lower-cased Latin letters, common tokens such as Kumar, Singh,
Devi and Mohammed left out) together with the gender. Scoring: rapidfuzz ``token_set_ratio`` of names (and aliases),
of guardian names, and agreement of dates of birth (or else closeness of the age expected today). No
transliteration, no phonetics, no places: names in another script, nameless children and pet names that were never
recorded get no candidates at all.
"""

from __future__ import annotations

import heapq
import re
import sys
from collections.abc import Iterable
from datetime import date

from rapidfuzz import fuzz

from trackchild_hub.domain.age import current_age
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.records import Band, Factor, Match, MatchRecord

# Tokens shared by too many children to block on.
COMMON = frozenset(
    "kumar kumari kr km ku devi singh kaur md mohd mohammed mohammad muhammad khatun begum bibi".split()  # noqa: SIM905
)
LIKELY, POSSIBLE = 0.85, 0.7
_NOT_LETTERS = re.compile(r"[^a-z ]+")


def tokens(text: str | None) -> list[str]:
    """Lower-case Latin-letter tokens of ``text``; anything else (other scripts, punctuation) is dropped."""
    return _NOT_LETTERS.sub(" ", text.lower()).split() if text else []


class BaselineIndex:
    def __init__(self, *, today: date) -> None:
        self.today = today
        self.records: dict[str, MatchRecord] = {}
        self.texts: dict[str, tuple[str, str]] = {}  # case id -> (names and aliases, guardian names), lower case
        self.blocks: dict[str, list[str]] = {}  # "token|gender" -> case ids

    @classmethod
    def build(cls, records: Iterable[MatchRecord], *, today: date) -> BaselineIndex:
        index = cls(today=today)
        for record in records:
            index.upsert(record)
        return index

    def upsert(self, record: MatchRecord) -> None:
        old = self.records.get(record.case_id)
        if old is not None:
            for key in _keys(old, (old.gender,)):
                self.blocks[key].remove(old.case_id)
        self.records[record.case_id] = record
        self.texts[record.case_id] = _texts(record)
        for key in _keys(record, (record.gender,)):
            self.blocks.setdefault(key, []).append(record.case_id)

    def __len__(self) -> int:
        return len(self.records)

    def candidates(self, query: MatchRecord, kinds: frozenset[CaseKind]) -> list[str]:
        genders = (query.gender,) if query.gender is not Gender.UNKNOWN else tuple(Gender)
        found: set[str] = set()
        for key in _keys(query, genders):
            found.update(self.blocks.get(key, ()))
        return sorted(case_id for case_id in found if self.records[case_id].kind in kinds)

    def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int = 10) -> list[Match]:
        # Plain floats for every candidate, Match objects (with their explanation) only for the ones returned.
        names, guardians = _texts(query)
        day = query.event_date or self.today
        scored: list[tuple[float, str]] = []
        for case_id in self.candidates(query, kinds):
            parts = self._parts(query, case_id, names, guardians, day)
            weight = sum(w for _, w, _ in parts)
            scored.append((-sum(w * s for _, w, s in parts) / weight if weight else 0.0, case_id))
        best = heapq.nsmallest(first, scored)  # highest score first, then case id
        return [self._match(query, case_id, -score, names, guardians, day) for score, case_id in best]

    def memory_bytes(self) -> int:
        """Rough: the dicts, the posting lists and their keys (records themselves are shared with the caller)."""
        size = sys.getsizeof(self.records) + sys.getsizeof(self.blocks)
        for key, ids in self.blocks.items():
            size += sys.getsizeof(key) + sys.getsizeof(ids)
        return size

    def _parts(
        self, query: MatchRecord, case_id: str, names: str, guardians: str, day: date
    ) -> list[tuple[str, float, float]]:
        """(field, weight, similarity 0..1) for each field both sides have."""
        parts: list[tuple[str, float, float]] = []
        case = self.records[case_id]
        case_names, case_guardians = self.texts[case_id]
        if names and case_names:
            parts.append(("name", 0.6, fuzz.token_set_ratio(names, case_names) / 100))
        if guardians and case_guardians:
            parts.append(("guardian", 0.25, fuzz.token_set_ratio(guardians, case_guardians) / 100))
        if query.date_of_birth is not None and case.date_of_birth is not None:
            same = sum(a == b for a, b in zip(_ymd(query.date_of_birth), _ymd(case.date_of_birth), strict=True)) / 3
            parts.append(("date_of_birth", 0.15, same))
        elif query.age_years is not None:
            expected = _age_on(case, day)
            if expected is not None:
                parts.append(("age", 0.15, max(0.0, 1 - abs(expected - query.age_years) / 6)))
        return parts

    def _match(self, query: MatchRecord, case_id: str, score: float, names: str, guardians: str, day: date) -> Match:
        parts = self._parts(query, case_id, names, guardians, day)
        factors = tuple(Factor(field, similarity, f"similarity {similarity:.2f}") for field, _, similarity in parts)
        band = Band.LIKELY if score >= LIKELY else Band.POSSIBLE if score >= POSSIBLE else None
        return Match(case_id, round(score, 4), band, factors)


def _texts(record: MatchRecord) -> tuple[str, str]:
    names = " ".join(n for n in (record.name, *record.aliases) if n).lower()
    return names, " ".join(record.guardian_names).lower()


def _ymd(day: date) -> tuple[int, int, int]:
    return day.year, day.month, day.day


def _age_on(case: MatchRecord, day: date) -> int | None:
    reported = case.event_date or day
    return current_age(case.date_of_birth, case.age_years, reported, max(day, reported))


def _keys(record: MatchRecord, genders: tuple[Gender, ...]) -> set[str]:
    words = {t for name in (record.name, *record.aliases, *record.guardian_names) for t in tokens(name)}
    return {f"{word}|{gender.value}" for word in words - COMMON for gender in genders}
