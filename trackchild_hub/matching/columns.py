"""Numpy columns that grow in place: appending a row is amortised O(1) and a search reads views, never copies.

The index used to keep ``array.array`` columns and copy them all into numpy (and every text column into an object
array) on the first search after any write: 50 ms at 100,000 cases for each search that followed a single change.

Columns adopted from a snapshot are copy-on-write maps of the file with room to spare at the end: rows appended
after the snapshot, and a row retired, copy only the pages they touch into the process, so the workers mapping one
snapshot share the rest. Text columns are packed (``packed.py``): the base from the snapshot, later rows in a list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

from .packed import PackedStrings

INITIAL = 1024


class GrowingColumns:
    """Equal-length columns, one dtype each; ``view()`` is the filled part (valid until the next append)."""

    def __init__(self, dtypes: Mapping[str, DTypeLike]) -> None:
        self._data: dict[str, NDArray[Any]] = {name: np.empty(INITIAL, dtype=dtype) for name, dtype in dtypes.items()}
        self._view: dict[str, NDArray[Any]] | None = None
        self.rows = 0

    @classmethod
    def adopt(cls, arrays: Mapping[str, NDArray[Any]], rows: int) -> GrowingColumns:
        """Columns over ``arrays`` (equal lengths, the first ``rows`` filled; the rest is room to grow into)."""
        columns = cls({})
        columns._data = dict(arrays)
        columns.rows = rows
        return columns

    def append(self, values: Mapping[str, Any]) -> int:
        """Add one row (a value for every column); returns its number."""
        row = self.rows
        if row == len(next(iter(self._data.values()))):
            self._grow(2 * row)
        for name, column in self._data.items():
            column[row] = values[name]
        self.rows += 1
        self._view = None
        return row

    def set(self, name: str, row: int, value: Any) -> None:
        self._data[name][row] = value

    def view(self) -> dict[str, NDArray[Any]]:
        if self._view is None:
            self._view = {name: column[: self.rows] for name, column in self._data.items()}
        return self._view

    def nbytes(self) -> int:
        return sum(column.nbytes for column in self._data.values())

    def _grow(self, capacity: int) -> None:
        for name, column in self._data.items():
            grown = np.empty(capacity, dtype=column.dtype)
            grown[: len(column)] = column
            self._data[name] = grown


class TextColumns:
    """Equal-length text columns: the first ``base_rows`` packed (mapped from a snapshot), later ones in lists."""

    def __init__(self, names: Sequence[str], base: Mapping[str, PackedStrings] | None = None) -> None:
        self._base = dict(base) if base else {name: PackedStrings.empty() for name in names}
        self.base_rows = len(next(iter(self._base.values())))
        self._added: dict[str, list[str]] = {name: [] for name in names}

    def append(self, values: Mapping[str, str]) -> None:
        for name, texts in self._added.items():
            texts.append(values[name])

    def gather(self, name: str, rows: NDArray[np.int64]) -> list[str]:
        """The texts at ``rows``, in that order."""
        n = self.base_rows
        if len(rows) and rows.max() < n:
            return self._base[name].gather(rows)
        added = self._added[name]
        if len(rows) and rows.min() >= n:
            return [added[r - n] for r in rows.tolist()]
        base = self._base[name]
        return [base[r] if r < n else added[r - n] for r in rows.tolist()]

    def nbytes(self) -> int:
        packed = sum(int(p.offsets[-1] - p.offsets[0]) + p.offsets.nbytes for p in self._base.values())
        return packed + sum(sum(len(t) + 49 for t in texts) + 8 * len(texts) for texts in self._added.values())
