"""SQLite: a batch of case updates as one raw ``executemany`` per statement on the session's own connection.

Values are turned into the text SQLAlchemy stores (dates, UTC date-times, JSON) as the create path does
(``sqlite_bulk``). SQLite has one writer at a time, so the version read in this transaction is still the stored one;
the change count checks it all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import aiosqlite
from sqlalchemy.orm.exc import StaleDataError

from .bulk_updates import STAGE_COLUMNS, UpdateRows, stage_column
from .case_changes import CASE_COLUMNS, CHILD_COLUMNS
from .sqlite_bulk import CONVERT as _CREATE_CONVERT
from .sqlite_bulk import INSERT, converted, converter
from .stored_cases import CASES, DETAILS, detail_columns

_AT = {c: i for i, c in enumerate(STAGE_COLUMNS)}


_CONVERT = tuple(
    (i, f)
    for i, c in enumerate(STAGE_COLUMNS)
    if (column := stage_column(c)) is not None and (f := converter(column.type)) is not None
)


def _statement(
    table: str, columns: tuple[str, ...], where: dict[str, str], *, bump: bool = False
) -> tuple[str, Callable[[tuple[Any, ...]], tuple[Any, ...]]]:
    """The UPDATE of ``columns`` by ``where`` (table column: staging column), and the picker of its parameters."""
    sets = [f"{c} = ?" for c in columns] + (["version = version + 1"] if bump else [])
    sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {' AND '.join(f'{c} = ?' for c in where)}"
    return sql, itemgetter(*(_AT[c] for c in (*columns, *where.values())))


_BASE = tuple(c for c in CASE_COLUMNS if c in CASES.c)
_CASES = _statement("cases", (*_BASE, "updated_at"), {"id": "id", "version": "version"}, bump=True)
_DETAILS = {kind: _statement(t.name, detail_columns(kind), {"case_id": "id"}) for kind, t in DETAILS.items()}
_CHILDREN = _statement("children", (*CHILD_COLUMNS, "age_reported_on"), {"id": "child_id"})


class SqliteUpdates:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def update(self, rows: UpdateRows) -> None:
        c = self.connection
        stage = converted(rows.stage, _CONVERT)
        written = [r for r in stage if r[_AT["case_changed"]]]
        if written:
            before = c.total_changes
            await c.executemany(_CASES[0], [_CASES[1](r) for r in written])
            if c.total_changes - before != len(written):
                raise StaleDataError(f"{len(written) - c.total_changes + before} case(s) were changed meanwhile")
            for kind, (sql, pick) in _DETAILS.items():
                of_kind = [pick(r) for r in written if r[_AT["kind"]] == kind]
                if of_kind:
                    await c.executemany(sql, of_kind)
        children = [_CHILDREN[1](r) for r in stage if r[_AT["child_changed"]]]
        if children:
            await c.executemany(_CHILDREN[0], children)
        for table, replaced, records in (
            ("guardians", rows.replaced_guardians, rows.guardians),
            ("child_aliases", rows.replaced_aliases, rows.aliases),
        ):
            if replaced:
                await c.executemany(f"DELETE FROM {table} WHERE child_id = ?", [(r,) for r in replaced])
            if records:
                await c.executemany(INSERT[table], records)
        if rows.events:
            await c.executemany(INSERT["case_events"], converted(rows.events, _CREATE_CONVERT["case_events"]))
