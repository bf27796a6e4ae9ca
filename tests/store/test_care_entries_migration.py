"""Migration 0013 builds exactly the e-file table the model declares (store/models/care.py), SQLite and PostgreSQL."""

from __future__ import annotations

from tests.store.migration_check import model_differences
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models.care import CareEntryRow

TABLES = {CareEntryRow.__tablename__}  # importing the model registers it on Base.metadata


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
        tables = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync, schema=None)))
    assert tables >= TABLES
    assert differences == []
