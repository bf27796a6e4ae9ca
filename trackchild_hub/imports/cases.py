"""``trackchild-hub import cases FILE.jsonl``: exchange records in, line-numbered errors out.

Valid lines are stored in batches (one transaction each), invalid ones are reported and skipped; a rerun of the same
file stores nothing new (idempotent by ``source`` + ``external_id``). A crash loses at most the batch in flight,
and a rerun completes it.

Batches go through the bulk path (``store.bulk_cases``: ``COPY`` on PostgreSQL, raw ``executemany`` on SQLite), and
the hub refreshes the planner's statistics of the tables the load grew (``store.table_statistics``).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.exchange import parse_exchange_record
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..domain.validation import validate_case
from ..services.alerts import ArrivalAlert
from ..services.proposals import Propose
from ..store.bulk_cases import create_cases_in_bulk
from ..store.bulk_target import ConcurrentWriteError
from ..store.table_statistics import AnalyzePolicy, LoadStatistics
from .line_errors import LineError

BATCH = 5000
RETRIES = 3  # a batch redone after a concurrent writer stored some of its keys first
# Lines parsed between turns of the event loop. The batch being written waits for the parser's next turn after each
# answer of the database (a few dozen round trips a batch): every 200 lines, that wait made the write of a batch, not
# the parsing, the import's slowest step (PostgreSQL, 20,000 lines: 5,900 records/s; every 8 lines: 7,000).
_YIELD_EVERY = 8


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return self.created + self.unchanged + len(self.errors)


async def import_cases(
    sessions: async_sessionmaker[AsyncSession],
    lines: Iterable[str],
    geography: Geography,
    today: date,
    *,
    actor: str = "import",
    batch_size: int = BATCH,
    analyze: AnalyzePolicy | None = None,
    on_batch: Callable[[ImportReport], None] | None = None,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> ImportReport:
    """``on_batch`` sees the report after each committed batch: what it counts is stored. ``propose`` (the match
    proposal use case, ``services.proposals.proposer``) is handed each committed batch's new cases, as the API's are.
    ``alert`` (``services.alerts.arrival_alerter``) enqueues, in each batch's transaction, the new-case alerts of the
    recent missing cases it created (historic ones alert nobody; ``import cases --no-alerts``: none)."""
    report = ImportReport()
    statistics = LoadStatistics(sessions, analyze or AnalyzePolicy())
    with _cyclic_gc_paused():
        await _run(sessions, lines, geography, today, actor, batch_size, report, statistics, on_batch, propose, alert)
    await statistics.finish()
    report.errors.sort(key=lambda e: e.line)
    return report


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A load allocates millions of objects that live for a batch, and the cyclic collector rescans them again and
    again (a quarter of an import's time, measured). They form no cycles: reference counting frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _run(
    sessions: async_sessionmaker[AsyncSession],
    lines: Iterable[str],
    geography: Geography,
    today: date,
    actor: str,
    batch_size: int,
    report: ImportReport,
    statistics: LoadStatistics,
    on_batch: Callable[[ImportReport], None] | None,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> None:
    writing: asyncio.Task[None] | None = None
    try:
        async for batch in _parsed_batches(lines, geography, today, report, batch_size):
            if writing is not None:
                await writing
            # Parsing the next batch overlaps with the database storing this one (the parser yields to the loop).
            storing = _store(sessions, batch, geography, actor, report, statistics, on_batch, propose, alert)
            writing = asyncio.create_task(storing)
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():  # the parser failed: let the batch in flight finish
            await asyncio.gather(writing, return_exceptions=True)


async def _store(
    sessions: async_sessionmaker[AsyncSession],
    batch: list[tuple[int, CaseData]],
    geography: Geography,
    actor: str,
    report: ImportReport,
    statistics: LoadStatistics,
    on_batch: Callable[[ImportReport], None] | None,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> None:
    """One batch in one transaction, counted in ``report`` once committed; redone when a concurrent writer took
    some of its keys (they are then found as present)."""
    cases = [case for _, case in batch]
    for attempt in range(RETRIES + 1):
        try:
            async with sessions() as session, session.begin():
                outcomes, rows = await create_cases_in_bulk(
                    session, cases, geography, event=CaseEventType.IMPORTED, actor=actor
                )
                fresh = [o.case_id for o in outcomes if o.created and o.case_id is not None]
                if alert is not None and fresh:
                    await alert(session, fresh)
            break
        except ConcurrentWriteError:
            if attempt == RETRIES:
                raise
    for (line, _), outcome in zip(batch, outcomes, strict=True):
        if outcome.error is not None:
            report.errors.append(LineError(line, outcome.error.field, outcome.error.reason))
        elif outcome.created:
            report.created += 1
        else:
            report.unchanged += 1
    if on_batch is not None:
        on_batch(report)
    await statistics.note({table: len(r) for table, r in rows.by_table.items()})
    created = [o.case_id for o in outcomes if o.created and o.case_id is not None]
    if propose is not None and created:
        await propose(created)


async def _parsed_batches(
    lines: Iterable[str], geography: Geography, today: date, report: ImportReport, size: int
) -> AsyncIterator[list[tuple[int, CaseData]]]:
    batch: list[tuple[int, CaseData]] = []
    for number, text in enumerate(lines, start=1):
        if number % _YIELD_EVERY == 0:
            await asyncio.sleep(0)  # let the batch being written talk to the database
        if not text.strip():
            continue
        try:
            raw = orjson.loads(text)  # a third of json.loads' time; stricter (no NaN, integers fit 64 bits)
        except orjson.JSONDecodeError as exc:
            report.errors.append(LineError(number, "record", f"not valid JSON ({exc.msg})"))
            continue
        try:
            case = parse_exchange_record(raw)
            validate_case(case, geography, today)
        except BadUserInput as exc:
            report.errors.append(LineError(number, exc.field, exc.reason))
            continue
        batch.append((number, case))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
