"""Writing a batch of ``CaseChange``s set-based: the update path of sync, beside ``bulk_cases`` (its create path).

The changes become plain tuples (``UpdateRows``): one staging row per changed case (its case, detail and child
values, and whether the case and the child are to be written), the guardians and aliases that replace a child's, and
the UPDATED events. ``PostgresUpdates`` copies the staging rows into a temporary table and updates each table with one
``UPDATE ... FROM``; ``SqliteUpdates`` runs one raw ``executemany`` per statement. Either way, in the session's
transaction, and a case whose version moved since it was read fails the whole batch with ``StaleDataError``, as the
ORM's version check did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Column
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType
from .bulk_rows import COLUMNS
from .bulk_target import driver_in_transaction
from .case_changes import CASE_COLUMNS, CHILD_COLUMNS, CaseChange
from .stored_cases import CASES, CHILDREN, DETAILS

# One staging row per changed case, in this column order.
STAGE_COLUMNS: tuple[str, ...] = (
    "id",
    "version",
    "child_id",
    "kind",
    "updated_at",
    *CASE_COLUMNS,
    *CHILD_COLUMNS,
    "age_reported_on",
    "case_changed",
    "child_changed",
)


def stage_column(name: str) -> Column[Any] | None:
    """The table column a staging column holds (its type, its name); ``None`` for the two flags."""
    if name in ("case_changed", "child_changed"):
        return None
    if name in CHILD_COLUMNS or name == "age_reported_on":
        return CHILDREN.c[name]
    if name in CASES.c:
        return CASES.c[name]
    return next(t.c[name] for t in DETAILS.values() if name in t.c)


@dataclass(slots=True)
class UpdateRows:
    stage: list[tuple[Any, ...]] = field(default_factory=list)  # STAGE_COLUMNS order
    cases: int = 0  # staging rows whose case is written (the version check counts them)
    replaced_guardians: list[str] = field(default_factory=list)  # child ids whose guardians are replaced ...
    guardians: list[tuple[Any, ...]] = field(default_factory=list)  # ... by these, in COLUMNS["guardians"] order
    replaced_aliases: list[str] = field(default_factory=list)
    aliases: list[tuple[Any, ...]] = field(default_factory=list)  # COLUMNS["child_aliases"] order
    events: list[tuple[Any, ...]] = field(default_factory=list)  # COLUMNS["case_events"] order


def update_rows(changes: Sequence[CaseChange], *, now: datetime, actor: str) -> UpdateRows:
    out = UpdateRows()
    # A child two cases of the batch share is written once, with what the later case brought (the comparisons
    # already ran in order against the shared StoredChild).
    last_child = {c.child_id: i for i, c in enumerate(changes) if c.child is not None}
    guardians: dict[str, list[dict[str, Any]]] = {}
    aliases: dict[str, list[dict[str, Any]]] = {}
    for i, change in enumerate(changes):
        write_child = last_child.get(change.child_id) == i
        child = change.child or {}
        out.stage.append(
            (
                change.case_id,
                change.version,
                change.child_id,
                change.kind,
                now,
                *(change.case[c] for c in CASE_COLUMNS),
                *(child.get(c) for c in CHILD_COLUMNS),
                child.get("age_reported_on"),
                bool(change.fields),
                write_child,
            )
        )
        if change.guardians is not None:
            guardians[change.child_id] = change.guardians
        if change.aliases is not None:
            aliases[change.child_id] = change.aliases
        if change.fields:
            out.cases += 1
            # in COLUMNS["case_events"] order: case_id, at, type, actor, note, data
            out.events.append(
                (change.case_id, now, CaseEventType.UPDATED.value, actor, None, {"fields": change.fields})
            )
    out.replaced_guardians = list(guardians)
    out.guardians = [tuple(g[c] for c in COLUMNS["guardians"]) for rows in guardians.values() for g in rows]
    out.replaced_aliases = list(aliases)
    out.aliases = [tuple(a[c] for c in COLUMNS["child_aliases"]) for rows in aliases.values() for a in rows]
    return out


class UpdateTarget(Protocol):
    async def update(self, rows: UpdateRows) -> None:
        """Write ``rows``; ``StaleDataError`` if a case's version is no longer the one read."""
        ...


async def update_target(session: AsyncSession) -> UpdateTarget:
    dialect, driver = await driver_in_transaction(session)
    if dialect == "postgresql":
        from .pg_updates import PostgresUpdates

        return PostgresUpdates(driver)
    from .sqlite_updates import SqliteUpdates

    return SqliteUpdates(driver)
