"""PostgreSQL bulk writes: ``COPY`` (asyncpg's binary ``copy_records_to_table``) and set-based statements.

New cases were looked up by their natural key (``source``, ``external_id``) in the same transaction, and children,
guardians, aliases, details and events have fresh keys, so every row is copied straight into its table. Should a
concurrent writer have stored one of the keys meanwhile, the unique constraint stops the COPY and the batch is redone
(its rows are then found as present). Copying cases through a staging table and ``INSERT ... SELECT ... ON CONFLICT``
instead cost a third more on the cases table (measured: 3.1 s against 2.3 s for 20,000 cases) for the same outcome.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON

from .bulk_rows import COLUMNS, TABLES, NewRows
from .bulk_target import ConcurrentWriteError, Key

# Per table: positions of the JSON columns (asyncpg's json codec takes text; SQLAlchemy writes json.dumps' text).
_JSON_AT: dict[str, tuple[int, ...]] = {
    t.name: tuple(i for i, c in enumerate(COLUMNS[t.name]) if isinstance(t.c[c].type, JSON)) for t in TABLES
}


class PostgresTarget:
    def __init__(self, connection: Any) -> None:  # asyncpg.Connection (asyncpg ships no type hints)
        self.connection = connection

    async def existing(self, keys: Sequence[Key]) -> dict[Key, tuple[str, str]]:
        if not keys:
            return {}
        rows = await self.connection.fetch(
            "SELECT c.source, c.external_id, c.id, c.reference FROM cases c"
            " JOIN unnest($1::text[], $2::text[]) AS k(source, external_id)"
            " ON c.source = k.source AND c.external_id = k.external_id",
            [s for s, _ in keys],
            [e for _, e in keys],
        )
        return {(r[0], r[1]): (r[2], r[3]) for r in rows}

    async def insert_new(self, rows: NewRows) -> None:
        for table in TABLES:
            records = rows.by_table[table.name]
            if not records:
                continue
            records = encoded_json(records, _JSON_AT[table.name])
            if table.name == "cases":
                await self._insert_cases(records)
            else:
                await self.connection.copy_records_to_table(
                    table.name, records=records, columns=list(COLUMNS[table.name])
                )

    async def _insert_cases(self, records: list[tuple[Any, ...]]) -> None:
        try:
            await self.connection.copy_records_to_table("cases", records=records, columns=list(COLUMNS["cases"]))
        except Exception as exc:  # asyncpg.UniqueViolationError (asyncpg ships no type hints)
            if getattr(exc, "constraint_name", None) == "uq_cases_source_external_id":
                raise ConcurrentWriteError("a case of this batch was stored meanwhile") from exc
            raise

    async def analyze(self, tables: Sequence[str]) -> None:
        await self.connection.execute("ANALYZE " + ", ".join(tables))

    async def analyze_columns(self, table: str, columns: Sequence[str]) -> None:
        await self.connection.execute(f"ANALYZE {table} ({', '.join(columns)})")


def encoded_json(records: list[tuple[Any, ...]], json_at: tuple[int, ...]) -> list[tuple[Any, ...]]:
    if not json_at:
        return records
    dumps: Callable[[Any], str] = json.dumps
    out = []
    for record in records:
        values = list(record)
        for i in json_at:
            value = values[i]
            values[i] = dumps(value) if value else ("[]" if value.__class__ is list else "{}")
        out.append(tuple(values))
    return out
