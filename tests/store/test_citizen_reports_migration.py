"""Migration 0009 builds exactly the citizen report tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services

TABLES = {"citizen_reports", "citizen_report_events"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync, schema=None)))
    assert tables >= TABLES
    assert differences == []
