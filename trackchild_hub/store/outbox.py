"""The alert outbox's SQL: enqueue (each idempotency key once), claim due rows under a lease, record the outcome,
list and revive dead letters.

Claiming: PostgreSQL locks the due rows it takes with ``FOR UPDATE SKIP LOCKED`` (dispatchers in several processes
take disjoint rows without waiting on each other); SQLite has one writer at a time, so its single ``UPDATE …
RETURNING`` is the one claimer's atomic step. Either way a claimed row is ``DELIVERING`` until ``claimed_until``: a
dispatcher that dies mid-delivery (SIGKILL) leaves it so, and once the lease runs out any dispatcher claims it again
and sends it with the same idempotency key, which the gateway uses to drop the repeat.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .models.alerts import OutboxRow
from .models.base import new_id, utcnow

_outbox = cast("Table", OutboxRow.__table__)
PENDING, DELIVERING, DELIVERED, DEAD = "PENDING", "DELIVERING", "DELIVERED", "DEAD"


async def enqueue(session: AsyncSession, alerts: Sequence[dict[str, Any]]) -> int:
    """Add the alerts (the outbox's columns, ``idempotency_key`` included) whose key is new; returns how many were.
    Runs in the caller's transaction: the alerts commit, or roll back, with the event they announce."""
    if not alerts:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [
        {"id": new_id(), "status": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now, **alert}
        for alert in alerts
    ]
    statement = insert(_outbox).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(_outbox.c.id)
    return len((await session.execute(statement, rows)).all())


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == DELIVERING, OutboxRow.claimed_until < now),  # its claimer died: the lease ran out
    )


async def claim(
    session: AsyncSession, claimer: str, limit: int, lease: timedelta, channels: Collection[str] | None = None
) -> list[OutboxRow]:
    """Take up to ``limit`` due rows (of ``channels``, if given) for ``claimer`` until now + ``lease`` (commit to
    make the claim hold)."""
    now = utcnow()
    due = select(OutboxRow.id).where(_due(now))
    if channels is not None:
        due = due.where(OutboxRow.channel.in_(list(channels)))
    due = due.order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # A materialised CTE: PostgreSQL runs the locking, limited select once (as an IN subquery it may run it again
    # for the join and take more than ``limit`` rows).
    taken = due.cte("taken").prefix_with("MATERIALIZED", dialect="postgresql")
    statement = (
        update(OutboxRow)
        .where(OutboxRow.id == taken.c.id, _due(now))
        .values(status=DELIVERING, claimed_by=claimer, claimed_until=now + lease, attempts=OutboxRow.attempts + 1)
        .returning(OutboxRow)
        .execution_options(synchronize_session=False)
    )
    return list((await session.scalars(statement)).all())


async def delivered(session: AsyncSession, row_id: str, claimer: str) -> bool:
    """Mark a row delivered, if ``claimer`` still holds it (False: its lease ran out and another took it)."""
    result = await session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == row_id, OutboxRow.claimed_by == claimer, OutboxRow.status == DELIVERING)
        .values(status=DELIVERED, delivered_at=utcnow(), claimed_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def failed(session: AsyncSession, row_id: str, claimer: str, error: str, retry_at: datetime | None) -> bool:
    """Record a failed attempt: due again at ``retry_at``, or a dead letter when None."""
    values: dict[str, Any] = {"last_error": error[:200], "claimed_until": None}
    values |= {"status": PENDING, "next_attempt_at": retry_at} if retry_at is not None else {"status": DEAD}
    result = await session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == row_id, OutboxRow.claimed_by == claimer, OutboxRow.status == DELIVERING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def dead_letters(session: AsyncSession, limit: int = 100) -> list[OutboxRow]:
    """Dead letters, oldest first."""
    rows = await session.scalars(
        select(OutboxRow).where(OutboxRow.status == DEAD).order_by(OutboxRow.created_at, OutboxRow.id).limit(limit)
    )
    return list(rows)


async def revive(session: AsyncSession, row_id: str) -> bool:
    """A dead letter due again now, with a fresh count of attempts; False if ``row_id`` is no dead letter."""
    result = await session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == row_id, OutboxRow.status == DEAD)
        .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def counts(session: AsyncSession) -> dict[str, int]:
    """How many rows of each status."""
    rows = await session.execute(select(OutboxRow.status, func.count().label("n")).group_by(OutboxRow.status))
    return {row.status: row.n for row in rows}
