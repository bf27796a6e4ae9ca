"""PostgreSQL: a batch of case updates as ``COPY`` into a temporary staging table and one ``UPDATE ... FROM`` per table.

The staging table takes its column types from the tables it feeds (``CREATE TEMP TABLE ... AS SELECT ... WITH NO
DATA``) and is dropped when the batch is written (``ON COMMIT DROP`` should the transaction end first). Guardians and
aliases that changed are replaced (one ``DELETE`` each, then ``COPY``), and the UPDATED events are copied in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm.exc import StaleDataError

from .bulk_rows import COLUMNS
from .bulk_updates import STAGE_COLUMNS, UpdateRows, stage_column
from .case_changes import CASE_COLUMNS, CHILD_COLUMNS
from .pg_copy import encoded_json
from .stored_cases import CASES, DETAILS, detail_columns

_STAGE = "sync_stage"


def _source(column: str) -> str:
    """The table.column a staging column takes its type from."""
    c = stage_column(column)
    return "true" if c is None else f"{c.table.name}.{c.name}"


def _is_json(column: str) -> bool:
    c = stage_column(column)
    return c is not None and isinstance(c.type, JSON)


_CREATE = (
    f"CREATE TEMP TABLE {_STAGE} ON COMMIT DROP AS SELECT "
    + ", ".join(f"{_source(c)} AS {c}" for c in STAGE_COLUMNS)
    + " FROM cases, children, "
    + ", ".join(t.name for t in DETAILS.values())
    + " WITH NO DATA"
)
_JSON_AT = tuple(i for i, c in enumerate(STAGE_COLUMNS) if _is_json(c))
_BASE = [c for c in CASE_COLUMNS if c in CASES.c]
_UPDATE_CASES = (
    "UPDATE cases AS t SET "
    + ", ".join(f"{c} = s.{c}" for c in (*_BASE, "updated_at"))
    + f", version = t.version + 1 FROM {_STAGE} AS s WHERE s.case_changed AND t.id = s.id AND t.version = s.version"
)
_UPDATE_DETAILS = [
    f"UPDATE {table.name} AS t SET "
    + ", ".join(f"{c} = s.{c}" for c in detail_columns(kind))
    + f" FROM {_STAGE} AS s WHERE s.case_changed AND s.kind = '{kind}' AND t.case_id = s.id"
    for kind, table in DETAILS.items()
]
_UPDATE_CHILDREN = (
    "UPDATE children AS t SET "
    + ", ".join(f"{c} = s.{c}" for c in (*CHILD_COLUMNS, "age_reported_on"))
    + f" FROM {_STAGE} AS s WHERE s.child_changed AND t.id = s.child_id"
)


class PostgresUpdates:
    def __init__(self, connection: Any) -> None:  # asyncpg.Connection (asyncpg ships no type hints)
        self.connection = connection

    async def update(self, rows: UpdateRows) -> None:
        c = self.connection
        if rows.stage:
            await c.execute(_CREATE)
            await c.copy_records_to_table(
                _STAGE, records=encoded_json(rows.stage, _JSON_AT), columns=list(STAGE_COLUMNS)
            )
            status: str = await c.execute(_UPDATE_CASES)
            if int(status.split()[-1]) != rows.cases:
                raise StaleDataError(f"{rows.cases - int(status.split()[-1])} case(s) were changed meanwhile")
            for statement in _UPDATE_DETAILS:
                await c.execute(statement)
            await c.execute(_UPDATE_CHILDREN)
            await c.execute(f"DROP TABLE {_STAGE}")
        for table, replaced, records in (
            ("guardians", rows.replaced_guardians, rows.guardians),
            ("child_aliases", rows.replaced_aliases, rows.aliases),
        ):
            if replaced:
                await c.execute(f"DELETE FROM {table} WHERE child_id = ANY($1::text[])", replaced)
            if records:
                await c.copy_records_to_table(table, records=records, columns=list(COLUMNS[table]))
        if rows.events:
            events = encoded_json(rows.events, (COLUMNS["case_events"].index("data"),))
            await c.copy_records_to_table("case_events", records=events, columns=list(COLUMNS["case_events"]))
