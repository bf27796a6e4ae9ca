"""Writing match proposals: each pair once, whoever proposes it first, and never over a reviewer's decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import MatchProposalRow
from .models.base import utcnow

_proposals = cast("Table", MatchProposalRow.__table__)


async def insert_new_proposals(session: AsyncSession, proposals: Sequence[dict[str, Any]]) -> int:
    """Store the proposals (``id``, ``missing_case_id``, ``other_case_id``, ``score``, ``band``, ``factors``) whose
    pair is not stored yet; returns how many were. ``INSERT … ON CONFLICT DO NOTHING``: another round or process
    writing the same pair meanwhile is no error, and a reviewed proposal is left as the reviewer left it."""
    if not proposals:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [{**p, "status": "PROPOSED", "created_at": now} for p in proposals]
    statement = insert(_proposals).on_conflict_do_nothing().returning(_proposals.c.id)
    return len((await session.execute(statement, rows)).all())
