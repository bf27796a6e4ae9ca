"""Reading institutions (``services.catalogue``) with a unit of work: one by id, or a page; unknown is NOT_FOUND."""

from __future__ import annotations

import pytest

from tests.factories import seed_catalogue
from trackchild_hub.auth.principal import Principal
from trackchild_hub.domain.errors import NotFound
from trackchild_hub.domain.filters import InstitutionFilter
from trackchild_hub.services import catalogue
from trackchild_hub.services.unit import Services, Unit


async def test_institutions_page_and_one_by_id(store: Services) -> None:
    await seed_catalogue(store, institutions=3)
    async with Unit.opened(store, Principal.public()) as unit:
        page = await catalogue.institutions(unit, InstitutionFilter(), 2, None)
        first = await catalogue.institution(unit, page.rows[0].id)
        with pytest.raises(NotFound):
            await catalogue.institution(unit, "no-such-institution")
    assert len(page.rows) == 2
    assert first is page.rows[0]  # primed by the page: read once
