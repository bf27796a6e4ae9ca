"""The index's look-up structures as a shared base (packed, usually mapped from a snapshot) under a small overlay.

Each worker maps the same base; what it writes after (the cases changed since the snapshot) goes into its own
overlay, which stays small because the snapshot is rewritten once the overlay grows (see ``match_service``). A fresh
index built from the store has an empty base and everything in the overlay.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from . import record_codec
from .packed import PackedStrings
from .records import MatchRecord

GONE = -1


class CaseRows:
    """Case id → its row. The base is sorted ids with their rows; the overlay maps ids to rows, or ``GONE``."""

    def __init__(self, ids: PackedStrings | None = None, rows: NDArray[np.int32] | None = None) -> None:
        self._ids = ids or PackedStrings.empty()
        self._rows = rows if rows is not None else np.zeros(0, dtype=np.int32)
        self._overlay: dict[str, int] = {}
        self._shadowed: set[int] = set()  # base positions the overlay decides
        self._size = len(self._ids)

    def __len__(self) -> int:
        return self._size

    def get(self, case_id: str) -> int | None:
        row = self._overlay.get(case_id)
        if row is None:
            at = self._ids.find(case_id)
            return None if at < 0 else int(self._rows[at])
        return None if row == GONE else row

    def __setitem__(self, case_id: str, row: int) -> None:
        if self.get(case_id) is None:
            self._size += 1
        self._overlay[case_id] = row
        self._shade(case_id)

    def pop(self, case_id: str) -> int | None:
        row = self.get(case_id)
        if row is None:
            return None
        self._size -= 1
        if self._shade(case_id):
            self._overlay[case_id] = GONE
        else:
            del self._overlay[case_id]
        return row

    def values(self) -> Iterator[int]:
        shadowed = self._shadowed
        for at, row in enumerate(self._rows.tolist()):
            if at not in shadowed:
                yield row
        yield from (row for row in self._overlay.values() if row != GONE)

    def items(self) -> Iterator[tuple[str, int]]:
        shadowed = self._shadowed
        for at, (case_id, row) in enumerate(zip(self._ids, self._rows.tolist(), strict=True)):
            if at not in shadowed:
                yield case_id, row
        yield from ((case_id, row) for case_id, row in self._overlay.items() if row != GONE)

    def _shade(self, case_id: str) -> bool:
        """Whether the base holds ``case_id`` (then the overlay's word on it counts from now on)."""
        at = self._ids.find(case_id)
        if at >= 0:
            self._shadowed.add(at)
        return at >= 0


class Postings:
    """Blocking key → rows. The base is sorted keys and, per key, a run of one shared rows array."""

    def __init__(
        self,
        keys: PackedStrings | None = None,
        starts: NDArray[np.int64] | None = None,
        rows: NDArray[np.int32] | None = None,
    ) -> None:
        self._keys = keys or PackedStrings.empty()
        self._starts = starts if starts is not None else np.zeros(1, dtype=np.int64)
        self._rows = rows if rows is not None else np.zeros(0, dtype=np.int32)
        self._overlay: dict[str, array[int]] = {}

    def parts(self, key: str) -> list[NDArray[np.int32]]:
        """The rows under ``key``: the base's run and the overlay's, either possibly absent."""
        found: list[NDArray[np.int32]] = []
        at = self._keys.find(key)
        if at >= 0:
            found.append(self._rows[self._starts[at] : self._starts[at + 1]])
        if key in self._overlay:
            found.append(np.frombuffer(self._overlay[key], dtype=np.int32))
        return found

    def add(self, key: str, row: int) -> None:
        self._overlay.setdefault(key, array("i")).append(row)

    def items(self) -> Iterator[tuple[str, NDArray[np.int32]]]:
        """Every key with all its rows (base and overlay), keys in no particular order."""
        starts = self._starts.tolist()
        for at, key in enumerate(self._keys):
            base = self._rows[starts[at] : starts[at + 1]]
            extra = self._overlay.get(key)
            yield key, base if extra is None else np.concatenate([base, np.frombuffer(extra, dtype=np.int32)])
        for key, extra in self._overlay.items():
            if self._keys.find(key) < 0:
                yield key, np.frombuffer(extra, dtype=np.int32)

    def nbytes(self) -> int:
        keys = self._keys.offsets
        base = self._starts.nbytes + self._rows.nbytes + int(keys[-1] - keys[0]) + keys.nbytes
        return base + sum(len(p) * p.itemsize + 64 for p in self._overlay.values())


class TokenCounts:
    """Name token → how many cases held have it. The base is sorted tokens and counts; the overlay adds to them."""

    def __init__(self, tokens: PackedStrings | None = None, counts: NDArray[np.int32] | None = None) -> None:
        self._tokens = tokens or PackedStrings.empty()
        self._counts = counts if counts is not None else np.zeros(0, dtype=np.int32)
        self._overlay: dict[str, int] = {}

    def get(self, token: str) -> int:
        base = 0
        at = self._tokens.find(token)
        if at >= 0:
            base = int(self._counts[at])
        return base + self._overlay.get(token, 0)

    def add(self, token: str, n: int) -> None:
        self._overlay[token] = self._overlay.get(token, 0) + n

    def items(self) -> Iterator[tuple[str, int]]:
        for token, count in zip(self._tokens, self._counts.tolist(), strict=True):
            yield token, count + self._overlay.get(token, 0)
        for token, extra in self._overlay.items():
            if self._tokens.find(token) < 0:
                yield token, extra


class Records:
    """Row → the record held there. Base records stay encoded until one is asked for (a search scores ~120)."""

    def __init__(self, base: PackedStrings | None = None) -> None:
        self._base = base or PackedStrings.empty()
        self._n = len(self._base)
        self._overlay: list[MatchRecord] = []

    def __len__(self) -> int:
        return self._n + len(self._overlay)

    def __getitem__(self, row: int) -> MatchRecord:
        if row < self._n:
            return record_codec.decode(self._base.raw(row))
        return self._overlay[row - self._n]

    def raw(self, row: int) -> bytes:
        """The record encoded (a base record's bytes as they are)."""
        return self._base.raw(row) if row < self._n else record_codec.encode(self._overlay[row - self._n])

    def append(self, record: MatchRecord) -> None:
        self._overlay.append(record)

    @property
    def base_rows(self) -> int:
        return self._n
