"""The matcher's stored weights: written once per training run, the newest read by every hub (``MatchService``).

A version names a run: ``<trained_at, UTC, to the second>#<number>``; the number (the row's key) orders them, so the
newest is one index seek, cheap enough to check at every index refresh."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import MatchProposalRow, MatchWeightsRow


@dataclass(frozen=True, slots=True)
class StoredWeights:
    number: int
    version: str
    trained_at: datetime
    weights: dict[str, Any]  # as matching.weights.Weights.to_json() wrote them (its "version" is the row's)
    report: dict[str, Any]


async def add_weights(
    session: AsyncSession, weights: dict[str, Any], report: dict[str, Any], trained_at: datetime
) -> StoredWeights:
    """Store a training run's weights as the newest version (the caller commits)."""
    row = MatchWeightsRow(version=f"pending-{os.urandom(8).hex()}", trained_at=trained_at, weights={}, report=report)
    session.add(row)
    await session.flush()  # the number: the version names it
    row.version = f"{trained_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}#{row.number}"
    row.weights = {**weights, "version": row.version}
    await session.flush()
    return _stored(row)


async def newest_weights(session: AsyncSession) -> StoredWeights | None:
    row = await session.scalar(select(MatchWeightsRow).order_by(MatchWeightsRow.number.desc()).limit(1))
    return None if row is None else _stored(row)


async def newest_version(session: AsyncSession) -> str | None:
    """The newest version's name alone (None: never trained)."""
    query = select(MatchWeightsRow.version).order_by(MatchWeightsRow.number.desc()).limit(1)
    version: str | None = await session.scalar(query)
    return version


def _stored(row: MatchWeightsRow) -> StoredWeights:
    """``ValueError`` when the weights are not a JSON object (a row edited by hand); a damaged report (never read
    back to score) is read as empty."""
    if not isinstance(row.weights, dict):
        raise ValueError(f"weights are a JSON {type(row.weights).__name__}, not an object")
    report = dict(row.report) if isinstance(row.report, dict) else {}
    return StoredWeights(row.number, row.version, row.trained_at, dict(row.weights), report)


async def reviewed_pairs(session: AsyncSession) -> dict[tuple[str, str], bool]:
    """Every pair a reviewer decided, (missing case id, other case id): True confirmed, False rejected."""
    rows = await session.execute(
        select(MatchProposalRow.missing_case_id, MatchProposalRow.other_case_id, MatchProposalRow.status)
        .where(MatchProposalRow.status.in_(("CONFIRMED", "REJECTED")))
        .order_by(MatchProposalRow.id)
    )
    return {(missing, other): status == "CONFIRMED" for missing, other, status in rows}
