"""The photos table: what is known of each stored photo (the bytes are in the file store), newest first per case."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import PhotoRow


class PhotoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: PhotoRow) -> None:
        self.session.add(row)

    async def newest_by_case_ids(self, case_ids: Sequence[str], *, published: bool = False) -> dict[str, PhotoRow]:
        """Each case's newest photo (with ``published``: newest the officer consented to publish); absent: none."""
        stmt = select(PhotoRow).where(PhotoRow.case_id.in_(case_ids))
        if published:
            stmt = stmt.where(PhotoRow.publish.is_(True))
        rows = await self.session.scalars(stmt.order_by(PhotoRow.created_at.desc(), PhotoRow.id.desc()))
        newest: dict[str, PhotoRow] = {}
        for row in rows:
            newest.setdefault(row.case_id, row)
        return newest
