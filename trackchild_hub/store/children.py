"""Batch reads of children and what hangs off them, keyed for DataLoaders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ChildAliasRow, ChildRow, GuardianRow


class ChildRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_ids(self, ids: Sequence[str]) -> dict[str, ChildRow]:
        rows = await self.session.scalars(select(ChildRow).where(ChildRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def guardians_by_child_ids(self, ids: Sequence[str]) -> dict[str, list[GuardianRow]]:
        rows = await self.session.scalars(
            select(GuardianRow).where(GuardianRow.child_id.in_(ids)).order_by(GuardianRow.position)
        )
        out: dict[str, list[GuardianRow]] = defaultdict(list)
        for row in rows:
            out[row.child_id].append(row)
        return out

    async def aliases_by_child_ids(self, ids: Sequence[str]) -> dict[str, list[str]]:
        rows = await self.session.execute(
            select(ChildAliasRow.child_id, ChildAliasRow.alias)
            .where(ChildAliasRow.child_id.in_(ids))
            .order_by(ChildAliasRow.position)
        )
        out: dict[str, list[str]] = defaultdict(list)
        for child_id, alias in rows:
            out[child_id].append(alias)
        return out
