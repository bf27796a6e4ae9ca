"""The unit of work outside a request: a CLI command or a worker opens one for a system principal, whose writes carry
its name, and the record rule holds for it as for anyone (national, but no confidential children)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import POLICE, seed_catalogue
from tests.services.test_cases import missing
from tests.services.test_report_found import found
from trackchild_hub.domain.errors import NotFound
from trackchild_hub.services import cases, record_rule
from trackchild_hub.services.unit import Services, Unit, system_principal
from trackchild_hub.store.models import CaseEventRow


async def test_a_system_unit_writes_under_its_name(store: Services) -> None:
    worker = system_principal("import", "cases:write")
    assert worker.has("cases:write")
    assert not worker.has("child:identity")
    async with Unit.opened(store, worker) as unit:
        row = await cases.report_found(unit, found())
    async with store.sessions() as session:
        actors = list(await session.scalars(select(CaseEventRow.actor).where(CaseEventRow.case_id == row.id)))
    assert actors == ["system:import"]


async def test_a_system_unit_meets_the_record_rule(store: Services) -> None:
    await seed_catalogue(store)
    case = missing()
    case.child.confidential = True
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, case)
    async with Unit.opened(store, system_principal("report", "cases:read")) as unit:
        with pytest.raises(NotFound):
            await record_rule.case_named(unit, row.id)
