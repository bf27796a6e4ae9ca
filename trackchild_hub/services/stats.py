"""``stats`` and ``districtDigest`` (reports:read), always within the reader's jurisdiction.

``stats`` first folds the cases changed since the last question into the summary table (``store.stats.refresh``:
nothing to do, and nothing written, when no case changed), then groups it in SQL; small cells are hidden for a
reader who is not a case worker (``domain.stats_suppression``). ``districtDigest`` answers with the very counts the
daily alert digest sends (``store.alert_jobs.day_counts``), for one district and one IST day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.scopes import Scope
from ..domain.enums import Gender
from ..domain.errors import BadUserInput, Forbidden
from ..domain.reference import IST
from ..domain.stats import (
    AgeBand,
    InCareByType,
    StatsDimension,
    StatsFilter,
    StatsKey,
    StatsQuery,
    StatsRow,
    StatsTable,
    checked,
)
from ..domain.stats_suppression import RULE, THRESHOLD, sees_small_cells, suppress, suppress_by_type
from ..store import alert_jobs
from ..store import stats as facts
from .unit import Unit

T = TypeVar("T")


def _reader(unit: Unit) -> None:
    if not unit.principal.has(Scope.REPORTS_READ.value):
        raise Forbidden("reports need the scope reports:read")


async def stats(unit: Unit, f: StatsFilter, group_by: Sequence[StatsDimension]) -> StatsTable:
    """The measures of ``domain.stats`` grouped by ``group_by`` (at most three dimensions), for ``f``'s place and
    period inside the reader's jurisdiction."""
    _reader(unit)
    p = unit.principal
    q = checked(f, group_by, jurisdiction=(p.state, p.district), today=unit.today, geography=unit.geography)
    async with unit.write() as session:
        await facts.refresh(session)
    # the medians (the costly part: every traced child of the period) on a second connection, beside the counts
    today = unit.today
    (medians, total_median), cells = await asyncio.gather(
        _apart(unit, lambda s: facts.medians(s, q, today)), unit.read(lambda s: facts.counts(s, q, today))
    )
    by_type = await unit.read(lambda s: facts.in_care_by_type(s, q))
    stations = [c.key[q.dimensions.index(StatsDimension.POLICE_STATION)] for c in cells] if _has_station(q) else []
    names = await unit.read(lambda s: facts.station_names(s, [i for i in stations if i is not None]))
    attrs = [_ATTR[d] for d in q.dimensions]
    rows = tuple(sorted((_row(attrs, c, medians.get(c.key)) for c in cells), key=lambda r: _order(attrs, r)))
    total = _total(rows, total_median)
    in_care = tuple(InCareByType(t, n) for t, n in by_type)
    hidden = not sees_small_cells(p.agency.value if p.agency is not None else None)
    if hidden:
        rows, total = suppress(rows, total)
        in_care = suppress_by_type(in_care)
    return StatsTable(
        dimensions=tuple(d.name for d in q.dimensions),
        rows=rows,
        total=total,
        suppressed=any(r.suppressed for r in (*rows, total)) or any(e.suppressed for e in in_care),
        from_date=q.from_date,
        to_date=q.to_date,
        state=q.state,
        district=q.district,
        in_care_by_type=in_care,
        suppression=RULE if hidden else None,
        names={**_place_names(unit, rows), **names},
    )


