"""The statistics' SQL: ``stats_facts`` kept up to date from the cases (``refresh``), and grouped (``counts``,
``medians``, ``in_care_by_type``). No case row comes into Python: the facts are built by INSERT ... SELECT and the
answers are GROUP BY rows, one per cell.

Refreshing is incremental: the mark (``job:stats-facts`` in ``sync_cursors``) is the newest ``cases.updated_at`` /
``care_entries.recorded_at`` already folded in. A refresh finds cases changed since the mark (less ``OVERLAP``, for a
transaction that committed after a later one: its ``updated_at`` is older than the mark), deletes their facts and
builds them again from the case, its child, its events, its e-file and its institution; the first refresh builds
every case's. When nothing is newer than the mark a refresh reads two index ends and writes nothing. Every writer of
cases sets ``updated_at`` (transfers, closures, reviews, imports, syncs), and e-file entries carry ``recorded_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Date,
    Integer,
    Table,
    and_,
    case,
    delete,
    extract,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    tuple_,
    type_coerce,
    union,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy import (
    true as sql_true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from ..domain.care_entries import CareEntryKind, ReleaseKind
from ..domain.enums import CaseEventType, CaseKind, CaseStatus
from ..domain.stats import AgeBand, StatsDimension, StatsQuery
from .models import (
    CareCaseRow,
    CareEntryRow,
    CaseEventRow,
    CaseRow,
    ChildRow,
    DirectoryEntryRow,
    InstitutionRow,
    SyncCursorRow,
)
from .models.base import utcnow
from .models.stats import StatsByChildRow, StatsByPlaceRow, StatsFactRow, StatsTracedDaysRow

MARK = "job:stats-facts"
OVERLAP = timedelta(minutes=10)
MISSING, IN_CARE, RESTORED, REPATRIATED, TRANSFERRED = "MISSING", "IN_CARE", "RESTORED", "REPATRIATED", "TRANSFERRED"

_facts = cast("Table", StatsFactRow.__table__)
_cases = cast("Table", CaseRow.__table__)
_care = cast("Table", CareCaseRow.__table__)
_children = cast("Table", ChildRow.__table__)
_events = cast("Table", CaseEventRow.__table__)
_entries = cast("Table", CareEntryRow.__table__)
_institutions = cast("Table", InstitutionRow.__table__)
_cursors = cast("Table", SyncCursorRow.__table__)
_by_place = cast("Table", StatsByPlaceRow.__table__)
_by_child = cast("Table", StatsByChildRow.__table__)
_traced_days = cast("Table", StatsTracedDaysRow.__table__)
F, C, K = _facts.c, _cases.c, _children.c
COLUMNS = [
    "case_id", "measure", "on_date", "month", "state_code", "district_code", "police_station_id", "gender",
    "age_band", "status", "days", "institution_type",
]  # fmt: skip
DIMENSION_COLUMN = {
    StatsDimension.STATE: F.state_code,
    StatsDimension.DISTRICT: F.district_code,
    StatsDimension.POLICE_STATION: F.police_station_id,
    StatsDimension.MONTH: F.month,
    StatsDimension.GENDER: F.gender,
    StatsDimension.AGE_BAND: F.age_band,
}


# Dialect-specific date arithmetic: PostgreSQL and SQLite spell it differently, the values are the same.


class _Dates:
    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def ist_date(self, at: Any) -> ColumnElement[Any]:
        """The IST calendar day of a UTC timestamp."""
        if self.pg:
            return sql_cast(func.timezone("Asia/Kolkata", at), Date)
        return func.date(at, "+330 minutes")

    def month(self, day: Any) -> ColumnElement[str]:
        return func.to_char(day, "YYYY-MM") if self.pg else func.strftime("%Y-%m", day)

    def days(self, later: Any, earlier: Any) -> ColumnElement[int]:
        if self.pg:
            return type_coerce(sql_cast(later, Date) - sql_cast(earlier, Date), Integer)
        return sql_cast(func.julianday(later) - func.julianday(earlier), Integer)

    def years(self, day: Any, born: Any) -> ColumnElement[int]:
        """Whole years completed from ``born`` to ``day``."""
        if self.pg:
            return sql_cast(extract("year", func.age(sql_cast(day, Date), born)), Integer)
        y = sql_cast(func.strftime("%Y", day), Integer) - sql_cast(func.strftime("%Y", born), Integer)
        return y - case((func.strftime("%m-%d", day) < func.strftime("%m-%d", born), 1), else_=0)

    def band(self, day: Any, born: Any) -> ColumnElement[str]:
        years = self.years(day, born)
        return case(
            (born.is_(None), AgeBand.UNKNOWN.value),
            (years < 6, AgeBand.BELOW_6.value),
            (years < 12, AgeBand.FROM_6_TO_11.value),
            (years < 15, AgeBand.FROM_12_TO_14.value),
            (years < 18, AgeBand.FROM_15_TO_17.value),
            else_=AgeBand.ADULT.value,
        )


# Refresh


async def refresh(session: AsyncSession, now: datetime | None = None) -> int | None:
    """Fold into ``stats_facts`` every case changed since the mark; the number of facts written, None if nothing
    was newer than the mark (then nothing is written, not even the mark)."""
    newest = await _newest(session)
    mark = await session.scalar(select(SyncCursorRow.cursor).where(SyncCursorRow.connector_id == MARK))
    if newest is None or (mark and newest <= _parse(mark)):
        return None
    mark = await _lock_mark(session)  # two refreshes at once: the second waits, then finds the work done
    if mark and newest <= _parse(mark):
        return None
    since = _parse(mark) - OVERLAP if mark else None
    written = await _rebuild(session, since)
    now = now or utcnow()
    done = min(newest, now)  # a clock ahead on some writer must not hold the mark past later changes
    await session.execute(
        update(SyncCursorRow)
        .where(SyncCursorRow.connector_id == MARK)
        .values(cursor=done.astimezone(UTC).isoformat(), records=written, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return written


async def _newest(session: AsyncSession) -> datetime | None:
    # the tables' columns, not the mapped classes: CaseRow is polymorphic, and selecting through it joins the three
    # detail tables (a join of every case, not one index end)
    cases = await session.scalar(select(func.max(C.updated_at)))
    entries = await session.scalar(select(func.max(_entries.c.recorded_at)))
    found = [t for t in (cases, entries) if t is not None]
    return max(found) if found else None


async def _lock_mark(session: AsyncSession) -> str:
    insert_ = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    row = {"connector_id": MARK, "cursor": "", "records": 0, "updated_at": utcnow()}
    await session.execute(insert_(_cursors).values(row).on_conflict_do_nothing(index_elements=["connector_id"]))
    query = select(SyncCursorRow.cursor).where(SyncCursorRow.connector_id == MARK).with_for_update()
    return (await session.scalar(query)) or ""


def _parse(mark: str) -> datetime:
    return datetime.fromisoformat(mark).astimezone(UTC)


async def _rebuild(session: AsyncSession, since: datetime | None) -> int:
    """Delete and build again the facts of the cases changed since ``since`` (None: of every case), and keep the
    monthly counts in step: the old facts' counts are taken off their cells, the new ones' added (upsert)."""
    d = _Dates(session.get_bind().dialect.name)
    if since is None:
        await session.execute(delete(_facts))
        for cube in CUBES:
            await session.execute(delete(cube))
        changed: list[ColumnElement[bool]] = []
        theirs: list[ColumnElement[bool]] = []
    else:
        only = union(
            select(C.id).where(C.updated_at >= since),
            select(_entries.c.case_id).where(_entries.c.recorded_at >= since),
        ).subquery()
        theirs = [F.case_id.in_(select(only.c.id))]
        for cube in CUBES:
            old = _cells(cube, theirs).subquery()
            keys = [cube.c[k] == old.c[k] for k in _key_names(cube)]
            await session.execute(update(cube).where(*keys).values(n=cube.c.n - old.c.n))
        await session.execute(delete(_facts).where(*theirs))
        changed = [C.id.in_(select(only.c.id))]
    written = 0
    for build in (_missing, _in_care, _released, _transferred):
        result = await session.execute(insert(_facts).from_select(COLUMNS, build(d, changed)))
        written += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    insert_ = postgresql.insert if d.pg else sqlite.insert
    for cube in CUBES:
        names = [*_key_names(cube), "n"]
        add = insert_(cube).from_select(names, _cells(cube, theirs))
        await session.execute(
            add.on_conflict_do_update(index_elements=_key_names(cube), set_={"n": cube.c.n + add.excluded.n})
        )
        await session.execute(delete(cube).where(cube.c.n == 0))
    return written


# The monthly counts: their key columns, as computed from the facts (no NULL: '' instead).
_STATUS_KEY = case((F.measure == MISSING, F.status), else_=literal(""))
CUBES = (_by_place, _by_child, _traced_days)
_TRACED = [F.measure == MISSING, F.status == CaseStatus.RESOLVED.value, F.days.is_not(None)]
_CUBE_WHERE: dict[str, list[ColumnElement[bool]]] = {"stats_traced_days": _TRACED}
_CUBE_KEYS: dict[str, list[tuple[str, ColumnElement[Any]]]] = {
    "stats_by_place": [
        ("month", F.month),
        ("state_code", F.state_code),
        ("district_code", func.coalesce(F.district_code, literal(""))),
        ("measure", F.measure),
        ("status", _STATUS_KEY),
    ],
    "stats_traced_days": [("state_code", F.state_code), ("month", F.month), ("days", F.days)],
    "stats_by_child": [
        ("month", F.month),
        ("state_code", F.state_code),
        ("gender", F.gender),
        ("age_band", F.age_band),
        ("measure", F.measure),
        ("status", _STATUS_KEY),
    ],
}


def _key_names(cube: Table) -> list[str]:
    return [name for name, _ in _CUBE_KEYS[cube.name]]


def _cells(cube: Table, where: Sequence[ColumnElement[bool]]) -> Any:
    """The facts (those ``where`` admits) counted per cell of ``cube``."""
    keys = [expr.label(name) for name, expr in _CUBE_KEYS[cube.name]]
    own = _CUBE_WHERE.get(cube.name, [])
    return select(*keys, func.count().label("n")).where(sql_true(), *own, *where).group_by(*keys)


def _missing(d: _Dates, where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per missing child's case, on the IST day it was reported; the days to trace when RESOLVED."""
    first_close = (
        select(func.min(_events.c.at))
        .where(
            _events.c.case_id == C.id,
            _events.c.type.in_((CaseEventType.CLOSED.value, CaseEventType.REUNIFIED.value)),
        )
        .scalar_subquery()
    )
    traced_at = case((C.status == CaseStatus.RESOLVED.value, func.coalesce(first_close, C.updated_at)))
    base = (
        select(
            C.id,
            C.status,
            C.state_code,
            C.district_code,
            C.police_station_id,
            K.gender,
            K.birth_estimate,
            d.ist_date(C.reported_at).label("day"),
            d.ist_date(traced_at).label("traced"),
        )
        .join_from(_cases, _children, K.id == C.child_id)
        .where(C.kind == CaseKind.MISSING.value, *where)
        .subquery()
    )
    days = d.days(base.c.traced, base.c.day)
    return _fact_of(d, base, MISSING, case((base.c.traced.is_(None), null()), (days < 0, 0), else_=days))


