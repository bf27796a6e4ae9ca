"""Reading and writing Child Care Institutions; occupancy counted from open care cases."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseStatus
from ..domain.filters import InstitutionFilter
from .cases import search_tokens
from .models import CareCaseRow, InstitutionRow
from .pagination import Page, decode_cursor, encode_cursor


class InstitutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_ids(self, ids: Sequence[str]) -> dict[str, InstitutionRow]:
        rows = await self.session.scalars(select(InstitutionRow).where(InstitutionRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def by_reference(self, reference: str) -> InstitutionRow | None:
        """By id or by registration number."""
        result = await self.session.scalars(
            select(InstitutionRow).where(
                or_(InstitutionRow.id == reference, InstitutionRow.registration_number == reference)
            )
        )
        return result.first()

    async def occupancy(self, ids: Sequence[str]) -> dict[str, int]:
        """Children living in each institution now: open care cases without an exit date."""
        rows = await self.session.execute(
            select(CareCaseRow.institution_id, func.count())
            .where(
                CareCaseRow.institution_id.in_(ids),
                CareCaseRow.status == CaseStatus.OPEN.value,
                CareCaseRow.exit_date.is_(None),
            )
            .group_by(CareCaseRow.institution_id)
        )
        counts = {key: value for key, value in rows}  # noqa: C416 - dict(Result) reads it as a mapping
        return {i: int(counts.get(i, 0)) for i in ids}

    async def page(self, where: InstitutionFilter, first: int, after: str | None) -> Page[InstitutionRow]:
        stmt = select(InstitutionRow)
        if where.state:
            stmt = stmt.where(InstitutionRow.state_code == where.state)
        if where.district:
            stmt = stmt.where(InstitutionRow.district_code == where.district)
        for token in search_tokens(where.name or ""):
            stmt = stmt.where(func.lower(InstitutionRow.name).contains(token, autoescape=True))
        if after is not None:
            name, last_id = decode_cursor(after, 2)
            stmt = stmt.where(
                or_(InstitutionRow.name > name, and_(InstitutionRow.name == name, InstitutionRow.id > last_id))
            )
        rows = list(await self.session.scalars(stmt.order_by(InstitutionRow.name, InstitutionRow.id).limit(first + 1)))
        rows, has_next = rows[:first], len(rows) > first
        return Page(rows, has_next, [encode_cursor(r.name, r.id) for r in rows])
