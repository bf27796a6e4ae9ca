"""Match proposals: written each pair once, whoever proposes it first, and never over a reviewer's decision; read
for review (a pair's stored proposal, the statuses of a case's pairs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models import MatchProposalRow
from .models.base import utcnow

_proposals = cast("Table", MatchProposalRow.__table__)


async def insert_new_proposals(session: AsyncSession, proposals: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store the proposals (``id``, ``missing_case_id``, ``other_case_id``, ``score``, ``band``, ``factors``) whose
    pair is not stored yet; returns those that were. ``INSERT … ON CONFLICT DO NOTHING``: another round or process
    writing the same pair meanwhile is no error, and a reviewed proposal is left as the reviewer left it."""
    if not proposals:
        return []
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [{**p, "status": "PROPOSED", "created_at": now} for p in proposals]
    statement = insert(_proposals).on_conflict_do_nothing().returning(_proposals.c.id)
    stored = set((await session.execute(statement, rows)).scalars())
    return [p for p in proposals if p["id"] in stored]


async def proposal_statuses(session: AsyncSession, case_id: str) -> dict[str, str]:
    """The status of every stored proposal that pairs ``case_id``, by pair id."""
    rows = await session.execute(
        select(MatchProposalRow.id, MatchProposalRow.status).where(
            (MatchProposalRow.missing_case_id == case_id) | (MatchProposalRow.other_case_id == case_id)
        )
    )
    return {row.id: row.status for row in rows}


async def proposal_to_review(session: AsyncSession, pair: str, missing_id: str, other_id: str) -> MatchProposalRow:
    """The stored proposal of ``pair``, or a new one added to the session (a reviewer may judge any pair they see)."""
    proposal = await session.get(MatchProposalRow, pair)
    if proposal is None:
        proposal = MatchProposalRow(id=pair, missing_case_id=missing_id, other_case_id=other_id, score=0.0, factors=[])
        session.add(proposal)
    return proposal