async def _apart(unit: Unit, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """A read on a connection of its own (the unit's session runs one statement at a time)."""
    async with unit.services.sessions() as session:
        return await query(session)


def _has_station(q: StatsQuery) -> bool:
    return StatsDimension.POLICE_STATION in q.dimensions


# Per row work below stays in plain dicts: a national district x month answer has thousands of rows (and Enum's
# ``.name`` is a property: slow in a loop).
_ATTR = {d: d.name.lower() for d in StatsDimension}
_KEY_OF: dict[str, dict[str | None, object]] = {
    "gender": {None: None, **{g.value: g for g in Gender}},
    "age_band": {None: None, **{b.value: b for b in AgeBand}},
}
_RANK: dict[object, int] = {g: i for i, g in enumerate(Gender)}
_RANK.update({b: i for i, b in enumerate(AgeBand)})


def _row(attrs: Sequence[str], c: facts.Cell, median: float | None) -> StatsRow:
    key = {a: (_KEY_OF[a][v] if a in _KEY_OF else v) for a, v in zip(attrs, c.key, strict=True)}
    return StatsRow(
        key=StatsKey(**key),  # type: ignore[arg-type]
        missing=c.missing,
        traced=c.traced,
        pending=c.pending,
        trace_rate=c.traced / c.missing if c.missing else None,
        median_days_to_trace=median,
        in_care=c.in_care,
        restored=c.restored,
        repatriated=c.repatriated,
        transfers=c.transfers,
    )


def _order(attrs: Sequence[str], row: StatsRow) -> tuple[tuple[int, int, str], ...]:
    """Rows in the order of their keys on both databases: codes as text, gender and age band in their enums'
    order (0-5 before 6-11), not recorded last."""
    out: list[tuple[int, int, str]] = []
    for attr in attrs:
        value: object = getattr(row.key, attr)
        if value is None:
            out.append((1, 0, ""))
        elif attr in _KEY_OF:
            out.append((0, _RANK[value], ""))
        else:
            out.append((0, 0, str(value)))
    return tuple(out)


def _total(rows: Sequence[StatsRow], median: float | None) -> StatsRow:
    """The sum of the groups' counts (every fact falls in exactly one group) and the median over all of them."""

    def add(name: str) -> int:
        return sum(int(getattr(r, name) or 0) for r in rows)

    missing, traced = add("missing"), add("traced")
    return StatsRow(
        key=StatsKey(),
        missing=missing,
        traced=traced,
        pending=add("pending"),
        trace_rate=traced / missing if missing else None,
        median_days_to_trace=median,
        in_care=add("in_care"),
        restored=add("restored"),
        repatriated=add("repatriated"),
        transfers=add("transfers"),
    )


def _place_names(unit: Unit, rows: Sequence[StatsRow]) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in rows:
        if row.key.state is not None and (state := unit.geography.state(row.key.state)) is not None:
            names[f"state:{state.code}"] = state.name
        if row.key.district is not None and (district := unit.geography.district(row.key.district)) is not None:
            names[f"district:{district.code}"] = district.name
    return names


@dataclass(frozen=True, slots=True)
class DistrictDigest:
    """A district's day in counts, as its daily alert digest says it (None: suppressed for this reader)."""

    state: str
    district: str
    day: date
    new: int | None
    traced: int | None
    pending: int | None
    overdue: int | None
    suppressed: tuple[str, ...] = ()


async def district_digest(unit: Unit, district: str, day: date) -> DistrictDigest:
    """The counts the digest of ``district`` for the IST day ``day`` carries (same query, one district)."""
    _reader(unit)
    known = unit.geography.district(district)
    if known is None:
        raise BadUserInput("district", f"{district!r} is not an LGD district code")
    p = unit.principal
    if (p.state is not None and known.state_code != p.state) or (p.district is not None and district != p.district):
        raise Forbidden("district is outside your jurisdiction")
    if day > unit.today:
        raise BadUserInput("date", "is in the future")
    start = datetime.combine(day, time(), IST)
    overdue_h = unit.services.settings.alerting.triage_overdue_h
    counts = await unit.read(
        lambda s: alert_jobs.day_counts(s, start, start + timedelta(days=1), overdue_h, district=district)
    )
    n = counts.get((known.state_code, district), alert_jobs.DayCounts())
    values = {"new": n.new, "traced": n.traced, "pending": n.pending, "overdue": n.overdue}
    hidden: tuple[str, ...] = ()
    if not sees_small_cells(p.agency.value if p.agency is not None else None):
        hidden = tuple(k for k, v in values.items() if 0 < v < THRESHOLD)
    shown = {k: (None if k in hidden else v) for k, v in values.items()}
    return DistrictDigest(known.state_code, district, day, suppressed=hidden, **shown)
