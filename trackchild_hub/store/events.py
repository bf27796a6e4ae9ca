"""The case timeline: append events, read them in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType
from .models import CaseEventRow
from .models.base import utcnow


class CaseEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def append(
        self,
        case_id: str,
        type: CaseEventType,
        *,
        actor: str | None,
        note: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> CaseEventRow:
        row = CaseEventRow(
            case_id=case_id,
            at=utcnow(),
            type=type.value,
            actor=actor,
            note=note,
            data=data or {},
        )
        self.session.add(row)
        return row

    async def by_case_ids(self, ids: Sequence[str]) -> dict[str, list[CaseEventRow]]:
        rows = await self.session.scalars(
            select(CaseEventRow).where(CaseEventRow.case_id.in_(ids)).order_by(CaseEventRow.at, CaseEventRow.id)
        )
        out: dict[str, list[CaseEventRow]] = defaultdict(list)
        for row in rows:
            out[row.case_id].append(row)
        return out
