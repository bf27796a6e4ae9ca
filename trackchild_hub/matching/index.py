"""The candidate index: every open case, in memory, in columns that numpy and rapidfuzz scan in bulk.

A search runs in three steps, all on one model (``comparisons``, ``weights``, ``vector_score``):

1. **Blocking** (``candidates``): the union of independent keys, so a child who gives only a nickname, only a
   parent's name, or no name at all still gets candidates: name and alias skeletons, guardian-name skeletons, the
   district + gender + age window, the state + gender + age window, and for a nameless child the whole country within
   the gender and age window. Age windows follow the age error model (``ages.Z_WINDOW``). Hard filters only on
   near-certain facts: the kinds searched, and a found date that cannot precede the missing date (with slack).
2. **The full score of every candidate**, vectorised: the numeric comparisons for all of them, the text comparisons
   for as many as it takes to prove the best ``first`` (``ranking.top``: exact, nothing the score would rank is cut).
3. **Explanations** for the best only, from the same levels and weights (``explain``), ordered by total weight and
   then case id.
"""

from __future__ import annotations

import math
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind, Gender
from . import block_bounds, vector_score
from . import comparisons as cmp
from .ages import YEAR, Z_WINDOW
from .banded import banded as banded_parts
from .blocking_keys import distinctive_languages, is_nameless, mark_keys, name_keys, neighbour_keys
from .columns import GrowingColumns, TextColumns
from .explain import factors
from .features import Features, day_number, features
from .layered import CaseRows, Postings, Records, TokenCounts
from .layout import Layout, stale
from .places import Centroids, district_centroids, point
from .probe import Probe, counted_words, is_pet_name, make_probe
from .ranking import top_scored
from .records import Match, MatchRecord
from .routes import NONE, Routes
from .row_values import GENDERS, KINDS, NUMERIC, TEXTS, UNKNOWN, YOUNG_YEARS, values
from .scoring import evidence, kinds_against, log2_sum, probability, rank_key, to_match
from .spoken import Spoken
from .vector_score import Reached
from .weights import PRIOR, Weights

__all__ = ["NUMERIC", "TEXTS", "MatchIndex"]
FALLBACK_MIN = 200  # below this many candidates by name and district, the state's are added
NEIGHBOUR_MAX = 500  # rows a name key one letter from the query's may hold and still be searched (``_neighbours``)
MARKS_ROWS_MAX = 2000  # rows a rare mark word may hold and still be looked up one by one (``_marks_most``)
# A query's words of each kind (name, pet names, parents' names) searched and compared: its first ones. Each common
# word adds the rows of its keys: 81 pet and 120 parents' words packed into 9 strings held the matcher thread 0.53 s
# at 100,000 cases, and a report stored with 1,000 aliases was a query of every proposal round. Candidates keep all.
QUERY_WORDS = 8
ROUTE_CACHE = 1024  # queries' route vectors kept (a found child's by district, a report's by state: ~800 at most)
_UNKNOWN_GENDER = GENDERS[Gender.UNKNOWN]
SORT_SHARE = 256  # candidate sets below 1/256 of the rows are joined by sorting, larger ones by marking every row


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
        weights: Weights = PRIOR,
        centroids: Centroids | None = None,
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
        self.weights = weights
        self.centroids = district_centroids() if centroids is None else centroids
        self._populations: dict[tuple[int, int, frozenset[CaseKind]], int] = {}
        self.spoken = Spoken.of(self.columns.view())  # then kept by upsert and _retire
        self._layout: Layout | None = None  # made on first need (``layout``)
        self._routes: tuple[Routes, dict[tuple[bool, str, str | None, int], NDArray[np.float64]]] = (NONE, {})

    @classmethod
    def build(cls, records: Iterable[MatchRecord], *, today: date, weights: Weights = PRIOR) -> MatchIndex:
        index = cls(today=today, weights=weights)
        for record in records:
            index.upsert(record)
        return index

    def set_weights(self, weights: Weights) -> None:
        """Score with ``weights`` from the next search on (one reference swapped: a search holds the one it began
        with)."""
        self.weights = weights

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
        numeric, texts = self._values(record, f, grow=True)
        row = self.columns.append(numeric)
        if record.kind is CaseKind.MISSING:
            self.spoken.add(numeric["state"], numeric["langs"])
        self.texts.append(texts)
        self.records.append(record)
        for key in (*name_keys(f), *mark_keys(f)):
            self.postings.add(key, row)
        for word in counted_words(f):
            self.token_df.add(word, 1)
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

    def rows_of(self, kinds: Iterable[CaseKind]) -> NDArray[np.int64]:
        """The live rows of ``kinds``, from the columns (a mapped snapshot's records stay encoded)."""
        columns = self.columns.view()
        wanted = np.isin(columns["kind"], [KINDS[k] for k in kinds])
        rows: NDArray[np.int64] = np.flatnonzero(columns["alive"].astype(bool) & wanted).astype(np.int64)
        return rows

    def reports_by_district(self) -> dict[tuple[str, str | None], int]:
        """How many live missing reports each (state, district) holds (from the columns)."""
        district = self.columns.view()["district"][self.rows_of((CaseKind.MISSING,))]
        held = np.bincount(district[district >= 0], minlength=len(self.places))
        out: dict[tuple[str, str | None], int] = {}
        for code, number in self.places.items():
            state, _, name = code.partition("/")
            if name and number < len(held) and held[number]:
                out[(state, name)] = int(held[number])
        return out

    def population(self, kinds: Iterable[CaseKind]) -> int:
        """Live cases of ``kinds`` (what a match's probability is reckoned against: ``scoring.probability``),
        counted once per state of the index (a write changes ``records`` or ``live``), not per search."""
        key = (len(self.records), self.live, frozenset(kinds))
        count = self._populations.get(key)
        if count is None:
            count = len(self.rows_of(kinds))
            self._populations = {k: v for k, v in self._populations.items() if k[:2] == key[:2]}
            self._populations[key] = count
        return count

    def candidates(self, query: MatchRecord, kinds: frozenset[CaseKind]) -> list[str]:
        """What blocking finds, the nationwide window whole (``search`` scores only the part that can reach its
        best: the same results)."""
        rows, *_ = self._block(query, _query_features(query), kinds)
        return [self.records[r].case_id for r in rows]

    def candidate_rows(self, query: MatchRecord, kinds: frozenset[CaseKind]) -> NDArray[np.int64]:
        """The rows blocking finds for ``query`` (what ``search`` scores; training counts their levels)."""
        return self._block(query, _query_features(query), kinds)[0]

    def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int = 10) -> list[Match]:
        """The ``first`` best candidates by full score (and any tied with the last of them cut by case id)."""
        weights = self.weights
        q = _query_features(query)
        rows, by_name, by_guardian, wide = self._block(query, q, kinds, nationwide=False)
        if first <= 0 or (len(rows) == 0 and wide is None):
            return []
        probe = self.probe(query, q, weights)
        chosen, scored, pruned = self._ranked(probe, rows, by_name, by_guardian, first, weights)
        if wide is not None:  # the nationwide window: only the rows that can beat the ``first``-th best found so far
            floor = _kth(scored, first)
            more, skipped = self._widen(query, q, kinds, probe, wide, rows, floor, weights)
            also, scored_more, pruned_more = self._ranked(probe, more, {}, {}, first, weights, floor)
            chosen = np.concatenate([chosen, also])
            scored = np.concatenate([scored, scored_more])
            pruned = np.concatenate([pruned, pruned_more, [skipped]])
        if len(chosen) == 0:
            return []
        # Every candidate weighed against the competition: the scored by their totals, the pruned by their bounds.
        seen = evidence(scored, pruned, weights.temperature)
        matches = self._matches(probe, chosen, weights, self.population(kinds), seen)
        matches.sort(key=rank_key)
        return matches[:first]

    def parts(self, query: MatchRecord, rows: NDArray[np.int64]) -> vector_score.Parts:
        """Every comparison's levels and weights for ``query`` against ``rows``, with the current weights."""
        return self._parts(self.probe(query, _query_features(query)), rows, self.weights)

    def score_pair(self, query: MatchRecord, case_id: str) -> Match | None:
        row = self.row_of.get(case_id)
        if row is None:
            return None
        probe = self.probe(query, _query_features(query))
        rows = np.array([row], dtype=np.int64)
        return self._matches(probe, rows, self.weights, self.population(kinds_against(query)), None)[0]

    def score_record(self, query: MatchRecord, candidate: MatchRecord, weights: Weights | None = None) -> Match:
        """``candidate`` scored against ``query`` as a held case would be, though it is not held (a live record);
        with ``weights``, else the index's."""
        return self.score_records(query, [candidate], weights)[0]

    def score_records(
        self,
        query: MatchRecord,
        candidates: Sequence[MatchRecord],
        weights: Weights | None = None,
        *,
        banded: bool = False,
    ) -> list[Match]:
        """``score_record`` of each of ``candidates``, in order: the query's probe made once, the comparisons
        vectorised over them, each weighed alone. ``banded``: weighed and explained by level alone, nothing measured
        (``banded.py``: for candidates outside the caller's jurisdiction)."""
        weights = weights or self.weights
        probe = self.probe(query, _query_features(query), weights)
        values = [self._values(candidate, features(candidate), grow=False) for candidate in candidates]
        cols: dict[str, NDArray[Any]] = {
            name: np.array([numeric[name] for numeric, _ in values], dtype=t) for name, t in NUMERIC.items()
        }
        parts = {
            **vector_score.numeric(probe, cols, weights),
            **vector_score.text(probe, lambda column: [texts[column] for _, texts in values], cols["event"], weights),
        }
        if banded:
            parts = banded_parts(parts, weights)
        totals = vector_score.total(parts, len(candidates))
        population = self.population(kinds_against(query))
        named = bool(probe.name.tokens)
        out = []
        for i, candidate in enumerate(candidates):
            weight = float(totals[i])
            p = probability(
                weight, weight, population=population, reported=weights.reported, temperature=weights.temperature
            )
            explained = factors(parts, i, query_named=named, banded=banded)
            out.append(to_match(candidate.case_id, weight, explained, p))
        return out

    def probe(self, query: MatchRecord, q: Features, weights: Weights | None = None) -> Probe:
        """The query as a search compares it, with ``weights``' routes (the index's weights by default)."""
        lat, lon = point(query, self.centroids)
        route, route_by = self._route((weights or self.weights).routes, query)
        bits = self._language_bits(query.languages)
        share, home = None, None
        if query.kind is not CaseKind.MISSING and query.languages:
            share = self.spoken.by_state(bits, len(self.places))
        elif query.kind is CaseKind.MISSING and not query.languages:
            home = self.spoken.of_state(self._place(query.state, grow=False) if query.state else -1)
        return make_probe(
            query,
            q,
            counts=self.token_df,
            key_rows=self._live_rows,
            live=self.live,
            gender=GENDERS[query.gender],
            young=q.birth_day is not None and self.today_day - q.birth_day < YOUNG_YEARS * YEAR,
            district=self._place(f"{query.state}/{query.district}" if query.district else None, grow=False),
            route=route,
            route_by=route_by,
            lat=lat,
            lon=lon,
            languages=-1 if query.languages and not bits else bits,
            language_share=share,
            home_languages=home,
            height=0 if query.height_cm is None else query.height_cm,
        )

    def _route(self, routes: Routes, query: MatchRecord) -> tuple[NDArray[np.float64] | None, str]:
        """The routes' bits for ``query`` with every place the index holds (``Probe.route``), kept while the routes
        and the places are the same: a found child's by home state, a missing child's by found district."""
        if not routes or not query.state:
            return None, "state"
        missing = query.kind is CaseKind.MISSING
        by = "district" if missing else "state"
        held, cache = self._routes
        if held is not routes or len(cache) > ROUTE_CACHE:
            cache = {}
            self._routes = (routes, cache)
        key = (missing, query.state, None if missing else query.district, len(self.places))  # a report: its state
        vector = cache.get(key)
        if vector is None:
            vector = np.zeros(len(self.places), dtype=np.float64)
            homes = routes.homes((query.state, query.district))
            for code, number in list(self.places.items())[: len(vector)]:
                state, _, district = code.partition("/")
                if bool(district) != missing:
                    continue
                vector[number] = (
                    routes.homes((state, district)).get(query.state, 0.0) if missing else homes.get(code, 0.0)
                )
            cache[key] = vector
        return vector, by

    def _live_rows(self, key: str) -> int:
        """Cases held under a blocking key (its rows less the retired: counts do not depend on when it was
        compacted)."""
        alive = self.columns.view()["alive"]
        return sum(int(np.count_nonzero(alive[part])) for part in self.postings.parts(key))

    def memory_bytes(self) -> int:
        """About what the index holds, mapped or not (a mapped base counts once however many workers map it)."""
        arrays = self.columns.nbytes() + self.texts.nbytes() + self.postings.nbytes()
        step = max(1, len(self.records) // 500)
        sample = [self.records[row] for row in range(self.records.base_rows, len(self.records), step)]
        per_record = sum(_deep_size(r) for r in sample) / max(1, len(sample))
        base = self.records.base_rows
        return int(arrays + base * 100 + (len(self.records) - base) * (per_record + 100))

    # -- internals -------------------------------------------------------------------------------------------------

    def _values(self, record: MatchRecord, f: Features, *, grow: bool) -> tuple[dict[str, Any], dict[str, str]]:
        return values(
            record,
            f,
            today_day=self.today_day,
            place=lambda code: self._place(code, grow=grow),
            language_bits=self._language_bits(record.languages, grow=grow),
            centroids=self.centroids,
        )

    def _matches(
        self, probe: Probe, rows: NDArray[np.int64], weights: Weights, population: int, seen: float | None
    ) -> list[Match]:
        """``seen``: ``scoring.evidence`` of every candidate the search weighed; None: each row alone (one pair)."""
        parts = self._parts(probe, rows, weights)
        weight = vector_score.total(parts, len(rows))
        named = bool(probe.name.tokens)
        out = []
        for i, row in enumerate(rows):
            w = float(weight[i])
            p = probability(
                w,
                w if seen is None else seen,
                population=population,
                reported=weights.reported,
                temperature=weights.temperature,
            )
            out.append(to_match(self.records[int(row)].case_id, w, factors(parts, i, query_named=named), p))
        return out

    def _parts(self, probe: Probe, rows: NDArray[np.int64], weights: Weights) -> vector_score.Parts:
        cols = self._gather(rows)
        return {
            **vector_score.numeric(probe, cols, weights),
            **vector_score.text(probe, lambda column: self.texts.gather(column, rows), cols["event"], weights),
        }

    def _gather(self, rows: NDArray[np.int64]) -> dict[str, NDArray[Any]]:
        a = self.columns.view()
        return {name: a[name][rows] for name in NUMERIC if name != "alive"}

    def _language_bits(self, languages: Iterable[str], *, grow: bool = False) -> int:
        bits = 0
        for language in languages:
            key = language.strip().casefold()
            if key not in self.languages and grow:
                self.languages[key] = min(len(self.languages), 30)  # the 31st and later share a bit
            if key in self.languages:
                bits |= 1 << self.languages[key]
        return bits

    def _place(self, code: str | None, *, grow: bool = True) -> int:
        """The place's number; without ``grow``, a place the index does not hold gets a negative stand-in of its
        own (so a live record and a query from the same unheld district still agree), -1 is no place."""
        if code is None:
            return -1
        if grow:
            return self.places.setdefault(code, len(self.places))
        held = self.places.get(code)
        return held if held is not None else -2 - (zlib.crc32(code.encode()) & 0x3FFF)

    def _retire(self, row: int) -> None:
        self.columns.set("alive", row, 0)
        a = self.columns.view()
        if a["kind"][row] == KINDS[CaseKind.MISSING]:
            self.spoken.add(int(a["state"][row]), int(a["langs"][row]), -1)
        f = features(self.records[row])
        for word in counted_words(f):  # counts are of the cases held, not of their versions
            self.token_df.add(word, -1)

    def _block(
        self, query: MatchRecord, q: Features, kinds: frozenset[CaseKind], *, nationwide: bool = True
    ) -> tuple[NDArray[np.int64], Reached, Reached, tuple[str, ...] | None]:
        """The candidate rows, and for each skeleton of the query's name words and of its parents' names, whether
        its key reached each row (only then can a word spelt to it agree: ``vector_score.text_bound``). Without
        ``nationwide``, the nationwide window is left out when it applies and its languages returned instead (None:
        it does not apply), for the caller to search by blocks (``_widen``)."""
        a = self.columns.view()
        keys = name_keys(q)
        by_name = {k[2:]: self.postings.parts(k) for k in keys if k.startswith("n:")}
        by_guardian = {k[2:]: self.postings.parts(k) for k in keys if k.startswith("g:")}
        others: list[NDArray[Any]] = [part for k in keys if k.startswith("b:") for part in self.postings.parts(k)]
        parts: list[NDArray[Any]] = [
            *(part for group in (*by_name.values(), *by_guardian.values()) for part in group),
            *others,
            self._window(query, q, a, self._area(query, "district")),
        ]
        wide: tuple[str, ...] | None = None  # the nationwide window's languages, when it applies
        if self._nameless(q):  # gender and age are all there is: search the whole country
            wide = distinctive_languages(query.languages)
        elif sum(len(p) for p in parts) < FALLBACK_MIN:  # few by name and district: widen to the state
            # (to the country when the query has no place at all: a state's window would be empty)
            if query.state:
                parts.append(self._window(query, q, a, self._area(query, "state")))
            else:
                wide = ()
            parts += self._neighbours(q)  # and to names a letter away: a name mistyped beyond its skeleton
        if wide is not None and nationwide:
            parts.append(self._window(query, q, a, None, languages=wide))
            wide = None
        n = len(a["alive"])
        kept = self._keep(query, q, kinds, a, _union(parts, n))
        names = {skeleton: _within(kept, found, n) for skeleton, found in by_name.items() if found}
        guardians = {skeleton: _within(kept, found, n) for skeleton, found in by_guardian.items() if found}
        return kept, names, guardians, wide

    def _keep(
        self,
        query: MatchRecord,
        q: Features,
        kinds: frozenset[CaseKind],
        a: dict[str, NDArray[Any]],
        rows: NDArray[Any],
    ) -> NDArray[np.int64]:
        """``rows`` alive, of ``kinds``, and not found before going missing (with slack)."""
        keep = a["alive"][rows].astype(bool) & np.isin(a["kind"][rows], [KINDS[k] for k in kinds])
        if q.event_day is not None:
            events = a["event"][rows]
            known = events != UNKNOWN
            if query.kind is CaseKind.MISSING:  # candidates were found after the child went missing
                keep &= ~known | (events >= q.event_day - cmp.DATE_SLACK_DAYS)
            else:
                keep &= ~known | (events <= q.event_day + cmp.DATE_SLACK_DAYS)
        kept: NDArray[np.int64] = rows[keep].astype(np.int64)
        return kept

    def _widen(
        self,
        query: MatchRecord,
        q: Features,
        kinds: frozenset[CaseKind],
        probe: Probe,
        languages: tuple[str, ...],
        found: NDArray[np.int64],
        floor: float,
        weights: Weights,
    ) -> tuple[NDArray[np.int64], float]:
        """``found`` (``_block``'s rows and key flags) with the rows of the nationwide window that can reach the
        result: those in the layout's blocks whose bound (``block_bounds``) reaches the ``first``-th best full
        score among ``found`` (no row of the others can: the result is the one the whole window gives), and every
        row added since the layout. Also log2 of the left-out rows' summed ``2 ** bound`` (``scoring.evidence``).

        A nameless child's window held 580,000 of 5,000,000 cases at the 95th percentile; the best ``first`` lie
        nearly always in the child's own district, which bounds out most of the country."""
        layout = self.layout()
        blocks = layout.blocks
        bits = self._language_bits(languages) if languages else None
        reach = np.flatnonzero(block_bounds.reachable(probe, blocks, sum(1 << KINDS[k] for k in kinds), bits))
        bound = block_bounds.bounds(probe, blocks.take(reach), weights)
        opened = bound >= floor
        left = reach[~opened]
        skipped = -math.inf
        if len(left):
            sizes = (blocks.end[left] - blocks.start[left]).astype(np.float64)
            skipped = log2_sum(bound[~opened] + np.log2(sizes))
        a = self.columns.view()
        added = np.arange(layout.rows, len(a["alive"]), dtype=np.int64)
        wide = self._window(query, q, a, np.concatenate([layout.rows_of(reach[opened]), added]), languages=languages)
        wide = self._keep(query, q, kinds, a, wide)
        return wide[~_marked([found], len(a["alive"]))[wide]], skipped

    def _ranked(
        self,
        probe: Probe,
        rows: NDArray[np.int64],
        by_name: Reached,
        by_guardian: Reached,
        first: int,
        weights: Weights,
        floor: float = -math.inf,
    ) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
        """The rows among ``rows`` scoring at least the ``first``-th best (and ``floor``: ``ranking.top_scored``),
        the full scores computed and the bounds of the rows pruned (``scoring.evidence`` weighs both)."""
        if len(rows) == 0:
            return rows, np.empty(0), np.empty(0)
        cols = self._gather(rows)
        base = vector_score.total(vector_score.numeric(probe, cols, weights), len(rows))
        marks = self._marks_most(probe, rows, weights)
        q = probe.features
        worn = vector_score.clothes_worn(q.event_day, cols["event"]) if q.clothing_text else None
        text_bound = partial(
            vector_score.text_bound, probe, cols["has"], by_name, by_guardian, weights, marks, worn=worn
        )
        bound = base + text_bound()
        first_compared: tuple[str, ...] = ()  # compared to refine a row's bound before its names are
        known = np.zeros(len(rows))  # their weights, once compared
        refine = None
        if probe.guardians.tokens:  # parents' names agreeing by similarity bound every row that holds one by +9
            first_compared = vector_score.CHEAP
            rest = base + text_bound(leave_out=first_compared)

            def refine(at: NDArray[np.int64]) -> NDArray[np.float64]:
                texts = partial(self.texts.gather, rows=rows[at])
                known[at] = vector_score.total(
                    vector_score.text(probe, texts, cols["event"][at], weights, first_compared), len(at)
                )
                return vector_score.plus(rest[at], known[at])

        later = tuple(c for c in vector_score.TEXT if c not in first_compared)

        def score(at: NDArray[np.int64]) -> NDArray[np.float64]:
            texts = partial(self.texts.gather, rows=rows[at])
            text = vector_score.total(vector_score.text(probe, texts, cols["event"][at], weights, later), len(at))
            return vector_score.plus(base[at], vector_score.plus(text, known[at]))

        chosen, totals = top_scored(bound, score, first, floor, refine)
        pruned = np.isnan(totals)
        return rows[chosen], totals[~pruned], bound[pruned]

    def layout(self) -> Layout:
        """The rows grouped by place, gender and date (``layout.py``), made anew once the rows added since outgrow
        it."""
        layout, rows = self._layout, self.columns.rows
        if layout is None or stale(layout, rows):
            layout = Layout(self.columns.view(), rows, len(self.places))
            self._layout = layout
        return layout

    def _marks_most(self, probe: Probe, rows: NDArray[np.int64], weights: Weights) -> NDArray[np.float64]:
        """Per row, the most its marks can weigh by the query's rare mark words it holds (their keys'
        rows: ``blocking_keys.mark_keys``), -inf where it holds none (``vector_score.text_bound``). A word held by
        more than ``MARKS_ROWS_MAX`` rows weighs little above the levels: every row is bounded by it instead."""
        most = np.full(len(rows), -np.inf)
        for word, weight in vector_score.rare_marks(probe, weights):
            held_by = self.postings.parts(f"k:{word}")
            if sum(len(part) for part in held_by) > MARKS_ROWS_MAX:
                most = np.maximum(most, weight)
                continue
            for part in held_by:
                held = np.isin(rows, part)
                most[held] = np.maximum(most[held], weight)
        return most

    def _neighbours(self, q: Features) -> list[NDArray[Any]]:
        """The rows of name keys one letter from the query's (``blocking_keys.neighbour_keys``), each key's only
        while it holds at most ``NEIGHBOUR_MAX`` rows: a common name is no typing error's only counterpart."""
        found: list[NDArray[Any]] = []
        for key in neighbour_keys(q):
            held = self.postings.parts(key)
            if held and sum(len(p) for p in held) <= NEIGHBOUR_MAX:
                found += held
        return found

    def _nameless(self, q: Features) -> bool:
        """No name but pet names, no parent's name: by the lexicon (``blocking_keys.is_nameless``) or by the index's
        own use of the words (a pet name the lexicon lacks, recorded as an alias at least as often as a name, as
        scoring counts it: ``probe.is_pet_name``). A report may never have recorded the pet name."""
        if is_nameless(q):
            return True
        words = (*q.tokens, *q.alias_tokens)
        return bool(words) and not q.guardian_tokens and all(is_pet_name(t, self.token_df) for t in words)

    def _area(self, query: MatchRecord, level: str) -> NDArray[np.int64] | None:
        """Rows in the query's district or state; an empty array when the place is unknown or holds no case."""
        code = query.state if level == "state" else f"{query.state}/{query.district}" if query.district else None
        place = self.places.get(code) if code else None
        if place is None:
            return np.empty(0, dtype=np.int64)
        layout = self.layout()  # the layout's run of the place, and the rows added since scanned
        added = np.flatnonzero(self.columns.view()[level][layout.rows :] == place) + layout.rows
        return np.concatenate([layout.area(level, place), added])

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
        if area is not None and len(area) == 0:
            return area.astype(np.int64)

        def at(name: str) -> NDArray[Any]:  # the whole country reads the columns as they are, no copy
            return a[name] if area is None else a[name][area]

        mask = at("alive").astype(bool)
        if languages:
            spoken = at("langs")
            mask &= (spoken == 0) | ((spoken & self._language_bits(languages)) != 0)
        if query.gender is not Gender.UNKNOWN:
            genders = at("gender")
            mask &= (genders == GENDERS[query.gender]) | (genders == _UNKNOWN_GENDER) | at("young")
        if q.birth_day is not None:
            births = at("birth")
            gap = np.abs(births.astype(np.float32) - np.float32(q.birth_day))
            sd = np.sqrt(at("sd").astype(np.float32) ** 2 + np.float32(q.birth_sd_days) ** 2)
            mask &= (births == UNKNOWN) | (gap <= Z_WINDOW * sd + 1)  # + 1 day: float32 rounding never narrows it
        found: NDArray[np.int64] = np.flatnonzero(mask) if area is None else area[mask].astype(np.int64)
        return found


def _query_features(query: MatchRecord) -> Features:
    """``features`` of a query, with its first ``QUERY_WORDS`` words of each kind."""
    f = features(query)
    guardians = f.guardian_tokens[:QUERY_WORDS]
    return replace(
        f,
        tokens=f.tokens[:QUERY_WORDS],
        skeletons=f.skeletons[:QUERY_WORDS],
        alias_tokens=f.alias_tokens[:QUERY_WORDS],
        alias_skeletons=f.alias_skeletons[:QUERY_WORDS],
        guardian_tokens=guardians,
        guardian_skeletons=f.guardian_skeletons[:QUERY_WORDS],
        guardian_text=" ".join(guardians),
    )


def _union(parts: list[NDArray[Any]], n: int) -> NDArray[np.int64]:
    """The rows of ``parts`` ascending, each once: sorted when they are few against ``n``, else marked (numpy's
    unique sorts, slower than marking every row from a 1/256 of them on)."""
    if sum(len(p) for p in parts) * SORT_SHARE < n:
        return np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *parts])).astype(np.int64)
    return np.flatnonzero(_marked(parts, n)).astype(np.int64)


def _within(rows: NDArray[np.int64], parts: list[NDArray[Any]], n: int) -> NDArray[np.bool_]:
    """Whether each of ``rows`` is in ``parts``."""
    if sum(len(p) for p in parts) * SORT_SHARE < n:
        return np.isin(rows, np.concatenate([np.zeros(0, dtype=np.int64), *parts]))
    return _marked(parts, n)[rows]


def _kth(scores: NDArray[np.float64], k: int) -> float:
    """The ``k``-th best of ``scores`` (-inf when fewer)."""
    if len(scores) < k:
        return -math.inf
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _marked(parts: list[NDArray[Any]], n: int) -> NDArray[np.bool_]:
    marked = np.zeros(n, dtype=bool)
    for part in parts:
        marked[part] = True
    return marked


def _deep_size(record: MatchRecord) -> int:
    size = sys.getsizeof(record)
    for value in (record.name, record.clothing, record.case_id, *record.aliases, *record.guardian_names):
        if value:
            size += sys.getsizeof(value)
    return size + sum(sys.getsizeof(m) for m in record.identifying_marks)
