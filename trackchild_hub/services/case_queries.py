"""Reading cases: one by id or reference, or a page of the store's (live records: ``resolvers.federated_cases``)."""

from __future__ import annotations

from ..auth.scopes import Scope
from ..domain.errors import BadUserInput
from ..domain.filters import CaseFilter, check_first
from ..store.case_records import CaseRecord, CaseShown
from ..store.cases import NO_JOINS, CaseRepository, Joins
from ..store.pagination import Page
from .record_rule import case_named, scoped_cases
from .unit import Unit


async def case(unit: Unit, *, id: str | None, reference: str | None) -> CaseShown:
    if (id is None) == (reference is None):
        raise BadUserInput("id", "give either id or reference")
    return await case_named(unit, id, reference=reference)


async def cases(
    unit: Unit, where: CaseFilter, first: int, after: str | None, joins: Joins = NO_JOINS
) -> Page[CaseRecord]:
    """One statement for the page and the to-one relations in ``joins``; ``loaders.shown`` holds them for the fields."""
    where.check()
    check_first(first)
    if where.name:
        # Searching by name reveals who is in the store: identity data (an argument's scope, not the operation's).
        unit.require(Scope.CHILD_IDENTITY.value)
    where = scoped_cases(unit, where)
    read = await unit.read(lambda s: CaseRepository(s).page(where, first, after, unit.today, joins))
    unit.loaders.shown.update(read.related)
    return read.page
