"""``trackchild-hub import directory FILE.csv`` and ``export directory FILE.csv`` (layout: ``directories.csv_layout``).

Import: every row is validated on its own; a bad one is reported with its line number and skipped, the others are
stored (upserted by id, in batches of one transaction each). A row repeating an earlier row's id, or its kind and
code, is a duplicate. Re-running the same file changes nothing. A CCI row links the institution its registration
number names, registering it first from the row's institution columns when the registry lacks it
(``directories.registry``); a row that fails registers nothing. Export writes every active entry in id order, in
the layout import reads (a CCI row with its institution's registry columns), so export -> import -> export gives the
same file, into an empty hub too.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..directories.csv_layout import COLUMNS, check_header, details_from_row, entry_from_row, row_from_entry
from ..directories.entries import EntryData, validate_entry
from ..directories.registry import REGISTRY_COLUMNS, RegistryDetails, check_details
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.reference import IST
from ..store.directory_writer import Actor, check_references, load_entries, upsert_entries
from ..store.institutions import InstitutionRepository
from .line_errors import LineError

BATCH = 1000
# Units first: a police station may name an SJPU or AHTU listed further down the file.
_FIRST = (DirectoryKind.SPECIAL_JUVENILE_POLICE_UNIT, DirectoryKind.ANTI_HUMAN_TRAFFICKING_UNIT)
_TO_REGISTER = f"; give {', '.join(REGISTRY_COLUMNS)} to register it"
Row = tuple[int, EntryData, RegistryDetails | None]


@dataclass(slots=True)
class DirectoryImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    registered: int = 0  # institutions added to the registry
    errors: list[LineError] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.errors)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.errors)} invalid; {self.registered} institutions registered"
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
        registering = {e.institution for _, e, d in batch if d is not None and e.institution}
        async with sessions() as session, session.begin():
            good = await _checked(session, batch, registering, report)
            registered = await InstitutionRepository(session).register([(e, d) for _, e, d in good if d is not None])
            # Again, now that the institutions are in: a row may have counted on another row's registration (or
            # unit) that failed above. Those can only be CCI listings and police stations, which no row refers to.
            good = await _checked(session, good, (), report)
            outcomes = await upsert_entries(session, [e for _, e, _ in good], who, now)
        report.registered += len(registered)
        report.created += outcomes.count("CREATED")
        report.updated += outcomes.count("UPDATED")
        report.unchanged += outcomes.count("UNCHANGED")
    report.errors.sort(key=lambda e: e.line)
    return report


async def _checked(
    session: AsyncSession, rows: list[Row], registering: Collection[str], report: DirectoryImportReport
) -> list[Row]:
    """The rows whose references hold (``check_references``); the others reported."""
    problems = await check_references(session, [e for _, e, _ in rows], registering)
    for i, problem in problems.items():
        reason = problem.reason + (_TO_REGISTER if problem.field == "institution" else "")
        report.errors.append(LineError(rows[i][0], problem.field, reason))
    return [row for i, row in enumerate(rows) if i not in problems]


def _parsed(
    text: Iterable[str], geography: Geography, mapping: dict[str, str], now: datetime, report: DirectoryImportReport
) -> list[Row]:
    reader = csv.DictReader(iter(text))
    check_header(list(reader.fieldnames or []), mapping)
    seen: dict[str, int] = {}
    out: list[Row] = []
    today = now.astimezone(IST).date()
    for row in reader:
        line = reader.line_num
        try:
            entry = validate_entry(entry_from_row(row, mapping), geography, today)
            details = check_details(entry, details_from_row(row, mapping))
        except BadUserInput as exc:
            report.errors.append(LineError(line, exc.field, exc.reason))
            continue
        keys = [f"id {entry.id}"] + ([f"{entry.kind.value} code {entry.code}"] if entry.code else [])
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            report.errors.append(LineError(line, "id", f"duplicate of line {earlier}"))
            continue
        seen.update(dict.fromkeys(keys, line))
        out.append((line, entry, details))
    return out


async def export_directory(sessions: async_sessionmaker[AsyncSession], out: TextIO) -> int:
    """Write every active entry; returns how many."""
    async with sessions() as session:
        entries = await load_entries(session)
        registrations = {e.institution for e in entries.values() if e.institution}
        registry = await InstitutionRepository(session).registry_details(registrations)
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for entry in entries.values():
        writer.writerow(row_from_entry(entry, registry.get(entry.institution) if entry.institution else None))
    return len(entries)
