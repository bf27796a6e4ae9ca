"""Strings packed into one buffer (UTF-8 bytes and an offsets array), so a snapshot file maps them as they are.

A list or dict of 100,000 Python strings costs every process its own objects; packed, every worker reads the same
pages of the page cache. Sorted packs answer look-ups by binary search on the bytes (UTF-8 sorts as code points do).
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

GATHER_BULK = 256  # rows from which ``gather`` reads in bulk


class Buffer(Protocol):
    """What both ``bytes`` and ``mmap.mmap`` offer: a slice is a ``bytes``."""

    def __getitem__(self, key: slice) -> bytes: ...


class PackedStrings(Sequence[str]):
    """``n`` strings: the i-th is ``blob[offsets[i]:offsets[i + 1]]``; with a ``table`` (``hash_table``), ``find``
    looks a string up by hash (a binary search over a mapped pack costs ~17 reads, 5 µs; a hash probe, one)."""

    def __init__(self, offsets: NDArray[np.int64], blob: Buffer, table: NDArray[np.int32] | None = None) -> None:
        self.offsets, self.blob, self.table = offsets, blob, table
        self._n = len(offsets) - 1
        self._at = np.ascontiguousarray(offsets, dtype=np.int64).data.cast("B").cast("q")  # ints, fast
        self._slots = None if table is None else table.data.cast("B").cast("i")

    @classmethod
    def empty(cls) -> PackedStrings:
        return cls(np.zeros(1, dtype=np.int64), b"")

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> str:  # type: ignore[override]  # no slices: a pack is read by position
        return self.raw(i).decode()

    def __iter__(self) -> Iterator[str]:
        ends = self.offsets.tolist()
        blob = self.blob
        return (blob[s:e].decode() for s, e in pairwise(ends))

    def raw(self, i: int) -> bytes:
        return self.blob[self._at[i] : self._at[i + 1]]

    def gather(self, rows: NDArray[np.int64]) -> list[str]:
        """The strings at ``rows``, in that order. Many are read in bulk: their bytes gathered by numpy, each
        followed by a NUL, decoded once and split at the NULs (a string holding a NUL is read one by one)."""
        if len(rows) < GATHER_BULK:
            starts, ends = self.offsets[rows].tolist(), self.offsets[rows + 1].tolist()
            blob = self.blob
            return [blob[s:e].decode() for s, e in zip(starts, ends, strict=True)]
        starts = self.offsets[rows]
        lengths = self.offsets[rows + 1] - starts
        width = lengths + 1
        at = np.cumsum(width) - width  # where each string starts in the gathered bytes
        data = np.frombuffer(self.blob, dtype=np.uint8)  # type: ignore[call-overload]  # bytes or a mapping
        if len(data) == 0:
            return [""] * len(rows)
        source = np.arange(int(width.sum()), dtype=np.int64) - np.repeat(at - starts, width)
        gathered = data[np.minimum(source, len(data) - 1)]
        gathered[at + lengths] = 0
        texts: list[str] = gathered.tobytes().decode().split("\x00")
        texts.pop()  # after the last NUL
        if len(texts) != len(rows):
            starts_list, ends_list = starts.tolist(), (starts + lengths).tolist()
            return [self.blob[s:e].decode() for s, e in zip(starts_list, ends_list, strict=True)]
        return texts

    def find(self, key: str) -> int:
        """The position of ``key`` (the pack sorted, or with a table), or -1."""
        wanted = key.encode()
        if self._slots is not None:
            slots = self._slots
            mask = len(slots) - 1
            slot = zlib.crc32(wanted) & mask
            while (at := slots[slot]) >= 0:
                if self.raw(at) == wanted:
                    return at
                slot = (slot + 1) & mask
            return -1
        at = bisect_left(_RawView(self), wanted)
        return at if at < self._n and self.raw(at) == wanted else -1


def hash_table(strings: Sequence[bytes]) -> NDArray[np.int32]:
    """Open addressing (linear probing) over ``strings``' positions, at most half full; -1 marks an empty slot."""
    size = 1 << max(4, (2 * len(strings)).bit_length())
    slots = [-1] * size
    mask = size - 1
    for at, key in enumerate(strings):
        slot = zlib.crc32(key) & mask
        while slots[slot] >= 0:
            slot = (slot + 1) & mask
        slots[slot] = at
    return np.array(slots, dtype=np.int32)


class _RawView(Sequence[bytes]):
    def __init__(self, pack: PackedStrings) -> None:
        self.pack = pack

    def __len__(self) -> int:
        return len(self.pack)

    def __getitem__(self, i: int) -> bytes:  # type: ignore[override]
        return self.pack.raw(i)


def pack(strings: Iterable[str | bytes]) -> tuple[NDArray[np.int64], bytes]:
    """Offsets and blob for ``strings`` in the order given (bytes are taken as already encoded)."""
    encoded = [s.encode() if isinstance(s, str) else s for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    if encoded:
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return offsets, b"".join(encoded)
