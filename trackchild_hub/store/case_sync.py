"""Upserting records from a connector's change feed by (``source``, ``external_id``).

A record seen for the first time is created (event SYNCED) through the bulk path (``bulk_cases``: COPY on
PostgreSQL); one the hub already holds is brought to the upstream's content (event UPDATED naming the fields that
changed, version bumped) or left alone when nothing changed. The hub's own columns are never overwritten: id,
reference, child id, publication consent, closure reason. Unknown station or institution codes are kept aside, not
refused (``References``, lenient). The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_polymorphic

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.naming import camel_case
from ..domain.records import CaseData
from .bulk_cases import create_cases_in_bulk
from .case_references import References
from .case_rows import case_row, child_rows
from .events import CaseEventRepository
from .models import CareCaseRow, CaseRow, ChildAliasRow, ChildRow, FoundCaseRow, GuardianRow, MissingCaseRow
from .models.base import utcnow

# Columns the upstream owns; everything else on the row is the hub's.
_CASE_COLUMNS = [
    "status",
    "state_code",
    "district_code",
    "police_station_id",
    "place_text",
    "latitude",
    "longitude",
    "event_date",
    "reported_at",
    "extra",
    "fir_number",
    "fir_date",
    "last_seen_time",
    "circumstances",
    "reporter_name",
    "reporter_relation",
    "reporter_phone",
    "found_by",
    "found_by_contact",
    "current_placement",
    "institution_id",
    "missing_since",
    "admission_order_number",
    "admission_order_date",
    "admission_date",
    "exit_date",
]
_CHILD_COLUMNS = [
    "name",
    "search_text",
    "gender",
    "age_years",
    "date_of_birth",
    "birth_estimate",
    "height_cm",
    "complexion",
    "identifying_marks",
    "languages",
    "clothing",
    "confidential",
]

_DERIVED = ("child.searchText", "child.birthEstimate")  # follow from the name and age; not news on the timeline


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[tuple[str, BadUserInput], ...] = ()  # (external id, why)
    written: dict[str, int] = field(default_factory=dict)  # rows created or changed per table (for ANALYZE)


async def upsert_cases(
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
