"""Numpy columns that grow in place: appending a row is amortised O(1) and a search reads views, never copies.

The index used to keep ``array.array`` columns and copy them all into numpy (and every text column into an object
array) on the first search after any write: 50 ms at 100,000 cases for each search that followed a single change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

INITIAL = 1024


class GrowingColumns:
    """Equal-length columns, one dtype each; ``view()`` is the filled part (valid until the next append)."""

    def __init__(self, dtypes: Mapping[str, DTypeLike]) -> None:
        self._data: dict[str, NDArray[Any]] = {name: np.empty(INITIAL, dtype=dtype) for name, dtype in dtypes.items()}
        self._view: dict[str, NDArray[Any]] | None = None
        self.rows = 0

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
