"""Migration 0014 creates exactly the tables the models describe (both backends)."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services

TABLES = {"institution_infrastructure", "institution_inspections"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
    assert differences == []
