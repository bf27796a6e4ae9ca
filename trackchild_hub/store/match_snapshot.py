"""What a match index snapshot is checked against before a process trusts it: the schema's migration and the case
at the position it was read up to (gone: the store was replaced or emptied under the data folder)."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .models import CaseRow


async def schema_revision(session: AsyncSession) -> str:
    """The Alembic revision the store is at ("" before the first migration)."""
    revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
    return str(revision or "")


async def holds_case(session: AsyncSession, case_id: str) -> bool:
    return await session.scalar(select(CaseRow.id).where(CaseRow.id == case_id)) is not None


async def open_cases(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).where(CaseRow.status == "OPEN")) or 0)
