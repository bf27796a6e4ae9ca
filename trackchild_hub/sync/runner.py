"""``sync_connector``: pull one connector's changes since its persisted cursor and upsert them, batch by batch.

Each batch is stored by the sync use case (``services.sync.sync_batch``): the batch and the cursor after it in one
transaction, so a process killed at any moment resumes at the last committed batch: nothing is lost (the batch in
flight is fetched again) and nothing is duplicated (the upsert is keyed by source + external id). If another worker
moved the cursor meanwhile, this batch is dropped and the walk resumes from there. With ``propose``, the cases each
batch created or changed are matched as the API's writes are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..connectors.port import Connector
from ..domain.geography import Geography
from ..services.alerts import ArrivalAlert
from ..services.proposals import Propose
from ..services.sync import read_sync_cursor, sync_batch
from ..store.table_statistics import LoadStatistics

log = logging.getLogger(__name__)

PAGE_DEADLINE_S = 60.0


@dataclass(slots=True)
class SyncReport:
    connector: str
    batches: int = 0
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: int = 0  # malformed upstream records (the connector counted and dropped them)
    rejected: list[str] = field(default_factory=list)  # "external id: field …" (never values: they may name a child)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.connector}: {self.received} received in {self.batches} batches, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.dropped} malformed dropped, "
            f"{len(self.rejected)} rejected, {self.seconds:.1f} s"
        )


async def sync_connector(
    sessions: async_sessionmaker[AsyncSession],
    geography: Geography,
    connector: Connector,
    *,
    batch: int = 200,
    after_batch: Callable[[SyncReport], None] | None = None,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> SyncReport:
    report = SyncReport(connector.id)
    statistics = LoadStatistics(sessions)  # a first sync of a state is a bulk load: keep the planner informed
    started = time.monotonic()
    cursor = await read_sync_cursor(sessions, connector.id)
    while True:
        page = await connector.changes_since(cursor, limit=batch, deadline=time.monotonic() + PAGE_DEADLINE_S)
        stored = await sync_batch(sessions, geography, connector.id, cursor, page, propose=propose, alert=alert)
        outcome = stored.outcome
        if outcome is None:  # another worker got here first
            cursor = stored.cursor
            continue
        await statistics.note(outcome.written)
        report.batches += 1
        report.received += len(page.items)
        report.created += outcome.created
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged
        report.dropped += page.dropped
        report.rejected += [f"{ext}: {err.field} (kept the stored version)" for ext, err in outcome.rejected]
        report.rejected += [f"{ext or '(no id)'}: {field} malformed upstream" for ext, field in page.rejected]
        report.seconds = time.monotonic() - started
        if after_batch is not None:
            after_batch(report)
        if page.next_cursor is None:  # the feed's end: the last page is read again next time (idempotent)
            await statistics.finish()
            return report
        cursor = page.next_cursor
