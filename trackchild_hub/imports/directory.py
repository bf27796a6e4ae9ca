"""``trackchild-hub import directory FILE.csv`` and ``export directory FILE.csv`` (layout: ``directories.csv_layout``).

Import: every row is validated on its own; a bad one is reported with its line number and skipped, the others are
stored (upserted by id, in batches of one transaction each). A row repeating an earlier row's id, or its kind and
code, is a duplicate. Re-running the same file changes nothing. Export writes every active entry in id order, in
the layout import reads, so export -> import -> export gives the same file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..directories.csv_layout import COLUMNS, check_header, entry_from_row, row_from_entry
from ..directories.entries import EntryData, validate_entry
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.reference import IST
from ..store.directory_writer import Actor, check_references, load_entries, upsert_entries
from .line_errors import LineError

BATCH = 1000
# Units first: a police station may name an SJPU or AHTU listed further down the file.
_FIRST = (DirectoryKind.SPECIAL_JUVENILE_POLICE_UNIT, DirectoryKind.ANTI_HUMAN_TRAFFICKING_UNIT)


@dataclass(slots=True)
class DirectoryImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.errors)} invalid"
        )


async def import_directory(
    sessions: async_sessionmaker[AsyncSession],
    text: Iterable[str],
    geography: Geography,
    *,
    mapping: dict[str, str] | None = None,
    actor: str = "import",
    now: datetime | None = None,
) -> DirectoryImportReport:
    """Raises ``BadUserInput`` only when the header lacks a required column (nothing is read then)."""
    now = now or datetime.now(IST)
    report = DirectoryImportReport()
    entries = _parsed(text, geography, mapping or {}, now, report)
    entries.sort(key=lambda item: (item[1].kind not in _FIRST, item[0]))
    who = Actor(subject=actor, agency=None, via="import")
    for start in range(0, len(entries), BATCH):
        batch = entries[start : start + BATCH]
        async with sessions() as session, session.begin():
            problems = await check_references(session, [e for _, e in batch])
            for i, problem in problems.items():
                report.errors.append(LineError(batch[i][0], problem.field, problem.reason))
            good = [e for i, (_, e) in enumerate(batch) if i not in problems]
            outcomes = await upsert_entries(session, good, who, now)
        report.created += outcomes.count("CREATED")
        report.updated += outcomes.count("UPDATED")
        report.unchanged += outcomes.count("UNCHANGED")
    report.errors.sort(key=lambda e: e.line)
    return report


def _parsed(
    text: Iterable[str], geography: Geography, mapping: dict[str, str], now: datetime, report: DirectoryImportReport
) -> list[tuple[int, EntryData]]:
    reader = csv.DictReader(iter(text))
    check_header(list(reader.fieldnames or []), mapping)
    seen: dict[str, int] = {}
    out: list[tuple[int, EntryData]] = []
    today = now.astimezone(IST).date()
    for row in reader:
        line = reader.line_num
        try:
            entry = validate_entry(entry_from_row(row, mapping), geography, today)
        except BadUserInput as exc:
            report.errors.append(LineError(line, exc.field, exc.reason))
            continue
        keys = [f"id {entry.id}"] + ([f"{entry.kind.value} code {entry.code}"] if entry.code else [])
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            report.errors.append(LineError(line, "id", f"duplicate of line {earlier}"))
            continue
        seen.update(dict.fromkeys(keys, line))
        out.append((line, entry))
    return out


async def export_directory(sessions: async_sessionmaker[AsyncSession], out: TextIO) -> int:
    """Write every active entry; returns how many."""
    async with sessions() as session:
        entries = await load_entries(session)
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for entry in entries.values():
        writer.writerow(row_from_entry(entry))
    return len(entries)
