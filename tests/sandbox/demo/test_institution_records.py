"""The seeded demo shows institution monitoring: every home has an infrastructure record and inspections, some homes
are over capacity and some have children whose records went quiet (what `make run` shows legal services)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import data, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.institution_seed import OVER_CAPACITY_HOMES, QUIET_DAYS, QUIET_HOMES
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.store.models import InfrastructureRow, InspectionRow, InstitutionRow

NALSA = Principal.for_agency(Agency.LEGAL_SERVICES, subject="nalsa-1")
STALE = """query { staleInstitutions(days: 30, first: 50) { edges { node { childrenInCare daysSinceUpdate } } } }"""
OVER = """query { overCapacityInstitutions(first: 50) {
  edges { node { childrenInCare institution { capacity registrationNumber } } } } }"""
RECORD = """query($r: String!) { institutionRecord(institution: $r) {
  infrastructure { version staff { post } } infrastructureHistory { version }
  inspections { inspectingBody findings } } }"""


async def test_the_seeded_demo_shows_institution_monitoring(store: Services) -> None:
    assert await seed_demo(store.sessions, store.geography, cases=600) is not None
    async with store.sessions() as session:
        homes = await session.scalar(select(func.count()).select_from(InstitutionRow))
        recorded = await session.scalar(select(func.count(func.distinct(InfrastructureRow.institution_id))))
        inspected = await session.scalar(select(func.count(func.distinct(InspectionRow.institution_id))))
    assert homes
    assert recorded == inspected == homes
    over = data(await run(store, OVER, None, NALSA))["overCapacityInstitutions"]["edges"]
    assert len(over) >= OVER_CAPACITY_HOMES
    assert all(e["node"]["childrenInCare"] > e["node"]["institution"]["capacity"] for e in over)
    stale = data(await run(store, STALE, None, NALSA))["staleInstitutions"]["edges"]
    assert len(stale) >= QUIET_HOMES
    assert all(e["node"]["daysSinceUpdate"] >= QUIET_DAYS for e in stale[:QUIET_HOMES])
    home = over[0]["node"]["institution"]["registrationNumber"]
    record = data(await run(store, RECORD, {"r": home}, NALSA))["institutionRecord"]
    assert record["infrastructure"]["staff"]
    assert record["inspections"]
    assert record["infrastructureHistory"][0]["version"] == record["infrastructure"]["version"]
