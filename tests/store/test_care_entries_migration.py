"""Migration 0013 builds exactly the e-file table the model declares (store/models/care.py), SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import Base
from trackchild_hub.store.models.care import CareEntryRow

TABLES = {CareEntryRow.__tablename__}  # importing the model registers it on Base.metadata


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        conn,
        opts={
            "include_name": lambda name, kind, parent: kind != "table" or name in TABLES,
            "include_object": lambda obj, name, kind, reflected, other: _table_of(obj, name, kind) in TABLES,
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, Base.metadata))


def _table_of(obj: Any, name: str | None, kind: str) -> str | None:
    return name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync, schema=None)))
    assert tables >= TABLES
    assert differences == []
