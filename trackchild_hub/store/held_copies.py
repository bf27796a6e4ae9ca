"""Which live records the store holds a copy of (synced or imported under the same source and external id)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.records import CaseData
from .models import CaseRow


async def held_copies(session: AsyncSession, cases: Sequence[CaseData]) -> set[tuple[str, str]]:
    """(source, external id) of the ``cases`` the store holds a copy of: one statement for every source."""
    wanted: dict[str, list[str]] = {}
    for case in cases:
        wanted.setdefault(case.source, []).append(case.external_id or "")
    query = select(CaseRow.source, CaseRow.external_id).where(
        or_(*(and_(CaseRow.source == source, CaseRow.external_id.in_(ids)) for source, ids in wanted.items()))
    )
    return {(s, e) for s, e in await session.execute(query)}
