"""MIS statistics (``stats``): what is counted, by what it may be grouped, and the answer as plain data.

Every measure is defined once here (README "Statistics" says the same in words); ``store.stats`` computes them in
SQL over ``stats_facts`` (one narrow row per counted thing) and ``domain.stats_suppression`` hides small cells.

- ``missing``: missing-child cases (kind MISSING) reported in the period (the IST date of ``reported_at``);
- ``traced``: of those, the ones RESOLVED today (traced, whatever the way); ``pending``: of those, still OPEN
  (the rest were closed untraced: ``missing = traced + pending + closed``);
- ``trace_rate``: traced / missing (a cohort rate: of the children reported missing in the period, the share traced
  so far); ``median_days_to_trace``: the median, over the traced ones, of the days from the report to the trace
  (the first CLOSED or REUNIFIED event of the case; a record imported or synced already resolved has no such event:
  its last update stands in);
- ``in_care``: children in care today (a CARE case OPEN without an exit date), admitted by the period's end;
- ``restored``: children released from care to a family (the current version of a care e-file RELEASE entry of kind
  RESTORATION or REPATRIATION) with the release in the period; ``repatriated``: the REPATRIATION ones among them
  (restoration to another state: inter-state repatriation);
- ``transfers``: TRANSFERRED events on any case (the case moved to another state, district, station or institution)
  in the period.

A case is counted where it is now (its state, district and police station), and the child by gender and by age band
on the measure's date (years completed since the date of birth or the one implied by the reported age).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from .enums import Gender
from .errors import BadUserInput, Forbidden
from .geography import Geography
from .report_table import CellNote, ChartSpec, Column, ColumnKind, ReportTable, Series, Value

MAX_DIMENSIONS = 3
MAX_SPAN_DAYS = 5 * 366  # five years at most in one answer
DEFAULT_MONTHS = 12  # no `from`: the twelve months up to `to`'s month


class StatsDimension(Enum):
    STATE = "STATE"
    DISTRICT = "DISTRICT"
    POLICE_STATION = "POLICE_STATION"
    MONTH = "MONTH"
    GENDER = "GENDER"
    AGE_BAND = "AGE_BAND"


class AgeBand(Enum):
    """Years completed on the measure's date (JJ Act: a child is under 18)."""

    BELOW_6 = "0-5"
    FROM_6_TO_11 = "6-11"
    FROM_12_TO_14 = "12-14"
    FROM_15_TO_17 = "15-17"
    ADULT = "18+"
    UNKNOWN = "unknown"


class StatsMeasure(Enum):
    MISSING = "missing"
    TRACED = "traced"
    PENDING = "pending"
    TRACE_RATE = "trace_rate"
    MEDIAN_DAYS_TO_TRACE = "median_days_to_trace"
    IN_CARE = "in_care"
    RESTORED = "restored"
    REPATRIATED = "repatriated"
    TRANSFERS = "transfers"


COUNTS = (
    StatsMeasure.MISSING,
    StatsMeasure.TRACED,
    StatsMeasure.PENDING,
    StatsMeasure.IN_CARE,
    StatsMeasure.RESTORED,
    StatsMeasure.REPATRIATED,
    StatsMeasure.TRANSFERS,
)
LABELS = {
    StatsMeasure.MISSING: "Missing",
    StatsMeasure.TRACED: "Traced",
    StatsMeasure.PENDING: "Pending",
    StatsMeasure.TRACE_RATE: "Trace rate",
    StatsMeasure.MEDIAN_DAYS_TO_TRACE: "Median days to trace",
    StatsMeasure.IN_CARE: "In care",
    StatsMeasure.RESTORED: "Restored",
    StatsMeasure.REPATRIATED: "Inter-state repatriations",
    StatsMeasure.TRANSFERS: "Transfers",
}
DIMENSION_LABELS = {
    StatsDimension.STATE: "State",
    StatsDimension.DISTRICT: "District",
    StatsDimension.POLICE_STATION: "Police station",
    StatsDimension.MONTH: "Month",
    StatsDimension.GENDER: "Gender",
    StatsDimension.AGE_BAND: "Age band",
}


@dataclass(frozen=True, slots=True)
class StatsFilter:
    """What the caller asked for (GraphQL ``StatsFilter``); ``checked`` turns it into a ``StatsQuery``."""

    state: str | None = None
    district: str | None = None
    from_date: date | None = None
    to_date: date | None = None


@dataclass(frozen=True, slots=True)
class StatsQuery:
    """A checked question: the place (None = all the reader's jurisdiction), a closed date range, the grouping."""

    state: str | None
    district: str | None
    from_date: date
    to_date: date
    dimensions: tuple[StatsDimension, ...]


