"""Migration 0018 creates the match_weights table exactly as the model describes it (both backends)."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services

TABLES = {"match_weights"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
    assert differences == []
