"""Reading institutions (directory entries: ``directory``)."""

from __future__ import annotations

from ..domain.errors import NotFound
from ..domain.filters import InstitutionFilter, check_first
from ..store.institutions import InstitutionRepository
from ..store.models import InstitutionRow
from ..store.pagination import Page
from .unit import Unit


async def institution(unit: Unit, institution_id: str) -> InstitutionRow:
    row = await unit.loaders.institution_by_id.one(institution_id)
    if row is None:
        raise NotFound("no such institution")
    return row


async def institutions(unit: Unit, where: InstitutionFilter, first: int, after: str | None) -> Page[InstitutionRow]:
    check_first(first)
    page = await unit.read(lambda s: InstitutionRepository(s).page(where, first, after))
    for row in page.rows:
        unit.loaders.institution_by_id.prime(row.id, row)
    return page