def first_of_month(day: date, months_back: int = 0) -> date:
    index = max(day.year * 12 + day.month - 1 - months_back, 12)  # never before year 1
    return date(index // 12, index % 12 + 1, 1)


def checked(
    f: StatsFilter,
    group_by: Sequence[StatsDimension],
    *,
    jurisdiction: tuple[str | None, str | None],
    today: date,
    geography: Geography,
) -> StatsQuery:
    """The question made whole and inside the reader's jurisdiction (``state``, ``district`` claims).

    Unknown codes and bad ranges are BAD_USER_INPUT naming the field; a place outside the jurisdiction is FORBIDDEN
    (naming it: LGD codes are public, so refusing says nothing about any child). No place: the whole jurisdiction."""
    if len(group_by) > MAX_DIMENSIONS:
        raise BadUserInput("groupBy", f"at most {MAX_DIMENSIONS} dimensions")
    if len(set(group_by)) != len(group_by):
        raise BadUserInput("groupBy", "names a dimension twice")
    state, district = f.state, f.district
    if state is not None and geography.state(state) is None:
        raise BadUserInput("filter.state", f"{state!r} is not an LGD state code")
    if district is not None:
        known = geography.district(district)
        if known is None:
            raise BadUserInput("filter.district", f"{district!r} is not an LGD district code")
        if state is not None and known.state_code != state:
            raise BadUserInput("filter.district", f"{district!r} is not a district of state {state}")
        state = known.state_code
    own_state, own_district = jurisdiction
    if own_state is not None and state is not None and state != own_state:
        raise Forbidden("filter.state is outside your jurisdiction", suggestion=f"your state is {own_state}")
    if own_district is not None and district is not None and district != own_district:
        raise Forbidden("filter.district is outside your jurisdiction", suggestion=f"your district is {own_district}")
    to_date = f.to_date or today
    from_date = f.from_date or first_of_month(to_date, DEFAULT_MONTHS - 1)
    if from_date > to_date:
        raise BadUserInput("filter.from", "is after filter.to")
    if (to_date - from_date).days >= MAX_SPAN_DAYS:
        raise BadUserInput("filter.from", "the range spans more than five years")
    return StatsQuery(
        state=own_state or state,
        district=own_district or district,
        from_date=from_date,
        to_date=to_date,
        dimensions=tuple(group_by),
    )


# StatsKey and StatsRow are not frozen: a national district x month answer builds thousands of each, and a
# frozen dataclass costs three times as much to build. Treat them as values all the same.
@dataclass(slots=True)
class StatsKey:
    """Where a row sits on each grouped dimension (None: not grouped by it, or not recorded for those cases)."""

    state: str | None = None
    district: str | None = None
    police_station: str | None = None
    month: str | None = None  # YYYY-MM
    gender: Gender | None = None
    age_band: AgeBand | None = None


@dataclass(slots=True)
class StatsRow:
    """One cell per measure; a suppressed measure is None and named in ``suppressed``."""

    key: StatsKey
    missing: int | None = 0
    traced: int | None = 0
    pending: int | None = 0
    trace_rate: float | None = None
    median_days_to_trace: float | None = None
    in_care: int | None = 0
    restored: int | None = 0
    repatriated: int | None = 0
    transfers: int | None = 0
    suppressed: frozenset[StatsMeasure] = frozenset()

    def value(self, measure: StatsMeasure) -> int | float | None:
        value: int | float | None = getattr(self, measure.value)
        return value


@dataclass(frozen=True, slots=True)
class InCareByType:
    institution_type: str | None  # domain.enums.InstitutionType's value; None: the institution is not known
    children: int | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class StatsTable:
    """The answer: rows in the order of their keys, the total over all of them, and whether anything is hidden."""

    dimensions: tuple[str, ...]  # StatsDimension names, in the grouping's order
    rows: tuple[StatsRow, ...]
    total: StatsRow
    suppressed: bool
    from_date: date
    to_date: date
    state: str | None
    district: str | None
    in_care_by_type: tuple[InCareByType, ...] = ()
    suppression: str | None = None  # what was done, in words; None: a case worker's answer, nothing hidden
    names: dict[str, str] = field(default_factory=dict)  # LGD codes and station ids -> names, for labels


SUPPRESSED_NOTE = "fewer than 5 children, or hidden so that such a cell cannot be worked out: suppressed"


def _label(table: StatsTable, dim: StatsDimension, key: StatsKey) -> str:
    if dim is StatsDimension.GENDER:
        return key.gender.value if key.gender is not None else "not recorded"
    if dim is StatsDimension.AGE_BAND:
        return key.age_band.value if key.age_band is not None else "not recorded"
    code: str | None = getattr(key, dim.name.lower())
    if code is None:
        return "not recorded"
    prefix = {StatsDimension.STATE: "state:", StatsDimension.DISTRICT: "district:"}.get(dim, "")
    return table.names.get(prefix + code, code)


def to_report_table(table: StatsTable, *, generated_at: datetime, scope: str) -> ReportTable:
    """The answer as the downloads render it (``domain.report_table``): one row per group and a total row, a
    suppressed cell blank with its note, and a chart when grouped by month (missing against traced) or by place."""
    dims = tuple(StatsDimension[d] for d in table.dimensions)
    measures = (*COUNTS[:3], StatsMeasure.TRACE_RATE, StatsMeasure.MEDIAN_DAYS_TO_TRACE, *COUNTS[3:])
    kinds: dict[StatsMeasure, ColumnKind] = {
        StatsMeasure.TRACE_RATE: "percent",
        StatsMeasure.MEDIAN_DAYS_TO_TRACE: "decimal",
    }
    columns = (
        *(Column(d.name.lower(), DIMENSION_LABELS[d]) for d in dims),
        *(Column(m.value, LABELS[m], kinds.get(m, "int")) for m in measures),
    )
    rows: list[tuple[Value, ...]] = []
    notes: list[CellNote] = []
    for index, row in enumerate((*table.rows, table.total)):
        labels: tuple[Value, ...] = (
            tuple(_label(table, d, row.key) for d in dims)
            if row is not table.total
            else ("Total",) + ("",) * (len(dims) - 1)
        )
        values: list[Value] = []
        for m in measures:
            v = row.value(m)
            if m is StatsMeasure.MEDIAN_DAYS_TO_TRACE and v is not None:
                values.append(Decimal(str(round(v, 1))))
            else:
                values.append(v)
            if m in row.suppressed:
                notes.append(CellNote(index, m.value, SUPPRESSED_NOTE))
        rows.append(labels + tuple(values))
    period = f"{table.from_date.isoformat()} to {table.to_date.isoformat()}"
    text_notes = [
        f"Period: {period}. Missing, traced and pending count the children reported missing in the period (traced "
        "and pending: their status today); children in care are those in care today; restorations, inter-state "
        "repatriations and transfers happened in the period.",
    ]
    if table.suppression is not None:
        text_notes.append("Small cells: " + table.suppression + ".")
    return ReportTable(
        title="Missing and found children: statistics",
        subtitle=f"{scope}, {period}"
        + (f", by {', '.join(DIMENSION_LABELS[d].lower() for d in dims)}" if dims else ""),
        columns=columns,
        rows=tuple(rows),
        generated_at=generated_at,
        scope=scope,
        notes=tuple(text_notes),
        cell_notes=tuple(notes),
        charts=_charts(table, dims),
    )


def _charts(table: StatsTable, dims: tuple[StatsDimension, ...]) -> tuple[ChartSpec, ...]:
    if len(dims) != 1:
        return ()
    [dim] = dims
    x = tuple(_label(table, dim, r.key) for r in table.rows)
    series = (
        Series("Missing", tuple(r.missing for r in table.rows)),
        Series("Traced", tuple(r.traced for r in table.rows)),
    )
    if dim is StatsDimension.MONTH:
        return (_month_chart(table),)
    if dim in (StatsDimension.STATE, StatsDimension.DISTRICT):
        return (ChartSpec("bar", f"Missing and traced, by {DIMENSION_LABELS[dim].lower()}", x, series, "children"),)
    return ()


def _month_chart(table: StatsTable) -> ChartSpec:
    """Missing against traced on a calendar axis: the answer lists only months with children in them, so the months
    between are drawn as 0 (none counted), not skipped; a suppressed count stays a gap."""
    rows = {r.key.month: r for r in table.rows if r.key.month is not None}
    months = _months_between(min(rows), max(rows)) if rows else []
    missing = tuple(rows[m].missing if m in rows else 0 for m in months)
    traced = tuple(rows[m].traced if m in rows else 0 for m in months)
    series = (Series("Missing", missing), Series("Traced", traced))
    return ChartSpec("line", "Missing against traced, by month", tuple(months), series, "children")


def _months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from ``first`` to ``last``, both included."""
    start, end = int(first[:4]) * 12 + int(first[5:7]) - 1, int(last[:4]) * 12 + int(last[5:7]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(start, end + 1)]
