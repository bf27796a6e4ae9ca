"""Reading cases (``services.case_queries``) with a unit of work: the record rule confines pages and single cases to the
caller's jurisdiction, and searching by name needs the identity scope."""

from __future__ import annotations

import pytest

from tests.factories import BIHAR, POLICE, seed_catalogue
from tests.services.test_cases import missing
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.errors import BadUserInput, Forbidden, NotFound
from trackchild_hub.domain.filters import CaseFilter
from trackchild_hub.services import case_queries, cases
from trackchild_hub.services.unit import Services, Unit


async def test_a_page_and_a_case_are_the_callers_only(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await cases.report_missing(unit, missing())
    async with Unit.opened(store, POLICE) as unit:
        page = await case_queries.cases(unit, CaseFilter(), 10, None)
        by_reference = await case_queries.case(unit, id=None, reference=row.reference.lower())
        with pytest.raises(BadUserInput):
            await case_queries.case(unit, id=row.id, reference=row.reference)
    assert [r.id for r in page.rows] == [row.id]
    assert by_reference.id == row.id
    elsewhere = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)
    async with Unit.opened(store, elsewhere) as unit:
        assert (await case_queries.cases(unit, CaseFilter(), 10, None)).rows == []
        with pytest.raises(NotFound):
            await case_queries.case(unit, id=row.id, reference=None)


async def test_searching_by_name_needs_the_identity_scope(store: Services) -> None:
    async with Unit.opened(store, Principal.for_agency(Agency.NGO, subject="ngo-1")) as unit:
        with pytest.raises(Forbidden):
            await case_queries.cases(unit, CaseFilter(name="Rahul"), 10, None)
