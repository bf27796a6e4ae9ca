"""``trackchild-hub import cases FILE.jsonl``: exchange records in, line-numbered errors out.

Valid lines are stored in batches (one transaction each), invalid ones are reported and skipped; a rerun of the same
file stores nothing new (idempotent by ``source`` + ``external_id``). A crash loses at most the batch in flight,
and a rerun completes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.exchange import parse_exchange_record
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..domain.validation import validate_case
from ..store.case_writer import create_cases
from .line_errors import LineError

BATCH = 2000


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
) -> ImportReport:
    report = ImportReport()
    for batch in _batches(_parsed(lines, geography, today, report), BATCH):
        async with sessions() as session, session.begin():
            outcomes = await create_cases(
                session, [case for _, case in batch], geography, event=CaseEventType.IMPORTED, actor=actor
            )
        for (line, _), outcome in zip(batch, outcomes, strict=True):
            if outcome.error is not None:
                report.errors.append(LineError(line, outcome.error.field, outcome.error.reason))
            elif outcome.created:
                report.created += 1
            else:
                report.unchanged += 1
    report.errors.sort(key=lambda e: e.line)
    return report


def _parsed(
    lines: Iterable[str], geography: Geography, today: date, report: ImportReport
) -> Iterator[tuple[int, CaseData]]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            report.errors.append(LineError(number, "record", f"not valid JSON ({exc.msg})"))
            continue
        try:
            case = parse_exchange_record(raw)
            validate_case(case, geography, today)
        except BadUserInput as exc:
            report.errors.append(LineError(number, exc.field, exc.reason))
            continue
        yield number, case


def _batches(items: Iterator[tuple[int, CaseData]], size: int) -> Iterator[list[tuple[int, CaseData]]]:
    batch: list[tuple[int, CaseData]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
