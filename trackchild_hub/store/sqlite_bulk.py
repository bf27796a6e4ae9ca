"""SQLite bulk writes: one raw ``executemany`` per table on the session's own connection (no ORM, no per-row
SQLAlchemy processing), values turned into the exact text SQLAlchemy stores (dates, UTC date-times, JSON).

SQLite has one writer at a time, so a key looked up in this transaction stays free until it commits; the cases'
``ON CONFLICT DO NOTHING`` and the change count still guard the rule that one (source, external_id) is one case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import aiosqlite
from sqlalchemy import JSON, Date

from .bulk_rows import COLUMNS, TABLES, NewRows
from .bulk_target import ConcurrentWriteError, Key
from .models.base import UtcDateTime

_CHUNK = 500  # external ids per lookup: well under SQLite's bound-parameter limit


def sqlite_datetime(value: datetime) -> str:
    """As SQLAlchemy's SQLite DATETIME stores a ``UtcDateTime``: naive UTC, always with microseconds."""
    v = value.astimezone(UTC)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"


def sqlite_date(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, JSON):
        return json.dumps
    if isinstance(column_type, UtcDateTime):
        return sqlite_datetime
    if isinstance(column_type, Date):
        return sqlite_date
    return None  # text and numbers as they are; booleans are ints to sqlite3 already


CONVERT: dict[str, tuple[tuple[int, Callable[[Any], Any]], ...]] = {
    t.name: tuple((i, f) for i, c in enumerate(COLUMNS[t.name]) if (f := converter(t.c[c].type)) is not None)
    for t in TABLES
}
INSERT = {
    name: f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    for name, cols in COLUMNS.items()
}


class SqliteTarget:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def existing(self, keys: Sequence[Key]) -> dict[Key, tuple[str, str]]:
        by_source: dict[str, list[str]] = {}
        for source, external_id in keys:
            by_source.setdefault(source, []).append(external_id)
        found: dict[Key, tuple[str, str]] = {}
        # `source = ? AND external_id IN (...)` is answered from the unique index; a row-value IN is not.
        for source, ids in by_source.items():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                async with self.connection.execute(
                    f"SELECT external_id, id, reference FROM cases WHERE source = ? AND external_id IN ({marks})",
                    (source, *chunk),
                ) as cursor:
                    for external_id, case_id, reference in await cursor.fetchall():
                        found[(source, external_id)] = (case_id, reference)
        return found

    async def insert_new(self, rows: NewRows) -> None:
        for table in TABLES:
            records = rows.by_table[table.name]
            if not records:
                continue
            values = converted(records, CONVERT[table.name])
            if table.name == "cases":
                before = self.connection.total_changes
                sql = INSERT["cases"] + " ON CONFLICT (source, external_id) DO NOTHING"
                await self.connection.executemany(sql, values)
                moved = self.connection.total_changes - before
                if moved != len(values):
                    raise ConcurrentWriteError(f"{len(values) - moved} of {len(values)} cases were stored meanwhile")
            else:
                await self.connection.executemany(INSERT[table.name], values)

    async def analyze(self, tables: Sequence[str]) -> None:
        # A bounded sample per index (as PRAGMA optimize does), so a large table costs milliseconds, not a scan.
        await self.connection.execute("PRAGMA analysis_limit=1000")
        for table in tables:
            await self.connection.execute(f"ANALYZE {table}")

    async def analyze_columns(self, table: str, columns: Sequence[str]) -> None:
        await self.analyze([table])  # SQLite analyses indexes, each already from a bounded sample


def converted(
    records: list[tuple[Any, ...]], convert: tuple[tuple[int, Callable[[Any], Any]], ...]
) -> list[tuple[Any, ...]]:
    # Most converted values repeat within a batch (the batch's own timestamp, event dates, empty lists): convert
    # each distinct one once.
    done: dict[tuple[int, Any], Any] = {}
    out = []
    for record in records:
        values = list(record)
        for i, f in convert:
            value = values[i]
            if value is None:
                continue
            if value.__class__ is list or value.__class__ is dict:
                values[i] = f(value) if value else ("[]" if value.__class__ is list else "{}")
                continue
            key = (i, value)
            text = done.get(key)
            if text is None:
                text = done[key] = f(value)
            values[i] = text
        out.append(tuple(values))
    return out