def _fact_of(d: _Dates, base: Any, measure: str, days: Any) -> Any:
    """The fact columns (``COLUMNS``) of a case subquery ``base`` (id, status, place, gender, birth_estimate, day)."""
    return select(
        base.c.id,
        literal(measure),
        base.c.day,
        d.month(base.c.day),
        base.c.state_code,
        base.c.district_code,
        base.c.police_station_id,
        base.c.gender,
        d.band(base.c.day, base.c.birth_estimate),
        base.c.status,
        days,
        null(),
    )


def _in_care(d: _Dates, where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per child in care today (an OPEN care case without an exit date), on the day of admission."""
    day = _care.c.admission_date
    return (
        select(
            C.id,
            literal(IN_CARE),
            day,
            d.month(day),
            C.state_code,
            C.district_code,
            C.police_station_id,
            K.gender,
            d.band(day, K.birth_estimate),
            C.status,
            null(),
            _institutions.c.type,
        )
        .select_from(_cases)
        .join(_care, _care.c.case_id == C.id)
        .join(_children, K.id == C.child_id)
        .outerjoin(_institutions, _institutions.c.id == _care.c.institution_id)
        .where(C.status == CaseStatus.OPEN.value, _care.c.exit_date.is_(None), *where)
    )


def _released(d: _Dates, where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per release to a family (RESTORATION) or to another state (REPATRIATION): the current version of
    each e-file RELEASE entry, on its day."""
    newer = aliased(CareEntryRow)
    e = _entries.c
    latest = select(func.max(newer.version)).where(newer.entry_id == e.entry_id).scalar_subquery()
    kind = _entries.c.payload["kind"].as_string()
    day = e.occurred_on
    return (
        select(
            C.id,
            case((kind == ReleaseKind.REPATRIATION.value, literal(REPATRIATED)), else_=literal(RESTORED)),
            day,
            d.month(day),
            C.state_code,
            C.district_code,
            C.police_station_id,
            K.gender,
            d.band(day, K.birth_estimate),
            C.status,
            null(),
            null(),
        )
        .select_from(_entries)
        .join(_cases, C.id == e.case_id)
        .join(_children, K.id == C.child_id)
        .where(
            e.kind == CareEntryKind.RELEASE.value,
            e.version == latest,
            kind.in_((ReleaseKind.RESTORATION.value, ReleaseKind.REPATRIATION.value)),
            *where,
        )
    )


def _transferred(d: _Dates, where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per TRANSFERRED event of a case, on the event's IST day, at the case's place now."""
    day = d.ist_date(_events.c.at)
    base = (
        select(
            C.id,
            C.status,
            C.state_code,
            C.district_code,
            C.police_station_id,
            K.gender,
            K.birth_estimate,
            day.label("day"),
        )
        .select_from(_events)
        .join(_cases, C.id == _events.c.case_id)
        .join(_children, K.id == C.child_id)
        .where(_events.c.type == CaseEventType.TRANSFERRED.value, *where)
        .subquery()
    )
    return _fact_of(d, base, TRANSFERRED, null())


# Questions


@dataclass(slots=True)  # not frozen: cheaper to build, and a national answer has thousands
class Cell:
    """One group's counts, straight from GROUP BY; ``key`` holds the grouped columns' values in order."""

    key: tuple[str | None, ...]
    missing: int
    traced: int
    pending: int
    in_care: int
    restored: int
    repatriated: int
    transfers: int


def _place(q: StatsQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if q.state is not None:
        out.append(F.state_code == q.state)
    if q.district is not None:
        out.append(F.district_code == q.district)
    return out


def _period(q: StatsQuery) -> ColumnElement[bool]:
    """Flows in the period; children in care today if admitted by its end."""
    return and_(F.on_date <= q.to_date, or_(F.on_date >= q.from_date, F.measure == IN_CARE))


def _months(q: StatsQuery, today: date) -> tuple[str, str] | None:
    """The period as whole months (first and last YYYY-MM), when it is whole months: from a month's first day to a
    month's last day, or to today or later (nothing is counted on a day after today)."""
    end = q.to_date + timedelta(days=1)
    if q.from_date.day != 1 or (end.day != 1 and q.to_date < today):
        return None
    return q.from_date.strftime("%Y-%m"), q.to_date.strftime("%Y-%m")


def _source(q: StatsQuery, today: date) -> tuple[Table, dict[StatsDimension, ColumnElement[Any]]] | None:
    """The monthly counts that can answer ``q``, and its dimensions' columns there; None: only the facts can."""
    if _months(q, today) is None:
        return None
    dims = set(q.dimensions)
    if dims <= {StatsDimension.STATE, StatsDimension.DISTRICT, StatsDimension.MONTH}:
        p = _by_place.c
        return _by_place, {
            StatsDimension.STATE: p.state_code,
            StatsDimension.DISTRICT: p.district_code,
            StatsDimension.MONTH: p.month,
        }
    if q.district is None and dims <= {
        StatsDimension.STATE,
        StatsDimension.MONTH,
        StatsDimension.GENDER,
        StatsDimension.AGE_BAND,
    }:
        c = _by_child.c
        return _by_child, {
            StatsDimension.STATE: c.state_code,
            StatsDimension.MONTH: c.month,
            StatsDimension.GENDER: c.gender,
            StatsDimension.AGE_BAND: c.age_band,
        }
    return None


async def counts(session: AsyncSession, q: StatsQuery, today: date) -> list[Cell]:
    """The count measures per group: from the monthly counts when they can answer (whole months, and dimensions
    one of them holds), else from the facts."""
    source = _source(q, today)
    if source is None:
        return await _counts_from_facts(session, q)
    cube, columns = source
    k = cube.c
    first, last = _months(q, today) or ("", "")
    dims = [columns[dim] for dim in q.dimensions]
    missing = k.measure == MISSING

    def n(*where: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(k.n).filter(and_(*where)), 0)

    place = [k.state_code == q.state] if q.state is not None else []
    if q.district is not None:
        place.append(k.district_code == q.district)
    query = (
        select(
            *dims,
            n(missing),
            n(missing, k.status == CaseStatus.RESOLVED.value),
            n(missing, k.status == CaseStatus.OPEN.value),
            n(k.measure == IN_CARE),
            n(k.measure.in_((RESTORED, REPATRIATED))),
            n(k.measure == REPATRIATED),
            n(k.measure == TRANSFERRED),
        )
        .where(k.month <= last, or_(k.month >= first, k.measure == IN_CARE), *place)
        .group_by(*dims)
    )
    width = len(dims)
    return [
        Cell(tuple(v or None for v in row[:width]), *(int(v) for v in row[width:]))
        for row in await session.execute(query)
    ]


async def _counts_from_facts(session: AsyncSession, q: StatsQuery) -> list[Cell]:
    dims = [DIMENSION_COLUMN[dim] for dim in q.dimensions]
    missing = F.measure == MISSING

    def n(*where: ColumnElement[bool]) -> ColumnElement[int]:
        return func.count().filter(and_(*where))

    query = (
        select(
            *dims,
            n(missing),
            n(missing, F.status == CaseStatus.RESOLVED.value),
            n(missing, F.status == CaseStatus.OPEN.value),
            n(F.measure == IN_CARE),
            n(F.measure.in_((RESTORED, REPATRIATED))),
            n(F.measure == REPATRIATED),
            n(F.measure == TRANSFERRED),
        )
        .where(_period(q), *_place(q))
        .group_by(*dims)
    )
    width = len(dims)
    return [Cell(tuple(row[:width]), *(int(v) for v in row[width:])) for row in await session.execute(query)]


Medians = dict[tuple[str | None, ...], float]


async def medians(session: AsyncSession, q: StatsQuery, today: date) -> tuple[Medians, float | None]:
    """The median days to trace per group (of the traced missing children reported in the period) and over all.

    PostgreSQL: ``percentile_cont(0.5)``, the groups and the total in one scan (GROUPING SETS). SQLite has no
    percentile: each group's traced rows are numbered by days (ROW_NUMBER and COUNT over the group's window) and
    the middle one, or the mean of the middle two, is taken: the same value as percentile_cont(0.5)."""
    months = _months(q, today)
    if months is not None and q.district is None and set(q.dimensions) <= {StatsDimension.STATE, StatsDimension.MONTH}:
        return await _histogram_medians(session, q, months)
    dims = [DIMENSION_COLUMN[dim] for dim in q.dimensions]
    where = [
        F.measure == MISSING,
        F.status == CaseStatus.RESOLVED.value,
        F.days.is_not(None),
        F.on_date >= q.from_date,
        F.on_date <= q.to_date,
        *_place(q),
    ]
    width = len(dims)
    if session.get_bind().dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(F.days)
        if not dims:
            whole = await session.scalar(select(median).where(*where))
            return ({(): float(whole)} if whole is not None else {}), whole
        sets = func.grouping_sets(tuple_(*dims), tuple_())
        query = select(*dims, func.grouping(*dims), median).where(*where).group_by(sets)
        groups: Medians = {}
        total = None
        for row in await session.execute(query):
            if row[width]:  # grouped by none of the dimensions: the total
                total = float(row[width + 1]) if row[width + 1] is not None else None
            else:
                groups[tuple(row[:width])] = float(row[width + 1])
        return groups, total
    rows = await session.execute(_sqlite_medians(dims, where))
    groups = {tuple(row[:width]): float(row[width]) for row in rows if row[width] is not None}  # no rows: one NULL
    whole = groups.get(()) if not dims else (await session.execute(_sqlite_medians([], where))).scalar()
    return groups, float(whole) if whole is not None else None


async def _histogram_medians(
    session: AsyncSession, q: StatsQuery, months: tuple[str, str]
) -> tuple[Medians, float | None]:
    """The medians of whole months by State and month from ``stats_traced_days``: per group, the running count of
    children by days to trace gives the days at the middle position(s) (the lower and upper middle of an even
    count, averaged: percentile_cont(0.5))."""
    h = _traced_days.c
    place = [h.state_code == q.state] if q.state is not None else []
    where = [h.month >= months[0], h.month <= months[1], *place]
    columns = {StatsDimension.STATE: h.state_code, StatsDimension.MONTH: h.month}

    async def run(dims: list[Any]) -> Medians:
        grouped = select(*dims, h.days, func.sum(h.n).label("n")).where(*where).group_by(*dims, h.days).subquery()
        keys = [grouped.c[col.name] for col in dims]
        running = select(
            *keys,
            grouped.c.days,
            # integers: PostgreSQL's sum of a bigint is a numeric, whose / would not divide as integers
            sql_cast(func.sum(grouped.c.n).over(partition_by=keys or None, order_by=grouped.c.days), Integer).label(
                "upto"
            ),
            sql_cast(func.sum(grouped.c.n).over(partition_by=keys or None), Integer).label("size"),
        ).subquery()
        r = running.c
        rkeys = [r[col.name] for col in dims]
        lower = func.min(r.days).filter(r.upto >= (r.size + 1) // 2)
        upper = func.min(r.days).filter(r.upto >= r.size // 2 + 1)
        query = select(*rkeys, lower, upper).group_by(*rkeys)
        width = len(dims)
        return {
            tuple(row[:width]): (row[width] + row[width + 1]) / 2
            for row in await session.execute(query)
            if row[width] is not None
        }

    groups = await run([columns[d] for d in q.dimensions])
    total = groups.get(()) if not q.dimensions else (await run([])).get(())
    return groups, total


def _sqlite_medians(dims: list[Any], where: list[ColumnElement[bool]]) -> Any:
    ranked = select(
        *dims,
        F.days,
        func.row_number().over(partition_by=dims or None, order_by=F.days).label("rank"),
        func.count().over(partition_by=dims or None).label("size"),
    ).where(*where)
    r = ranked.subquery()
    keys = [r.c[col.name] for col in dims]
    middle = r.c.rank.in_(((r.c.size + 1) // 2, (r.c.size + 2) // 2))  # integer division: one or two rows
    return select(*keys, func.avg(r.c.days)).where(middle).group_by(*keys)


async def in_care_by_type(session: AsyncSession, q: StatsQuery) -> list[tuple[str | None, int]]:
    query = (
        select(F.institution_type, func.count())
        .where(F.measure == IN_CARE, F.on_date <= q.to_date, *_place(q))
        .group_by(F.institution_type)
        .order_by(F.institution_type)
    )
    return [(t, int(n)) for t, n in await session.execute(query)]


async def station_names(session: AsyncSession, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    query = select(DirectoryEntryRow.id, DirectoryEntryRow.name).where(DirectoryEntryRow.id.in_(sorted(set(ids))))
    return {str(row[0]): str(row[1]) for row in await session.execute(query)}
