"""Migration 0015 builds exactly the workflow's tables as the models declare them, with a lease row per rule (both
backends)."""

from __future__ import annotations

from sqlalchemy import select

from tests.store.migration_check import model_differences
from trackchild_hub.domain.workflow_rules import WorkflowRule
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import WorkflowLeaseRow

TABLES = {"risk_assessments", "ahtu_escalations", "ahtu_reports", "checklist_ticks", "workflow_leases", "missing_cases"}


async def test_migration_matches_the_models(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, TABLES)
    assert differences == []


async def test_every_rule_has_its_lease_row_from_the_migration(store: Services) -> None:
    async with store.sessions() as session:
        names = set(await session.scalars(select(WorkflowLeaseRow.name)))
    assert names == {rule.value for rule in WorkflowRule}
