"""Does a migration build its tables exactly as the models describe them? What alembic's autogenerate would still
change in ``tables`` (their columns, types, indexes and constraints): an empty list when the migration is right."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from trackchild_hub.store.models import Base


def model_differences(conn: Connection, tables: Collection[str]) -> list[Any]:
    """For ``conn.run_sync(model_differences, tables)``."""

    def table_of(obj: Any, name: str | None, kind: str) -> str | None:
        return name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)

    context = MigrationContext.configure(
        conn,
        opts={
            "include_name": lambda name, kind, parent: kind != "table" or name in tables,
            "include_object": lambda obj, name, kind, reflected, other: table_of(obj, name, kind) in tables,
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, Base.metadata))
