"""The match index in one file that every worker maps: built once, shared by all, and read again after a restart.

**Layout.** ``MAGIC`` · header length (8 bytes) · CRC-32 of everything after it (4) · a JSON header · sections, each
64-byte aligned: the numeric columns (with room for rows added later: see ``columns.py``), and packed strings
(``packed.py``) for the texts the bulk score compares, the records (``record_codec.py``), the sorted case ids with
their rows, the sorted blocking keys with runs of rows, the sorted name tokens with their counts. String offsets are
file positions, so a pack reads straight from the map.

**Trust.** The header names the format, and the caller's ``identity`` (code version, store, schema revision) and
``state`` (the store position the index was read up to). A file whose size, checksum, format or identity differ is
not used (``load`` says why): the caller rebuilds it from the store.

**Sharing.** The file is mapped copy-on-write: the workers share its pages in the page cache; the few a worker
writes (a retired row's flag, rows appended after the snapshot) become its own. Written to a temporary file and
renamed over the old one, so a reader sees the old file or the new one, whole; a worker still mapping the old one
keeps it (the inode lives while mapped). One writer at a time: ``writer_lock``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import mmap
import os
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from .columns import GrowingColumns, TextColumns
from .index import NUMERIC, TEXTS, MatchIndex
from .layered import CaseRows, Postings, Records, TokenCounts
from .packed import PackedStrings, hash_table, pack

log = logging.getLogger(__name__)
FORMAT = 2  # 2: the columns of the one-model scorer (issue 16)
MAGIC = b"TCHMIDX\x00"
_PREFIX = struct.Struct("<8sQI")  # magic, header length, CRC-32 of the rest
ALIGN = 64
Stamp = tuple[int, int, int]  # (inode, mtime ns, size): which file is at the path


class SnapshotUnusable(Exception):
    """The file is not a snapshot this process can trust; the message says why."""


@dataclass(frozen=True, slots=True)
class Loaded:
    index: MatchIndex
    state: dict[str, Any]  # what the writer passed: the store position it read up to
    stamp: Stamp
    written_rows: int  # rows in the file (the overlay starts after them)


@dataclass(frozen=True, slots=True)
class SnapshotFile:
    """``folder/match-index.snap``, its lock, and (beside it) the lock that elects the proposal worker."""

    folder: Path

    @property
    def path(self) -> Path:
        return self.folder / "match-index.snap"

    def stamp(self) -> Stamp | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    @property
    def writer_lock(self) -> Path:
        """One process at a time builds or writes the snapshot (``try_lock``)."""
        return self.folder / "match-index.lock"

    @property
    def proposer_lock(self) -> Path:
        """Held by the one process that runs the background proposal rounds (``try_lock``)."""
        return self.folder / "proposals.lock"

    def load(self, identity: Mapping[str, Any]) -> Loaded:
        """Map the snapshot; ``FileNotFoundError`` when there is none, ``SnapshotUnusable`` when it is not to be
        trusted."""
        with self.path.open("rb") as f:
            st = os.fstat(f.fileno())
            if st.st_size < _PREFIX.size:
                raise SnapshotUnusable("truncated")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        return _read(mm, identity, (st.st_ino, st.st_mtime_ns, st.st_size))

    def write(self, index: MatchIndex, identity: Mapping[str, Any], state: Mapping[str, Any], headroom: int) -> None:
        """Write ``index``'s live cases (dead rows dropped, rows renumbered) with room for ``headroom`` more."""
        self.folder.mkdir(parents=True, exist_ok=True)
        sections, header = _sections(index, headroom)
        header.update(format=FORMAT, identity=dict(identity), state=dict(state))
        temporary = self.folder / f".match-index.{os.getpid()}.tmp"
        try:
            with temporary.open("wb") as out:
                _write(out, header, sections)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)


# -- writing ---------------------------------------------------------------------------------------------------------


def _sections(index: MatchIndex, headroom: int) -> tuple[dict[str, NDArray[Any] | bytes], dict[str, Any]]:
    live = np.sort(np.fromiter(index.row_of.values(), dtype=np.int64, count=len(index.row_of)))
    n = len(live)
    remap = np.full(len(index.records), -1, dtype=np.int64)
    remap[live] = np.arange(n)
    sections: dict[str, NDArray[Any] | bytes] = {}
    view = index.columns.view()
    for name, dtype in NUMERIC.items():
        column: NDArray[Any] = np.zeros(n + headroom, dtype=dtype)
        column[:n] = view[name][live]
        sections[f"col:{name}"] = column
    for name in TEXTS:
        _put_pack(sections, f"text:{name}", index.texts.gather(name, live))
    _put_pack(sections, "records", [index.records.raw(row) for row in live.tolist()])
    ids = sorted((case_id.encode(), int(remap[row])) for case_id, row in index.row_of.items())
    _put_pack(sections, "ids", [case_id for case_id, _ in ids], table=True)
    sections["ids:rows"] = np.array([row for _, row in ids], dtype=np.int32)
    keys: list[tuple[bytes, NDArray[np.int64]]] = []
    for key, rows in index.postings.items():
        kept = remap[rows]
        kept = kept[kept >= 0]
        if len(kept):
            keys.append((key.encode(), np.sort(kept)))
    keys.sort(key=lambda item: item[0])
    _put_pack(sections, "keys", [key for key, _ in keys], table=True)
    starts = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(rows) for _, rows in keys], out=starts[1:])
    sections["postings:starts"] = starts
    sections["postings:rows"] = np.concatenate([rows for _, rows in keys] or [np.zeros(0, np.int64)]).astype(np.int32)
    tokens = sorted((token.encode(), count) for token, count in index.token_df.items() if count > 0)
    _put_pack(sections, "tokens", [token for token, _ in tokens], table=True)
    sections["tokens:counts"] = np.array([count for _, count in tokens], dtype=np.int32)
    header = {
        "today": index.today.isoformat(),
        "rows": n,
        "places": index.places,
        "languages": index.languages,
    }
    return sections, header


