"""The index's rows grouped by place, gender and date, with a summary per block of rows, for searches over many.

A nameless child blocks nationwide (gender, age window, languages): at 5,000,000 cases a query had up to 580,000
candidates, and every search scanned all 5,000,000 rows' columns to find them. ``Layout`` orders the rows held
when it is made by (state, district, gender, whether the case records marks, the date of going missing or being
found), so:

* a state's or a district's rows are one run of ``order`` (no scan of every row to find them);
* consecutive runs of ``BLOCK`` rows share a place and gender and lie close in date, so a summary of each block
  (``Blocks``: ranges of birth, event, height, the rows' points, which genders, languages and texts occur) bounds
  what any of its rows can score (``block_bounds.py``), and a search opens only the blocks that could reach its
  best (``MatchIndex._widen``). The date, not the age, orders a place's rows: the dates weight peaks for a report
  within weeks of the query's date (+4 against -1 for most), so blocks ordered by it bound tightly where the age
  weight (within a window already) would not; at 1,000,000 cases a nameless child's search opened 1-10% of the
  blocks in its window ordered so, 10-40% ordered by birth.

Rows appended after the layout was made (a mapped snapshot's overlay, cases changed since) are the ``tail``: scanned
as before, row by row. Retired rows stay in their blocks (the search's row filters drop them): a summary of more rows
than are alive still bounds the living. The index makes a new layout once the tail outgrows a share of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .places import EARTH_KM
from .row_values import HAS_MARKS, UNKNOWN

BLOCK = 64  # rows a block summarises: a tighter bound against more blocks to bound per search
TAIL_SHARE = 0.1  # the tail may grow to this share of the layout (and TAIL_MIN rows) before a new one is made
TAIL_MIN = 20_000
EVENT_DAYS = 30  # a block's events are also kept as a bit per 30 days, 128 of them (10.5 years) from the earliest
EVENT_BUCKETS = 128
_BIG = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class Blocks:
    """Per block of ``BLOCK`` consecutive rows of ``Layout.order`` (``start`` into it), what its rows hold: the
    ranges of known values (a block with none known holds an empty range: min > max) and flags for the unknown."""

    start: NDArray[np.int64]
    end: NDArray[np.int64]
    birth_min: NDArray[np.int64]
    birth_max: NDArray[np.int64]
    birth_unknown: NDArray[np.bool_]
    sd_min: NDArray[np.float64]  # of the rows with a known birth
    sd_max: NDArray[np.float64]
    event_min: NDArray[np.int64]
    event_max: NDArray[np.int64]
    event_unknown: NDArray[np.bool_]
    # Which EVENT_DAYS periods from ``event_base`` hold an event (bits 0-63, 64-127): the dates weight peaks within
    # weeks of the query's date, and a block's range of events spans years. ``event_beyond``: an event past them.
    event_base: NDArray[np.int64]
    event_bits: NDArray[np.uint64]  # (blocks, 2)
    event_beyond: NDArray[np.bool_]
    since_min: NDArray[np.int64]
    since_max: NDArray[np.int64]
    height_min: NDArray[np.int64]  # of the rows with a height
    height_max: NDArray[np.int64]
    height_unknown: NDArray[np.bool_]
    langs: NDArray[np.int64]  # every language bit of the block
    langs_unknown: NDArray[np.bool_]
    has: NDArray[np.int8]  # every HAS_* bit of the block
    genders: NDArray[np.int64]  # bit 1 << gender code of each gender held
    young: NDArray[np.bool_]
    kinds: NDArray[np.int64]  # bit 1 << kind code
    state_min: NDArray[np.int64]  # place numbers (-1: unknown); a block holds one state's rows but where runs meet
    state_max: NDArray[np.int64]
    district_min: NDArray[np.int64]
    district_max: NDArray[np.int64]
    lat: NDArray[np.float64]  # the centre of the block's known points (radians) ...
    lon: NDArray[np.float64]
    radius_km: NDArray[np.float64]  # ... and the farthest of them from it (-1: no known point)
    point_unknown: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.start)

    def take(self, at: NDArray[np.int64]) -> Blocks:
        """The summaries of the blocks at ``at`` (positions)."""
        return Blocks(**{name: getattr(self, name)[at] for name in Blocks.__slots__})


class Layout:
    """The order of the first ``rows`` rows, where each place's run lies in it, and the blocks' summaries."""

    def __init__(self, columns: Mapping[str, NDArray[Any]], rows: int, places: int) -> None:
        a = {name: column[:rows] for name, column in columns.items()}
        self.rows = rows
        group = (a["state"].astype(np.int64) + 1) << 40
        group |= (a["district"].astype(np.int64) + 1) << 8
        group |= a["gender"].astype(np.int64) << 1
        group |= (a["has"] & HAS_MARKS) != 0
        self.order: NDArray[np.int32] = np.lexsort((a["event"], group)).astype(np.int32)
        # Where each place's run lies in ``order`` (place numbers are shared by states and districts).
        self._runs: dict[str, tuple[NDArray[np.int64], NDArray[np.int64]]] = {
            level: _runs(a[level][self.order], places) for level in ("state", "district")
        }
        self.blocks = _summarise({name: column[self.order] for name, column in a.items()}, rows)

    def area(self, level: str, place: int) -> NDArray[np.int32]:
        """The rows of the layout in a state or district (``level``), in layout order."""
        starts, ends = self._runs[level]
        if not 0 <= place < len(starts):
            return np.empty(0, dtype=np.int32)
        return self.order[starts[place] : ends[place]]

    def rows_of(self, blocks: NDArray[np.int64]) -> NDArray[np.int64]:
        """The rows of the ``blocks`` (positions into ``Blocks``), in layout order."""
        if len(blocks) == 0:
            return np.empty(0, dtype=np.int64)
        starts, ends = self.blocks.start[blocks], self.blocks.end[blocks]
        lengths = ends - starts
        offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        rows: NDArray[np.int64] = self.order[np.arange(int(lengths.sum()), dtype=np.int64) + offsets].astype(np.int64)
        return rows

    def nbytes(self) -> int:
        blocks = sum(getattr(self.blocks, name).nbytes for name in Blocks.__slots__)
        return int(self.order.nbytes + blocks + sum(s.nbytes + e.nbytes for s, e in self._runs.values()))


def stale(layout: Layout | None, rows: int) -> bool:
    """Whether ``rows`` rows have outgrown ``layout`` (or there is none yet)."""
    return layout is None or rows - layout.rows > max(TAIL_MIN, TAIL_SHARE * layout.rows)


def _runs(sorted_places: NDArray[Any], places: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    size = max(places, int(sorted_places.max()) + 1 if len(sorted_places) else 0)
    starts = np.zeros(size, dtype=np.int64)
    ends = np.zeros(size, dtype=np.int64)
    if len(sorted_places):
        at = np.flatnonzero(np.diff(sorted_places)) + 1
        first = np.concatenate([[0], at])
        last = np.concatenate([at, [len(sorted_places)]])
        held = sorted_places[first]
        known = held >= 0
        starts[held[known]], ends[held[known]] = first[known], last[known]
    return starts, ends


def _summarise(s: Mapping[str, NDArray[Any]], rows: int) -> Blocks:
    """Each block's summary from the columns in layout order (``s``)."""
    start = np.arange(0, rows, BLOCK, dtype=np.int64)
    end = np.minimum(start + BLOCK, rows)
    if rows == 0:
        return _empty_blocks()

    def low(values: NDArray[Any], known: NDArray[np.bool_]) -> NDArray[np.int64]:
        return np.minimum.reduceat(np.where(known, values.astype(np.int64), _BIG), start)

    def high(values: NDArray[Any], known: NDArray[np.bool_]) -> NDArray[np.int64]:
        return np.maximum.reduceat(np.where(known, values.astype(np.int64), -_BIG), start)

    def some(flags: NDArray[np.bool_]) -> NDArray[np.bool_]:
        return np.logical_or.reduceat(flags, start)

    def bits(values: NDArray[Any]) -> NDArray[np.int64]:
        return np.bitwise_or.reduceat(values.astype(np.int64), start)

    birth_known = s["birth"] != UNKNOWN
    event_known = s["event"] != UNKNOWN
    events = s["event"].astype(np.int64)
    base = int(events[event_known].min()) if event_known.any() else 0
    period = np.where(event_known, (events - base) // EVENT_DAYS, -1)
    held = (period >= 0) & (period < EVENT_BUCKETS)
    event_bits = np.stack(
        [
            np.bitwise_or.reduceat(
                np.where(
                    held & (period // 64 == word), np.left_shift(np.uint64(1), (period % 64).astype(np.uint64)), 0
                ).astype(np.uint64),
                start,
            )
            for word in (0, 1)
        ],
        axis=1,
    )
    since_known = s["since"] != UNKNOWN
    tall = s["height"] > 0
    sd = s["sd"].astype(np.float64)
    lat, lon = np.radians(s["lat"].astype(np.float64)), np.radians(s["lon"].astype(np.float64))
    placed = ~(np.isnan(lat) | np.isnan(lon))
    # The centre of each block's points: the mean of their unit vectors (a block's points lie in one or two districts).
    x, y, z = (np.where(placed, v, 0.0) for v in (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
    cx, cy, cz = (np.add.reduceat(v, start) for v in (x, y, z))
    centre_lat = np.arctan2(cz, np.hypot(cx, cy))
    centre_lon = np.arctan2(cy, cx)
    block_of = np.repeat(np.arange(len(start)), end - start)
    km = _haversine(centre_lat[block_of], centre_lon[block_of], np.where(placed, lat, 0.0), np.where(placed, lon, 0.0))
    radius = np.maximum.reduceat(np.where(placed, km, -1.0), start)
    return Blocks(
        start=start,
        end=end,
        birth_min=low(s["birth"], birth_known),
        birth_max=high(s["birth"], birth_known),
        birth_unknown=some(~birth_known),
        sd_min=np.minimum.reduceat(np.where(birth_known, sd, np.inf), start),
        sd_max=np.maximum.reduceat(np.where(birth_known, sd, 0.0), start),
        event_min=low(s["event"], event_known),
        event_max=high(s["event"], event_known),
        event_unknown=some(~event_known),
        event_base=np.full(len(start), base, dtype=np.int64),
        event_bits=event_bits,
        event_beyond=some(event_known & ~held),
        since_min=low(s["since"], since_known),
        since_max=high(s["since"], since_known),
        height_min=low(s["height"], tall),
        height_max=high(s["height"], tall),
        height_unknown=some(~tall),
        langs=bits(s["langs"]),
        langs_unknown=some(s["langs"] == 0),
        has=bits(s["has"]).astype(np.int8),
        genders=bits(np.left_shift(1, s["gender"].astype(np.int64))),
        young=some(s["young"].astype(bool)),
        kinds=bits(np.left_shift(1, s["kind"].astype(np.int64))),
        state_min=np.minimum.reduceat(s["state"].astype(np.int64), start),
        state_max=np.maximum.reduceat(s["state"].astype(np.int64), start),
        district_min=np.minimum.reduceat(s["district"].astype(np.int64), start),
        district_max=np.maximum.reduceat(s["district"].astype(np.int64), start),
        lat=centre_lat,
        lon=centre_lon,
        radius_km=radius,
        point_unknown=some(~placed),
    )


def _empty_blocks() -> Blocks:
    values: dict[str, Any] = {}
    for name in Blocks.__slots__:
        values[name] = np.zeros(0, dtype=np.bool_ if name.endswith(("unknown", "young", "beyond")) else np.int64)
    values["event_bits"] = np.zeros((0, 2), dtype=np.uint64)
    return Blocks(**values)


def _haversine(
    lat1: NDArray[np.float64], lon1: NDArray[np.float64], lat2: NDArray[np.float64], lon2: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Great-circle km between points given in radians (double precision: a bound is built on it)."""
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    km: NDArray[np.float64] = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return km


def km_between(lat: float, lon: float, lats: NDArray[np.float64], lons: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle km from one point (degrees) to the blocks' centres (radians)."""
    return _haversine(np.full(len(lats), math.radians(lat)), np.full(len(lons), math.radians(lon)), lats, lons)
