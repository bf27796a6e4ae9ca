"""The alert outbox's SQL: enqueue (each idempotency key once), claim due rows under a lease, record the outcome,
list and revive dead letters.

Claiming: PostgreSQL locks the due rows it takes with ``FOR UPDATE SKIP LOCKED`` (dispatchers in several processes
take disjoint rows without waiting on each other); SQLite has one writer at a time, so its single ``UPDATE …
RETURNING`` is the one claimer's atomic step. Either way a claimed row is ``DELIVERING`` until ``claimed_until``: a
dispatcher that dies mid-delivery (SIGKILL) leaves it so, and once the lease runs out any dispatcher claims it again
and sends it with the same idempotency key, which the gateway uses to drop the repeat.

After commit: ``enqueue`` notes on the session what it added (rule, reference, the case's place; no message, no
address), and once the session's transaction commits the hook ``on_commit`` installed on its session factory is
called with them (the live alerts feed); a rollback forgets them. So every alert enqueued through a session reaches
the hook, whoever wrote it, and never one of a write that did not commit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, event, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from ..domain.live_alerts import Enqueued
from .models.alerts import OutboxRow
from .models.base import new_id, utcnow
from .models.cases import CaseRow
from .models.children import ChildRow
from .models.directory import DirectoryEntryRow

_outbox = cast("Table", OutboxRow.__table__)
PENDING, DELIVERING, DELIVERED, DEAD = "PENDING", "DELIVERING", "DELIVERED", "DEAD"
_ENQUEUED = "outbox.enqueued"  # session.info: what this transaction enqueued
_ON_COMMIT = "outbox.on_commit"  # session.info (from the factory): called with it after the commit
log = logging.getLogger("trackchild_hub.outbox")


async def enqueue(session: AsyncSession, alerts: Sequence[dict[str, Any]]) -> int:
    """Add the alerts (the outbox's columns, ``idempotency_key`` included) whose key is new; returns how many were.
    Runs in the caller's transaction: the alerts commit, or roll back, with the event they announce.

    An alert may also carry, for the live feed only (not stored), ``state_code`` and ``district_code`` (where its
    event is; by default its case's place, or for an alert with no case the place its directory recipients share)
    and ``urgency``."""
    if not alerts:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            **{k: v for k, v in alert.items() if k in _outbox.c},
        }
        for alert in alerts
    ]
    statement = insert(_outbox).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(_outbox.c.id)
    added = {row.id for row in (await session.execute(statement, rows)).all()}
    if added and _ON_COMMIT in session.info:
        await _note(session, [(row, alert) for row, alert in zip(rows, alerts, strict=True) if row["id"] in added])
    return len(added)


async def _note(session: AsyncSession, added: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Remember what was added for the after-commit hook, with each case's place (one read for all)."""
    case_ids = {row["case_id"] for row, _ in added if row.get("case_id")}
    places: dict[str, tuple[str | None, str | None, bool]] = {}
    if case_ids:
        found = await session.execute(
            select(CaseRow.id, CaseRow.state_code, CaseRow.district_code, ChildRow.confidential)
            .join(ChildRow, ChildRow.id == CaseRow.child_id)
            .where(CaseRow.id.in_(case_ids))
        )
        places = {r.id: (r.state_code, r.district_code, r.confidential) for r in found}
    unplaced = [row for row, alert in added if not row.get("case_id") and "state_code" not in alert]
    around = await _recipients_place(session, unplaced)  # an alert that carries its place needs no read
    noted = session.info.setdefault(_ENQUEUED, [])
    for row, alert in added:
        state, district, confidential = places.get(row.get("case_id") or "", (None, None, False))
        if not row.get("case_id"):
            state, district = around.get((row["rule"], row["reference"]), (None, None))
        noted.append(
            Enqueued(
                rule=row["rule"],
                reference=row["reference"],
                case_id=row.get("case_id"),
                created_at=row["created_at"],
                state_code=alert.get("state_code", state),
                district_code=alert.get("district_code", district),
                urgency=alert.get("urgency"),
                confidential=confidential,
            )
        )


async def _recipients_place(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """For events that are no case (a district's digest, an overdue citizen report): the place their directory
    recipients share, per (rule, reference): their district, else their state, else none."""
    entry_ids = {row["recipient_entry_id"] for row in rows if row.get("recipient_entry_id")}
    if not entry_ids:
        return {}
    found = await session.execute(
        select(DirectoryEntryRow.id, DirectoryEntryRow.state_code, DirectoryEntryRow.district_code).where(
            DirectoryEntryRow.id.in_(entry_ids)
        )
    )
    entries = {r.id: (r.state_code, r.district_code) for r in found}
    shared: dict[tuple[str, str], set[tuple[str | None, str | None]]] = defaultdict(set)
    for row in rows:
        if row.get("recipient_entry_id") in entries:
            shared[(row["rule"], row["reference"])].add(entries[row["recipient_entry_id"]])
    out: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for key, places in shared.items():
        states = {state for state, _ in places}
        if len(places) == 1:
            out[key] = next(iter(places))
        elif len(states) == 1:
            out[key] = (next(iter(states)), None)
    return out


def on_commit(sessions: async_sessionmaker[AsyncSession], hook: Callable[[list[Enqueued]], None]) -> None:
    """Call ``hook`` with what each transaction of ``sessions``' sessions enqueued, right after it commits.

    ``hook`` runs inside the commit (on the event loop's thread): it must not block or do I/O, only hand the alerts
    on (``services.live_alerts``). Whatever it raises is logged, never the commit's failure: the write is done."""
    info = dict(sessions.kw.get("info") or {})
    info[_ON_COMMIT] = hook
    sessions.configure(info=info)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    noted = session.info.pop(_ENQUEUED, None)
    hook = session.info.get(_ON_COMMIT)
    if noted and hook is not None:
        try:
            hook(noted)
        except Exception:
            log.exception("the after-commit hook of the outbox failed")


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: Any) -> None:
    session.info.pop(_ENQUEUED, None)  # never announce what did not commit (a savepoint's rollback included)


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
