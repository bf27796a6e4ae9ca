"""Creating cases through SQLAlchemy Core: the path of the reporting mutations (``services.cases``, a batch of
one). Imports and sync's new records take ``bulk_cases`` (``COPY`` / raw ``executemany``), with the same outcomes.

Each input gets an outcome: created, already present (same ``source`` + ``external_id``), or an error naming the
field. Invalid inputs never stop the valid ones; the caller decides when to commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import FromClause, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType, CaseKind
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..domain.reference import format_reference, reference_year
from .case_references import References
from .case_rows import case_row as build_case_row
from .case_rows import child_rows
from .models import (
    CareCaseRow,
    CaseEventRow,
    CaseRow,
    ChildAliasRow,
    ChildRow,
    FoundCaseRow,
    GuardianRow,
    MissingCaseRow,
)
from .models.base import new_id, utcnow
from .references import reserve_sequences

T = TypeVar("T")

_ROW_CLASS = {CaseKind.MISSING: MissingCaseRow, CaseKind.FOUND: FoundCaseRow, CaseKind.CARE: CareCaseRow}


@dataclass(slots=True)
class WriteOutcome:
    case_id: str | None = None
    reference: str | None = None
    created: bool = False
    error: BadUserInput | None = None


async def create_cases(
    session: AsyncSession,
    cases: Sequence[CaseData],
    geography: Geography,
    *,
    event: CaseEventType,
    actor: str | None,
    lenient: bool = False,
) -> list[WriteOutcome]:
    """Insert the new ones; ``lenient`` (sync) keeps unknown station/institution codes aside instead of refusing."""
    outcomes = [WriteOutcome() for _ in cases]
    await _mark_existing(session, cases, outcomes)
    references = await References.load(session, cases)
    pending: list[tuple[int, CaseData, dict[str, Any]]] = []
    for i, case in enumerate(cases):
        if outcomes[i].case_id is not None or outcomes[i].error is not None:
            continue
        try:
            pending.append((i, case, references.resolve(case, lenient=lenient)))
        except BadUserInput as exc:
            outcomes[i].error = exc
    if not pending:
        return outcomes
    numbers = await reference_numbers(session, [case for _, case, _ in pending], geography)
    now = utcnow()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (i, case, resolved), reference in zip(pending, numbers, strict=True):
        case_id = new_id()
        child_id = case.child_id or new_id()
        if case.child_id is None:
            child_rows(rows, child_id, case.child, case.event_date, now)
        case_row = build_case_row(case, case_id, child_id, reference, resolved, now)
        rows[case.kind.value].append(case_row)
        rows["events"].append(
            {
                "case_id": case_id,
                "at": now,
                "type": event.value,
                "actor": actor,
                "note": None,
                "data": {},
            }
        )
        outcomes[i] = WriteOutcome(case_id=case_id, reference=reference, created=True)
    await _insert(session, ChildRow.__table__, rows["children"])
    await _insert(session, GuardianRow.__table__, rows["guardians"])
    await _insert(session, ChildAliasRow.__table__, rows["aliases"])
    all_cases = [row for kind in _ROW_CLASS for row in rows[kind.value]]
    await _insert(session, CaseRow.__table__, all_cases)
    for kind, row_class in _ROW_CLASS.items():
        await _insert(session, row_class.__table__, rows[kind.value])
    await _insert(session, CaseEventRow.__table__, rows["events"])
    return outcomes


async def _insert(session: AsyncSession, table: FromClause, rows: list[dict[str, Any]]) -> None:
    """Core executemany (the ORM's bulk path costs as much again per row); each table takes its own columns."""
    if not rows:
        return
    columns = [c.name for c in table.columns if c.name in rows[0]]  # rows of one table share their keys
    values = [{name: row.get(name) for name in columns} for row in rows]
    await session.execute(cast("Table", table).insert(), values)


async def _mark_existing(session: AsyncSession, cases: Sequence[CaseData], outcomes: list[WriteOutcome]) -> None:
    by_source: dict[str, list[str]] = defaultdict(list)
    for c in cases:
        if c.external_id is not None:
            by_source[c.source].append(c.external_id)
    existing: dict[tuple[str, str], tuple[str, str]] = {}
    # One source at a time: `source = ? AND external_id IN (...)` uses the unique index on every backend, where a
    # row-value IN makes SQLite scan the whole table for each chunk.
    for source, external_ids in by_source.items():
        for chunk in _chunks(external_ids, 500):
            result = await session.execute(
                select(CaseRow.external_id, CaseRow.id, CaseRow.reference).where(
                    CaseRow.source == source, CaseRow.external_id.in_(chunk)
                )
            )
            existing.update({(source, e): (i, r) for e, i, r in result})
    first_seen: dict[tuple[str, str], int] = {}
    for i, case in enumerate(cases):
        if case.external_id is None:
            continue
        key = (case.source, case.external_id)
        if key in existing:
            outcomes[i].case_id, outcomes[i].reference = existing[key]
        elif key in first_seen:
            outcomes[i].error = BadUserInput(
                "external_id", f"{case.external_id!r} repeats an earlier record of the same batch"
            )
        else:
            first_seen[key] = i


async def reference_numbers(session: AsyncSession, cases: Sequence[CaseData], geography: Geography) -> list[str]:
    """A fresh reference for each case, numbered per state and year (one counter update per group)."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[(case.place.state, reference_year(case.reported_at))].append(i)
    out = [""] * len(cases)
    for (state_code, year), members in sorted(groups.items()):
        state = geography.state(state_code)
        assert state is not None  # validated before
        for i, seq in zip(members, await reserve_sequences(session, state_code, year, len(members)), strict=True):
            out[i] = format_reference(state.abbreviation, year, seq)
    return out


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
