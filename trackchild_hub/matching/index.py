"""The candidate index: every open case, in memory, in columns that numpy and rapidfuzz scan in bulk.

A search runs in three steps:

1. **Blocking** (``candidates``): the union of independent keys, so a child who gives only a nickname, only a
   parent's name, or no name at all still gets candidates: name and alias skeletons, guardian-name skeletons, the
   district + gender + age window, the state + gender + age window, and for a nameless child the whole country within
   the gender and age window. Hard filters only on near-certain facts: the kinds searched, and a found date that cannot
   precede the missing date (with slack).
2. **A cheap bulk score** over all candidates at once (rapidfuzz ``cdist`` on names and parents' names, numpy on ages
   and places) keeps the best ``SHORTLIST``.
3. **Full scoring with explanations** (``scoring.score``) on the shortlist, ranked.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from ..domain.enums import CaseKind, Gender
from .blocking_keys import distinctive_languages, is_nameless, name_keys
from .columns import GrowingColumns, TextColumns
from .features import YEAR, Features, day_number, features
from .layered import CaseRows, Postings, Records, TokenCounts
from .records import Match, MatchRecord
from .scoring import score

SHORTLIST = 120
PRECUT = 6000  # the most candidates whose texts the bulk score compares
FALLBACK_MIN = 200  # below this many candidates by name and district, the state's are added
BACKGROUND = 2000
DATE_SLACK_DAYS = 60
UNKNOWN = np.iinfo(np.int32).min
_KINDS = {k: i for i, k in enumerate(CaseKind)}
_GENDERS = {g: i for i, g in enumerate(Gender)}
_UNKNOWN_GENDER = _GENDERS[Gender.UNKNOWN]
MIN_WINDOW_DAYS = int(3 * YEAR)


class MatchIndex:
    """Held in a base (empty, or mapped from a snapshot: ``snapshot.py``) and what was written after it."""

    def __init__(
        self,
        *,
        today: date,
        records: Records | None = None,
        row_of: CaseRows | None = None,
        postings: Postings | None = None,
        token_df: TokenCounts | None = None,
        places: dict[str, int] | None = None,
        languages: dict[str, int] | None = None,
        columns: GrowingColumns | None = None,
        texts: TextColumns | None = None,
    ) -> None:
        self.today_day = day_number(today) or 0
        self.today = today
        self.records = records or Records()  # append-only: a row number stays valid while the index lives
        self.row_of = row_of or CaseRows()
        self.postings = postings or Postings()
        self.token_df = token_df or TokenCounts()
        self.places = places or {}
        self.languages = languages or {}
        # Typed columns (4 bytes a value, not a Python object) and the texts the bulk score compares, grown in place.
        self.columns = columns or GrowingColumns(NUMERIC)
        self.texts = texts or TextColumns(TEXTS)

    @classmethod
    def build(cls, records: Iterable[MatchRecord], *, today: date) -> MatchIndex:
        index = cls(today=today)
        for record in records:
            index.upsert(record)
        return index

    def __len__(self) -> int:
        return self.live

    @property
    def live(self) -> int:
        """Cases held (their current rows)."""
        return len(self.row_of)

    def upsert(self, record: MatchRecord) -> bool:
        """Add the case, or replace its earlier version (which stays as a dead row). False: held as it is already.

        The new row is in place before the old one is retired, so ``record()`` read from another thread meanwhile
        sees one version or the other, never neither."""
        old = self.row_of.get(record.case_id)
        if old is not None and self.records[old] == record:
            return False
        f = features(record)
        birth = UNKNOWN if f.birth_day is None else f.birth_day
        row = self.columns.append(
            {
                "alive": 1,
                "kind": _KINDS[record.kind],
                "gender": _GENDERS[record.gender],
                "birth": birth,
                "young": birth != UNKNOWN and self.today_day - birth < 6 * YEAR,  # gender is soft for them
                "spread": f.birth_spread_days,
                "event": UNKNOWN if f.event_day is None else f.event_day,
                "state": self._place(record.state),
                "district": self._place(f"{record.state}/{record.district}" if record.district else None),
                "lat": math.nan if record.latitude is None else record.latitude,
                "lon": math.nan if record.longitude is None else record.longitude,
                "langs": self._language_bits(record.languages, grow=True),
            }
        )
        self.texts.append(
            {
                "name": f.name_text,
                "skeleton": f.skeleton_text,
                "guardian": f.guardian_text,
                "description": f"{f.marks_text} {f.clothing_text}".strip(),  # the nameless child's evidence
            }
        )
        self.records.append(record)
        for key in name_keys(f):
            self.postings.add(key, row)
        for token in set(f.tokens) | set(f.alias_tokens):
            self.token_df.add(token, 1)
        self.row_of[record.case_id] = row
        if old is not None:
            self._retire(old)
        return True

    def remove(self, case_id: str) -> bool:
        """Take the case out (a closed case). False: it was not held."""
        row = self.row_of.pop(case_id)
        if row is None:
            return False
        self._retire(row)
        return True

    def record(self, case_id: str) -> MatchRecord | None:
        row = self.row_of.get(case_id)
        return None if row is None else self.records[row]

    @property
    def dead(self) -> int:
        """Rows of replaced or removed versions: they cost memory and scan time until the index is rebuilt."""
        return len(self.records) - self.live

    def live_records(self) -> Iterator[MatchRecord]:
        return (self.records[row] for row in self.row_of.values())

    def idf(self, token: str) -> float:
        """How much agreeing on ``token`` says: log2 of its rarity, so Kumar or Devi count little (never nothing).
        A small store says little about rarity: ``BACKGROUND`` other names are assumed around it."""
        rarity = (self.live + BACKGROUND) / (1 + self.token_df.get(token))
        return min(8.0, max(0.5, math.log2(rarity)))

    def candidates(self, query: MatchRecord, kinds: frozenset[CaseKind]) -> list[str]:
        rows, _ = self._block(query, features(query), kinds)
        return [self.records[r].case_id for r in rows]

    def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int = 10) -> list[Match]:
        q = features(query)
        rows, by_key = self._block(query, q, kinds)
        if len(rows) == 0:
            return []
        shortlist = self._shortlist(query, q, rows, by_key)
        matches = [self._score(query, q, int(r)) for r in shortlist]
        matches.sort(key=lambda m: m.score, reverse=True)
        return matches[:first]

    def score_pair(self, query: MatchRecord, case_id: str) -> Match | None:
        row = self.row_of.get(case_id)
        return None if row is None else self._score(query, features(query), row)

    def memory_bytes(self) -> int:
        """About what the index holds, mapped or not (a mapped base counts once however many workers map it)."""
        arrays = self.columns.nbytes() + self.texts.nbytes() + self.postings.nbytes()
        step = max(1, len(self.records) // 500)
        sample = [self.records[row] for row in range(self.records.base_rows, len(self.records), step)]
        per_record = sum(_deep_size(r) for r in sample) / max(1, len(sample))
        base = self.records.base_rows
        return int(arrays + base * 100 + (len(self.records) - base) * (per_record + 100))

    # -- internals -------------------------------------------------------------------------------------------------

    def _language_bits(self, languages: Iterable[str], *, grow: bool = False) -> int:
        bits = 0
        for language in languages:
            key = language.strip().casefold()
            if key not in self.languages and grow:
                self.languages[key] = min(len(self.languages), 30)  # the 31st and later share a bit
            if key in self.languages:
                bits |= 1 << self.languages[key]
        return bits

    def _place(self, code: str | None) -> int:
        if code is None:
            return -1
        return self.places.setdefault(code, len(self.places))

    def _retire(self, row: int) -> None:
        self.columns.set("alive", row, 0)
        f = features(self.records[row])
        for token in set(f.tokens) | set(f.alias_tokens):  # rarity counts the cases held, not their versions
            self.token_df.add(token, -1)

    def _columns_array(self) -> dict[str, NDArray[Any]]:
        return self.columns.view()

    def _block(
        self, query: MatchRecord, q: Features, kinds: frozenset[CaseKind]
    ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """The candidate rows, and for each whether a name key reached it (such rows survive the bulk pre-cut)."""
        a = self._columns_array()
        keyed: list[NDArray[Any]] = [part for k in name_keys(q) for part in self.postings.parts(k)]
        nameless = is_nameless(q)
        parts: list[NDArray[Any]] = [*keyed, self._window(query, q, a, self._area(query, a, "district"))]
        if nameless:  # gender and age are all there is: search the whole country
            parts.append(self._window(query, q, a, None, languages=distinctive_languages(query.languages)))
        elif sum(len(p) for p in parts) < FALLBACK_MIN:  # few by name and district: widen to the state
            parts.append(self._window(query, q, a, self._area(query, a, "state")))
        union = np.zeros(len(a["alive"]), dtype=bool)  # a union by marking: numpy's unique sorts or hashes, 100x slower
        for part in parts:
            union[part] = True
        reached = np.zeros(len(a["alive"]), dtype=bool)
        for part in keyed:
            reached[part] = True
        rows = np.flatnonzero(union)
        if len(rows) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
        keep = a["alive"][rows].astype(bool) & np.isin(a["kind"][rows], [_KINDS[k] for k in kinds])
        if q.event_day is not None:
            events = a["event"][rows]
            known = events != UNKNOWN
            if query.kind is CaseKind.MISSING:  # candidates were found after the child went missing
                keep &= ~known | (events >= q.event_day - DATE_SLACK_DAYS)
            else:
                keep &= ~known | (events <= q.event_day + DATE_SLACK_DAYS)
        kept = rows[keep].astype(np.int64)
        return kept, reached[kept]

    def _area(self, query: MatchRecord, a: dict[str, NDArray[Any]], level: str) -> NDArray[np.int64]:
        """Rows in the query's district or state; none when the place is unknown or holds no case."""
        code = query.state if level == "state" else f"{query.state}/{query.district}" if query.district else None
        place = self.places.get(code) if code else None
        if place is None:
            return np.empty(0, dtype=np.int64)
        rows: NDArray[np.int64] = np.nonzero(a[level] == place)[0]
        return rows

    def _window(
        self,
        query: MatchRecord,
        q: Features,
        a: dict[str, NDArray[Any]],
        area: NDArray[np.int64] | None,
        *,
        languages: tuple[str, ...] = (),
    ) -> NDArray[np.int64]:
        """Rows of ``area`` (the whole country when None) alive, gender-compatible and within the age window, and
        sharing one of ``languages`` when given (or with none recorded)."""
        rows = np.arange(len(a["alive"])) if area is None else area
        if len(rows) == 0:
            return rows.astype(np.int64)
        mask = a["alive"][rows].astype(bool)
        if languages:
            spoken = a["langs"][rows]
            mask &= (spoken == 0) | ((spoken & self._language_bits(languages)) != 0)
        if query.gender is not Gender.UNKNOWN:
            genders = a["gender"][rows]
            mask &= (genders == _GENDERS[query.gender]) | (genders == _UNKNOWN_GENDER) | a["young"][rows]
        if q.birth_day is not None:
            births = a["birth"][rows].astype(np.int64)
            slack: NDArray[np.int64] | int = 0
            if q.event_day is not None:  # windows widen with the time between the records
                events = a["event"][rows].astype(np.int64)
                slack = np.where(events == UNKNOWN, 0, np.abs(events - q.event_day) // 10)
            window = np.maximum(MIN_WINDOW_DAYS, a["spread"][rows] + q.birth_spread_days + slack)
            mask &= (births == UNKNOWN) | (np.abs(births - q.birth_day) <= window)
        found: NDArray[np.int64] = rows[mask].astype(np.int64)
        return found

    def _shortlist(
        self, query: MatchRecord, q: Features, rows: NDArray[np.int64], by_key: NDArray[np.bool_]
    ) -> NDArray[np.int64]:
        # Without a name the cheap score sees little: keep more for the full one (height, languages, distance).
        keep = SHORTLIST if q.name_text or q.guardian_text else 4 * SHORTLIST
        if len(rows) <= keep:
            return rows
        a = self._columns_array()
        cheap = self._numeric(query, q, rows, a)
        if len(rows) > PRECUT:  # a nationwide window: texts are compared only for the best by age, place, gender
            cut = np.argpartition(-(cheap + 100 * by_key), PRECUT)[:PRECUT]
            rows, cheap = rows[cut], cheap[cut]
        for which, text, weight in (
            ("name", q.name_text, 5.0),
            ("skeleton", q.skeleton_text, 5.0),
            ("guardian", q.guardian_text, 4.0),
            ("description", f"{q.marks_text} {q.clothing_text}".strip(), 3.0),
        ):
            if text:
                others = self.texts.gather(which, rows)
                cheap += weight * process.cdist([text], others, scorer=fuzz.token_set_ratio, workers=1)[0] / 100
        best = np.argpartition(-cheap, keep)[:keep]
        return rows[best]

    def _numeric(
        self, query: MatchRecord, q: Features, rows: NDArray[np.int64], a: dict[str, NDArray[Any]]
    ) -> NDArray[np.float32]:
        cheap = np.zeros(len(rows), dtype=np.float32)
        if q.birth_day is not None:
            births = a["birth"][rows].astype(np.float64)
            gap = np.where(births == UNKNOWN, 2 * YEAR, np.abs(births - q.birth_day)) / YEAR
            cheap -= 0.7 * np.minimum(gap, 6)
        if query.district is not None and f"{query.state}/{query.district}" in self.places:
            cheap += 1.5 * (a["district"][rows] == self.places[f"{query.state}/{query.district}"])
        if query.gender is not Gender.UNKNOWN:
            cheap += 1.0 * (a["gender"][rows] == _GENDERS[query.gender])
        return cheap

    def _score(self, query: MatchRecord, q: Features, row: int) -> Match:
        candidate = self.records[row]
        return score(query, q, candidate, features(candidate), self.idf, self.today_day)


NUMERIC: dict[str, type] = {
    "alive": np.int8,
    "kind": np.int8,
    "gender": np.int8,
    "birth": np.int32,
    "young": np.bool_,
    "spread": np.int32,
    "event": np.int32,
    "state": np.int16,
    "district": np.int32,
    "lat": np.float32,
    "lon": np.float32,
    "langs": np.int32,  # a bit per language (see MatchIndex._language_bits); 0: none recorded
}
TEXTS = ("name", "skeleton", "guardian", "description")


def _deep_size(record: MatchRecord) -> int:
    size = sys.getsizeof(record)
    for value in (record.name, record.clothing, record.case_id, *record.aliases, *record.guardian_names):
        if value:
            size += sys.getsizeof(value)
    return size + sum(sys.getsizeof(m) for m in record.identifying_marks)
