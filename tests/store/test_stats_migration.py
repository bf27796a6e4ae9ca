"""Migration 0016 creates the statistics tables (facts, monthly counts) as the models describe them (both backends)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import Base

TABLES = {"stats_facts", "stats_by_place", "stats_by_child", "stats_traced_days"}


def _differences(conn: Connection) -> list[Any]:
    def table_of(obj: Any, name: str | None, kind: str) -> str | None:
        return name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)

    context = MigrationContext.configure(
        conn,
        opts={
            "include_name": lambda name, kind, parent: kind != "table" or name in TABLES,
            "include_object": lambda obj, name, kind, reflected, other: table_of(obj, name, kind) in TABLES,
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []
