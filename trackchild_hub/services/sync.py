"""Syncing a batch: one page of a connector's change feed stored together with the cursor after it, then matched.

The batch and the cursor are committed in one transaction, so a process killed at any moment resumes at the last
committed batch. Before committing, the cursor is re-read under a row lock: if another worker moved it meanwhile,
nothing is stored and the caller resumes from where that worker got to. What was created or changed is then matched
as the API's writes are (``propose``, normally ``proposals.proposer(services)``): after the commit, never undoing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..connectors.port import Records
from ..domain.geography import Geography
from ..store.case_sync import SyncOutcome, upsert_cases
from ..store.sync_cursors import read_cursor, write_cursor
from .alerts import ArrivalAlert
from .proposals import Propose


@dataclass(frozen=True, slots=True)
class BatchStored:
    outcome: SyncOutcome | None  # None: another worker had moved the cursor; nothing stored
    cursor: str | None  # where the feed is to be read from next


async def sync_batch(
    sessions: async_sessionmaker[AsyncSession],
    geography: Geography,
    connector_id: str,
    cursor: str | None,
    page: Records,
    *,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> BatchStored:
    """Store ``page`` (read from ``cursor``) as connector ``connector_id``'s, and its ``next_cursor`` with it; with
    ``alert`` (``alerts.arrival_alerter``), the missing cases new to the hub alert in the same transaction."""
    async with sessions() as session, session.begin():
        current = await read_cursor(session, connector_id, lock=True)
        if current != cursor:  # another worker got here first
            return BatchStored(None, current)
        outcome = await upsert_cases(session, page.items, geography, actor=f"sync:{connector_id}")
        if alert is not None and outcome.created_ids:
            await alert(session, outcome.created_ids)
        if page.next_cursor is not None:
            await write_cursor(session, connector_id, page.next_cursor, len(page.items))
    if propose is not None and outcome.case_ids:
        await propose(outcome.case_ids)
    return BatchStored(outcome, page.next_cursor)


async def read_sync_cursor(sessions: async_sessionmaker[AsyncSession], connector_id: str) -> str | None:
    """Where connector ``connector_id``'s feed was read up to (None: from its start)."""
    async with sessions() as session:
        return await read_cursor(session, connector_id)
