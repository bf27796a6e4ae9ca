"""The case list filter, written once: the conditions a ``CaseFilter`` (and the caller's record scope) puts on a case
and its child, as plain data.

The store compiles them to SQL for its page (``store.cases``); a live record from a state system, held in memory as
the same read-model record (``store.case_records``), is tested against the very same conditions here (``admitted``).
Each condition names the attribute a case or child record carries under its column's name; one that a kind lacks
(``institution_id`` on a MISSING case) reads as NULL, and NULL passes no condition, as in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .age import birth_date_bounds
from .filters import CaseFilter

On = Literal["case", "child"]
Op = Literal["in", "eq", "ge", "le", "has"]  # has: the value is a substring of the column's text


@dataclass(frozen=True, slots=True)
class Condition:
    on: On
    field: str  # the column's (and the record attribute's) name
    op: Op
    value: Any  # never None: an absent filter field puts no condition


def search_tokens(text: str) -> list[str]:
    """Each word of a query, as it must appear in ``search_text``: at the start of a word."""
    return [" " + t for t in text.casefold().split() if t]


def case_conditions(f: CaseFilter, today: date) -> list[Condition]:
    """Every condition of ``f`` and its scope, in the order the store's statement has always listed them."""
    out: list[Condition] = []
    if f.kinds:
        out.append(Condition("case", "kind", "in", tuple(k.value for k in f.kinds)))
    if f.statuses:
        out.append(Condition("case", "status", "in", tuple(s.value for s in f.statuses)))
    if f.scope.state is not None:
        out.append(Condition("case", "state_code", "eq", f.scope.state))
    if f.scope.district is not None:
        out.append(Condition("case", "district_code", "eq", f.scope.district))
    if f.state:
        out.append(Condition("case", "state_code", "eq", f.state))
    if f.district:
        out.append(Condition("case", "district_code", "eq", f.district))
    if f.police_station:
        out.append(Condition("case", "police_station_id", "eq", f.police_station))
    if f.institution:  # of found and care cases
        out.append(Condition("case", "institution_id", "eq", f.institution))
    if f.event_from:
        out.append(Condition("case", "event_date", "ge", f.event_from))
    if f.event_to:
        out.append(Condition("case", "event_date", "le", f.event_to))
    if not f.scope.confidential:
        out.append(Condition("child", "confidential", "eq", False))
    if f.gender is not None:
        out.append(Condition("child", "gender", "eq", f.gender.value))
    earliest, latest = birth_date_bounds(f.min_age, f.max_age, today)
    if earliest is not None:
        out.append(Condition("child", "birth_estimate", "ge", earliest))
    if latest is not None:
        out.append(Condition("child", "birth_estimate", "le", latest))
    out += [Condition("child", "search_text", "has", token) for token in search_tokens(f.name or "")]
    return out


def on_child(conditions: Sequence[Condition]) -> bool:
    """Whether any condition reads the child (the store's statement then joins ``children``)."""
    return any(c.on == "child" for c in conditions)


def admitted(conditions: Sequence[Condition], case: object, child: object) -> bool:
    """Whether a case and its child held in memory pass every condition, with SQL's NULL: a missing value fails."""
    for c in conditions:
        value = getattr(case if c.on == "case" else child, c.field, None)
        if value is None or not _TESTS[c.op](value, c.value):
            return False
    return True


def case_matches(case: object, child: object, f: CaseFilter, today: date) -> bool:
    """``admitted`` for one record and a filter."""
    return admitted(case_conditions(f, today), case, child)


_TESTS: dict[Op, Callable[[Any, Any], bool]] = {
    "in": lambda value, wanted: value in wanted,
    "eq": lambda value, wanted: bool(value == wanted),
    "ge": lambda value, bound: bool(value >= bound),
    "le": lambda value, bound: bool(value <= bound),
    "has": lambda value, token: token in value,
}
