"""The photos table: what is known of each stored photo (the bytes are in the file store), newest first per owner."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import PhotoRow


class PhotoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: PhotoRow) -> None:
        self.session.add(row)

    async def newest_by_case_ids(self, case_ids: Sequence[str], *, published: bool = False) -> dict[str, PhotoRow]:
        """Each case's newest photo (with ``published``: newest the officer consented to publish); absent: none."""
        where: list[ColumnElement[bool]] = [PhotoRow.case_id.in_(case_ids)]
        if published:
            where.append(PhotoRow.publish.is_(True))
        return {row.case_id or "": row for row in await self._newest(where, by_report=False)}

    async def newest_by_report_ids(self, report_ids: Sequence[str]) -> dict[str, PhotoRow]:
        """Each citizen report's newest photo (the one sent with it)."""
        rows = await self._newest([PhotoRow.citizen_report_id.in_(report_ids)], by_report=True)
        return {row.citizen_report_id or "": row for row in rows}

    async def give_to_case(self, report_id: str, case_id: str) -> None:
        """A family's report became ``case_id``: the photo sent with it is the case's photo too (not published)."""
        await self.session.execute(
            update(PhotoRow).where(PhotoRow.citizen_report_id == report_id).values(case_id=case_id)
        )

    async def unpublish(self, case_id: str) -> int:
        """No photo of the case is shown on its notice any more; how many were."""
        result = await self.session.execute(
            update(PhotoRow).where(PhotoRow.case_id == case_id, PhotoRow.publish.is_(True)).values(publish=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def _newest(self, where: list[ColumnElement[bool]], *, by_report: bool) -> list[PhotoRow]:
        stmt = select(PhotoRow).where(*where).order_by(PhotoRow.created_at.desc(), PhotoRow.id.desc())
        newest: dict[str | None, PhotoRow] = {}
        for row in await self.session.scalars(stmt):
            newest.setdefault(row.citizen_report_id if by_report else row.case_id, row)
        return list(newest.values())
