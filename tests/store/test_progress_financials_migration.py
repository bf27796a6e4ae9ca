"""Migration 0017 creates the progress_financials table exactly as the model describes it (both backends)."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services

TABLES = {"progress_financials"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
    assert differences == []