def _put_pack(
    sections: dict[str, NDArray[Any] | bytes], name: str, strings: list[str] | list[bytes], *, table: bool = False
) -> None:
    offsets, blob = pack(strings)
    sections[f"{name}:offsets"], sections[f"{name}:blob"] = offsets, blob
    if table:
        sections[f"{name}:table"] = hash_table([s.encode() if isinstance(s, str) else s for s in strings])


def _write(out: BinaryIO, header: dict[str, Any], sections: Mapping[str, NDArray[Any] | bytes]) -> None:
    """Lay the sections out after the header that places them; string offsets become file positions. The CRC is
    computed while writing and put in front last."""
    placed: dict[str, list[Any]] = {}
    at = 0  # from the start of the body
    for name, data in sections.items():
        at = _aligned(at)
        kind = "bytes" if isinstance(data, bytes) else data.dtype.str
        placed[name] = [at, len(data) if isinstance(data, bytes) else data.nbytes, kind]
        at += placed[name][1]
    header["sections"], header["body"] = placed, at
    text = json.dumps(header, separators=(",", ":")).encode()
    start = _aligned(_PREFIX.size + len(text))
    out.write(_PREFIX.pack(MAGIC, len(text), 0))
    crc = 0
    position = 0
    for chunk in _chunks(text.ljust(start - _PREFIX.size), start, sections, placed):
        out.write(chunk)
        crc = zlib.crc32(chunk, crc)
        position += len(chunk)
    out.seek(0)
    out.write(_PREFIX.pack(MAGIC, len(text), crc))


def _chunks(
    head: bytes, start: int, sections: Mapping[str, NDArray[Any] | bytes], placed: Mapping[str, list[Any]]
) -> Iterator[bytes | memoryview]:
    yield head
    position = 0
    for name, data in sections.items():
        offset, size, _ = placed[name]
        if offset > position:
            yield b"\0" * (offset - position)
        if isinstance(data, bytes):
            yield data
        elif name.endswith(":offsets"):  # into the blob that follows: as positions in the file
            yield (data + (start + placed[name.removesuffix(":offsets") + ":blob"][0])).tobytes()
        else:
            yield np.ascontiguousarray(data).data.cast("B")
        position = offset + size


def _aligned(at: int) -> int:
    return -(-at // ALIGN) * ALIGN


# -- reading ---------------------------------------------------------------------------------------------------------


def _read(mm: mmap.mmap, identity: Mapping[str, Any], stamp: Stamp) -> Loaded:
    magic, header_length, crc = _PREFIX.unpack_from(mm, 0)
    if magic != MAGIC:
        raise SnapshotUnusable("not a match index snapshot")
    try:
        header = json.loads(mm[_PREFIX.size : _PREFIX.size + header_length])
    except ValueError:
        raise SnapshotUnusable("corrupt header") from None
    if header.get("format") != FORMAT:
        raise SnapshotUnusable(f"format {header.get('format')}, this code reads {FORMAT}")
    start = _aligned(_PREFIX.size + header_length)
    if len(mm) != start + header["body"]:
        raise SnapshotUnusable(f"size {len(mm)}, the header says {start + header['body']}")
    with memoryview(mm) as view:
        if zlib.crc32(view[_PREFIX.size :]) != crc:
            raise SnapshotUnusable("checksum mismatch")
    if header["identity"] != dict(identity):
        raise SnapshotUnusable("written by other code or for another store or schema")
    sections: dict[str, NDArray[Any]] = {}
    for name, (offset, size, kind) in header["sections"].items():
        dtype = np.dtype(np.uint8 if kind == "bytes" else kind)
        array = np.frombuffer(mm, dtype=dtype, count=size // dtype.itemsize, offset=start + offset)
        if not name.startswith("col:"):
            array.flags.writeable = False  # only the columns are written to (copy-on-write)
        sections[name] = array
    rows = int(header["rows"])

    def packed(name: str) -> PackedStrings:
        return PackedStrings(sections[f"{name}:offsets"], mm, sections.get(f"{name}:table"))

    index = MatchIndex(
        today=date.fromisoformat(header["today"]),
        records=Records(packed("records")),
        row_of=CaseRows(packed("ids"), sections["ids:rows"]),
        postings=Postings(packed("keys"), sections["postings:starts"], sections["postings:rows"]),
        token_df=TokenCounts(packed("tokens"), sections["tokens:counts"]),
        places=dict(header["places"]),
        languages=dict(header["languages"]),
        columns=GrowingColumns.adopt({name: sections[f"col:{name}"] for name in NUMERIC}, rows),
        texts=TextColumns(TEXTS, {name: packed(f"text:{name}") for name in TEXTS}),
    )
    index.layout()  # grouped for nationwide searches now, not in a worker's first search
    return Loaded(index, header["state"], stamp, rows)


def try_lock(path: Path) -> int | None:
    """An exclusive ``flock`` on ``path`` kept until the returned descriptor is closed (or the process ends), or
    None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd
