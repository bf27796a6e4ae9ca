"""New cases as plain tuples in table column order, ready for ``COPY`` or a raw ``executemany``.

The values are the ones ``case_rows`` builds for the ORM-free writer (one source of truth for what a new case
stores); this module only fixes the column order per table and leaves out the integer keys the database numbers
itself (guardians, aliases, events).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table

from ..domain.enums import CaseKind
from ..domain.records import CaseData
from .case_rows import case_row, child_rows
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


def _table(model: Any) -> Table:
    return cast("Table", model.__table__)


# Parents before children: the order rows must reach the database in (foreign keys).
TABLES: tuple[Table, ...] = tuple(
    _table(m)
    for m in (ChildRow, GuardianRow, ChildAliasRow, CaseRow, MissingCaseRow, FoundCaseRow, CareCaseRow, CaseEventRow)
)
DETAIL_TABLE = {
    CaseKind.MISSING: "missing_cases",
    CaseKind.FOUND: "found_cases",
    CaseKind.CARE: "care_cases",
}


def columns(table: Table) -> tuple[str, ...]:
    """The columns a bulk load fills: all but an integer key the database numbers (``autoincrement``)."""
    return tuple(c.name for c in table.columns if not (c.primary_key and c.autoincrement is True))


COLUMNS: dict[str, tuple[str, ...]] = {t.name: columns(t) for t in TABLES}
_EVENT_COLUMNS = ("case_id", "at", "type", "actor", "note", "data")
assert COLUMNS["case_events"] == _EVENT_COLUMNS, "new_rows builds event tuples in this order"
_PICK: dict[str, Callable[[dict[str, Any]], Any]] = {name: itemgetter(*cols) for name, cols in COLUMNS.items()}


@dataclass(slots=True)
class NewRows:
    """Rows of every table for a set of new cases, as tuples in ``COLUMNS`` order."""

    by_table: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t.name: [] for t in TABLES})

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.by_table.values())


@dataclass(frozen=True, slots=True)
class NewCase:
    case: CaseData
    case_id: str
    child_id: str
    reference: str
    resolved: dict[str, Any]


def new_rows(cases: Sequence[NewCase], *, now: datetime, event: str, actor: str | None) -> NewRows:
    """Each case, its child (unless it names an existing one) and its first timeline event (``event`` by ``actor``)."""
    out = NewRows()
    children, guardians, aliases = out.by_table["children"], out.by_table["guardians"], out.by_table["child_aliases"]
    cases_out, events = out.by_table["cases"], out.by_table["case_events"]
    pick_child, pick_guardian, pick_alias = _PICK["children"], _PICK["guardians"], _PICK["child_aliases"]
    pick_case = _PICK["cases"]
    scratch: dict[str, list[dict[str, Any]]] = {"children": [], "guardians": [], "aliases": []}
    for new in cases:
        case = new.case
        if case.child_id is None:
            for rows in scratch.values():
                rows.clear()
            child_rows(scratch, new.child_id, case.child, case.event_date, now)
            children.append(_one(pick_child, scratch["children"][0]))
            guardians.extend(_one(pick_guardian, g) for g in scratch["guardians"])
            aliases.extend(_one(pick_alias, a) for a in scratch["aliases"])
        row = case_row(case, new.case_id, new.child_id, new.reference, new.resolved, now)
        cases_out.append(_one(pick_case, row))
        detail = DETAIL_TABLE[case.kind]
        out.by_table[detail].append(tuple(row.get(c) for c in COLUMNS[detail]))
        events.append((new.case_id, now, event, actor, None, {}))  # in _EVENT_COLUMNS order
    return out


def _one(pick: Callable[[dict[str, Any]], Any], row: dict[str, Any]) -> tuple[Any, ...]:
    value = pick(row)
    return value if isinstance(value, tuple) else (value,)
