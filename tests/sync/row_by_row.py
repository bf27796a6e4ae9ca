"""Sync's update path as it was before the set-based one (commit 53f8450), kept as the reference the tests compare
the set-based path with: the stored cases loaded as ORM objects, each brought to its record attribute by attribute,
its child, guardians and aliases read and replaced with queries of their own, the ORM flushing each row it dirtied
(version checked and bumped by the mapper). New records go through the bulk path, as they did then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_polymorphic

from trackchild_hub.domain.enums import CaseEventType
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.geography import Geography
from trackchild_hub.domain.naming import camel_case
from trackchild_hub.domain.records import CaseData
from trackchild_hub.store.bulk_cases import create_cases_in_bulk
from trackchild_hub.store.case_changes import CASE_COLUMNS as _CASE_COLUMNS
from trackchild_hub.store.case_changes import CHILD_COLUMNS as _CHILD_COLUMNS
from trackchild_hub.store.case_references import References
from trackchild_hub.store.case_rows import case_row, child_rows
from trackchild_hub.store.case_sync import SyncOutcome
from trackchild_hub.store.events import CaseEventRepository
from trackchild_hub.store.models import (
    CareCaseRow,
    CaseRow,
    ChildAliasRow,
    ChildRow,
    FoundCaseRow,
    GuardianRow,
    MissingCaseRow,
)
from trackchild_hub.store.models.base import utcnow

_DERIVED = ("child.searchText", "child.birthEstimate")  # follow from the name and age; not news on the timeline


async def upsert_cases_row_by_row(
    session: AsyncSession, cases: Sequence[CaseData], geography: Geography, *, actor: str
) -> SyncOutcome:
    latest: dict[tuple[str, str], CaseData] = {}
    for case in cases:  # a feed may list a record twice (changed meanwhile): the later listing wins
        assert case.external_id is not None, "synced records always carry their upstream id"
        latest[(case.source, case.external_id)] = case
    existing = await _existing(session, list(latest))
    fresh = [c for k, c in latest.items() if k not in existing]
    rejected: list[tuple[str, BadUserInput]] = []
    outcomes, new_rows = await create_cases_in_bulk(
        session, fresh, geography, event=CaseEventType.SYNCED, actor=actor, lenient=True
    )
    for case, outcome in zip(fresh, outcomes, strict=True):
        if outcome.error is not None:
            rejected.append((case.external_id or "", outcome.error))
    references = await References.load(session, [latest[k] for k in existing])
    updated = unchanged = 0
    for key, row in existing.items():
        case = latest[key]
        try:
            changed = await _apply(session, row, case, references.resolve(case, lenient=True))
        except BadUserInput as exc:
            rejected.append((key[1], exc))
            continue
        if changed:
            updated += 1
            row.updated_at = utcnow()
            CaseEventRepository(session).append(row.id, CaseEventType.UPDATED, actor=actor, data={"fields": changed})
        else:
            unchanged += 1
    await session.flush()
    written = {table: len(rows) for table, rows in new_rows.by_table.items()}
    written["cases"] = written.get("cases", 0) + updated
    return SyncOutcome(sum(o.created for o in outcomes), updated, unchanged, tuple(rejected), written)


async def _existing(session: AsyncSession, keys: list[tuple[str, str]]) -> dict[tuple[str, str], CaseRow]:
    if not keys:
        return {}
    any_case = with_polymorphic(CaseRow, [MissingCaseRow, FoundCaseRow, CareCaseRow])
    found: dict[tuple[str, str], CaseRow] = {}
    for source in {s for s, _ in keys}:
        ids = [e for s, e in keys if s == source]
        for start in range(0, len(ids), 500):
            rows = await session.scalars(
                select(any_case).where(any_case.source == source, any_case.external_id.in_(ids[start : start + 500]))
            )
            found.update({(row.source, row.external_id): row for row in rows})
    return found


async def _apply(session: AsyncSession, row: CaseRow, case: CaseData, resolved: dict[str, Any]) -> list[str]:
    """Bring ``row`` and its child to ``case``; the names of the fields that changed (never their values)."""
    if row.kind != case.kind.value:
        raise BadUserInput("kind", f"the hub holds this record as {row.kind}; a record's kind never changes")
    wanted = case_row(case, row.id, row.child_id, row.reference, resolved, row.created_at)
    changed = [camel_case(c) for c in _CASE_COLUMNS if c in wanted and _set(row, c, wanted[c])]
    child = await session.get(ChildRow, row.child_id)
    assert child is not None  # foreign key
    rows: dict[str, list[dict[str, Any]]] = {"children": [], "guardians": [], "aliases": []}
    child_rows(rows, child.id, case.child, case.event_date, child.created_at)
    changed += ["child." + camel_case(c) for c in _CHILD_COLUMNS if _set(child, c, rows["children"][0][c])]
    if await _replace(session, GuardianRow, child.id, rows["guardians"], ("relation", "name", "phone")):
        changed.append("child.guardians")
    if await _replace(session, ChildAliasRow, child.id, rows["aliases"], ("alias",)):
        changed.append("child.aliases")
    if any(c.startswith("child.") for c in changed):
        child.age_reported_on = case.event_date
    return [c for c in changed if c not in _DERIVED]


def _set(target: Any, column: str, value: Any) -> bool:
    if getattr(target, column) == value:
        return False
    setattr(target, column, value)
    return True


async def _replace(
    session: AsyncSession,
    model: type[GuardianRow] | type[ChildAliasRow],
    child_id: str,
    wanted: list[dict[str, Any]],
    columns: tuple[str, ...],
) -> bool:
    current = await session.execute(
        select(*(getattr(model, c) for c in columns)).where(model.child_id == child_id).order_by(model.position)
    )
    if [tuple(r) for r in current] == [tuple(w[c] for c in columns) for w in wanted]:
        return False
    await session.execute(delete(model).where(model.child_id == child_id))
    if wanted:
        await session.execute(insert(model), wanted)
    return True
