"""Migration 0016 creates the statistics tables (facts, monthly counts) as the models describe them (both backends)."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services

TABLES = {"stats_facts", "stats_by_place", "stats_by_child", "stats_traced_days"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
    assert differences == []
