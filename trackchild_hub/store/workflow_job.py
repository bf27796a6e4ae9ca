"""The workflow job's SQL: each rule applied to a batch of cases with a few set-based statements (``INSERT ...
SELECT``, ``UPDATE ... WHERE``), never a statement per case, so a run over a million cases is a few dozen statements
per ten thousand cases changed; and the leases that keep one hub process per rule.

An escalation batch: (1) ``INSERT INTO ahtu_escalations ... SELECT`` the due cases, each with its AHTU (the one
covering its police station, else one in its district, else the state's: correlated subqueries), where it was and
where it goes, tagged with the batch's id; (2) mark them ``ESCALATED`` on ``missing_cases`` (out of the partial
index the rules scan); (3) one ``ESCALATED_TO_AHTU`` event each, its data built in SQL from the escalation row; (4)
move the case as ``transferCase`` does (district, station, version + 1, updated_at). All in one transaction with the
lease renewed: a batch is applied whole or not at all. The rules' boundaries come from ``domain.workflow_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, and_, case, exists, func, insert, literal, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..domain.enums import CaseEventType, CaseStatus, DirectoryKind
from ..domain.workflow_rules import (
    TRAFFICKING_REASON,
    UNTRACED_REASON,
    WorkflowRule,
    first_report_due,
    untraced_cutoff,
)
from .models import (
    AhtuEscalationRow,
    CaseEventRow,
    CaseRow,
    DirectoryEntryRow,
    MissingCaseRow,
    RiskAssessmentRow,
    WorkflowLeaseRow,
)
from .models.base import new_id

_cases = cast("Table", CaseRow.__table__)
_missing = cast("Table", MissingCaseRow.__table__)
_directory = cast("Table", DirectoryEntryRow.__table__)
_escalations = cast("Table", AhtuEscalationRow.__table__)
_events = cast("Table", CaseEventRow.__table__)
_risks = cast("Table", RiskAssessmentRow.__table__)
_leases = cast("Table", WorkflowLeaseRow.__table__)

AHTU = DirectoryKind.ANTI_HUMAN_TRAFFICKING_UNIT.value
OPEN = CaseStatus.OPEN.value
ESCALATED, SETTLED = "ESCALATED", "SETTLED"


@dataclass(frozen=True, slots=True)
class Batch:
    id: str
    changed: int  # cases changed by the batch
    taken: int  # candidates taken (a full batch means: run another)


async def _changed(session: AsyncSession, statement: Any) -> int:
    """Run a set-based statement; how many rows it changed."""
    result = cast("CursorResult[Any]", await session.execute(statement))
    return int(result.rowcount)


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _json(session: AsyncSession, *pairs: Any) -> Any:
    """A JSON object built in SQL from (key, expression) pairs."""
    function = func.json_build_object if session.get_bind().dialect.name == "postgresql" else func.json_object
    return function(*pairs)


def _active_units() -> Any:
    return and_(_directory.c.kind == AHTU, _directory.c.retired_at.is_(None))


def _ahtu_for(c: Any) -> ColumnElement[Any]:
    """The AHTU a case goes to: the one covering its police station (in its state), else one in its district, else
    the state's (a state-level unit, without a district, first)."""
    station, unit = _directory.alias("station"), _directory.alias("station_unit")
    by_station = (
        select(unit.c.id)
        .select_from(station.join(unit, unit.c.id == station.c.ahtu_id))
        .where(
            station.c.id == c.police_station_id,
            unit.c.kind == AHTU,
            unit.c.retired_at.is_(None),
            unit.c.state_code == c.state_code,
        )
        .limit(1)
        .scalar_subquery()
    )
    d = _directory.alias("district_unit")
    by_district = (
        select(d.c.id)
        .where(d.c.kind == AHTU, d.c.retired_at.is_(None), d.c.state_code == c.state_code)
        .where(d.c.district_code == c.district_code)
        .order_by(d.c.id)
        .limit(1)
        .scalar_subquery()
    )
    s = _directory.alias("state_unit")
    by_state = (
        select(s.c.id)
        .where(s.c.kind == AHTU, s.c.retired_at.is_(None), s.c.state_code == c.state_code)
        .order_by(s.c.district_code.is_not(None), s.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(by_station, by_district, by_state)


def _states_with_units() -> Any:
    return select(_directory.c.state_code).where(_active_units()).distinct()


Key = tuple[date, str]  # (fir_date, case_id): the untraced rule's place in the watched index


def _window(today: date, after: Key | None, last: Key | None) -> Any:
    """The watched, due cases from just after ``after`` up to ``last`` (inclusive; None: to the end)."""
    m = _missing.c
    conditions = [m.workflow_state.is_(None), m.fir_date <= untraced_cutoff(today)]
    if after is not None:
        conditions.append(tuple_(m.fir_date, m.case_id) > tuple_(literal(after[0]), literal(after[1])))
    if last is not None:
        conditions.append(tuple_(m.fir_date, m.case_id) <= tuple_(literal(last[0]), literal(last[1])))
    return and_(*conditions)


async def window_end(session: AsyncSession, today: date, after: Key | None, limit: int) -> Key | None:
    """The key ``limit`` rows on from ``after`` in the watched index (None: fewer remain, the window runs to the
    end). The untraced rule walks the index once per run, window by window: rows it leaves (a case waiting for an
    AHTU) are passed, not read again by every later batch."""
    m = _missing.c
    found = await session.execute(
        select(m.fir_date, m.case_id)
        .where(_window(today, after, None))
        .order_by(m.fir_date, m.case_id)
        .offset(limit - 1)
        .limit(1)
    )
    row = found.first()
    return (row[0], row[1]) if row is not None else None


def _due_untraced(window: Any, limit: int) -> Any:
    m, c = _missing.c, _cases.c
    return (
        select(m.case_id, c.state_code, c.district_code, c.police_station_id, _ahtu_for(c).label("ahtu_id"))
        .select_from(_missing.join(_cases, _cases.c.id == m.case_id))
        .where(window, c.status == OPEN, c.state_code.in_(_states_with_units()))
        .order_by(m.fir_date, m.case_id)
        .limit(limit)  # the window holds at most this many: the planner walks the index instead of scanning
    )


def _due_trafficking(limit: int) -> Any:
    m, c, r = _missing.c, _cases.c, _risks.c
    return (
        select(m.case_id, c.state_code, c.district_code, c.police_station_id, _ahtu_for(c).label("ahtu_id"))
        .select_from(_risks.join(_missing, m.case_id == r.case_id).join(_cases, c.id == m.case_id))
        .where(r.suspected_trafficking.is_(True), m.workflow_state.is_(None))
        .where(c.status == OPEN, c.state_code.in_(_states_with_units()))
        .order_by(m.case_id)
        .limit(limit)
    )


async def escalate_batch(
    session: AsyncSession,
    rule: WorkflowRule,
    today: date,
    now: datetime,
    actor: str,
    limit: int,
    window: tuple[Key | None, Key | None] = (None, None),
) -> Batch:
    """Escalate the due cases under ``rule``: escalate-untraced those of the watched index's ``window`` (after,
    last], escalate-trafficking up to ``limit``."""
    batch = new_id()
    if rule is WorkflowRule.ESCALATE_UNTRACED:
        due, reason = _due_untraced(_window(today, *window), limit).subquery("due"), UNTRACED_REASON
    else:
        due, reason = _due_trafficking(limit).subquery("due"), TRAFFICKING_REASON
    unit = _directory.alias("unit")
    stays = or_(unit.c.district_code.is_(None), unit.c.district_code == due.c.district_code)
    rows = (
        select(
            due.c.case_id,
            due.c.ahtu_id,
            literal(rule.value),
            literal(reason),
            literal(today),
            literal(now, type_=_escalations.c.escalated_at.type),
            due.c.district_code,
            due.c.police_station_id,
            func.coalesce(unit.c.district_code, due.c.district_code),
            case((stays, due.c.police_station_id), else_=None),
            literal(first_report_due(today)),
            literal(batch),
        )
        .select_from(due.join(unit, unit.c.id == due.c.ahtu_id))
        .where(due.c.ahtu_id.is_not(None))
    )
    e = _escalations.c
    columns = [
        e.case_id,
        e.ahtu_id,
        e.rule,
        e.reason,
        e.escalated_on,
        e.escalated_at,
        e.from_district_code,
        e.from_station_id,
        e.to_district_code,
        e.to_station_id,
        e.report_due_on,
        e.batch,
    ]
    # A case another rule escalated meanwhile (its process holds that rule's lease) is skipped, not an error.
    statement = _insert(session)(_escalations).from_select(columns, rows).on_conflict_do_nothing()
    taken = await _changed(session, statement)
    if not taken:
        return Batch(batch, 0, 0)
    mine = select(e.case_id).where(e.batch == batch)
    await session.execute(
        update(_missing).where(_missing.c.case_id.in_(mine)).values(workflow_state=ESCALATED),
        execution_options={"synchronize_session": False},
    )
    place = _cases.c
    before = _json(
        session, "state", place.state_code, "district", e.from_district_code, "policeStation", e.from_station_id
    )
    after = _json(session, "state", place.state_code, "district", e.to_district_code, "policeStation", e.to_station_id)
    data = _json(
        session, "rule", e.rule, "ahtu", e.ahtu_id, "reportDueOn", e.report_due_on, "from", before, "to", after
    )
    events = select(
        e.case_id, literal(now, type_=_events.c.at.type), literal(CaseEventType.ESCALATED_TO_AHTU.value),
        literal(actor), e.reason, data,
    ).select_from(_escalations.join(_cases, place.id == e.case_id)).where(e.batch == batch)  # fmt: skip
    ev = _events.c
    await session.execute(insert(_events).from_select([ev.case_id, ev.at, ev.type, ev.actor, ev.note, ev.data], events))
    await session.execute(
        update(_cases)
        .where(_cases.c.id == e.case_id, e.batch == batch)
        .values(
            district_code=e.to_district_code,
            police_station_id=e.to_station_id,
            version=_cases.c.version + 1,
            updated_at=now,
        ),
        execution_options={"synchronize_session": False},
    )
    return Batch(batch, taken, taken)


async def settle_batch(session: AsyncSession, today: date, window: tuple[Key | None, Key | None]) -> int:
    """Mark the watched cases of ``window`` that closed before their 4 months were up as SETTLED (out of the index)."""
    m, c = _missing.c, _cases.c
    closed = exists().where(c.id == m.case_id, c.status != OPEN)
    settled = update(_missing).where(_window(today, *window), closed).values(workflow_state=SETTLED)
    return await _changed(session, settled.execution_options(synchronize_session=False))


def _unnoted_due(today: date) -> Any:
    e = _escalations.c
    return and_(e.report_due_on < today, or_(e.overdue_noted_on.is_(None), e.overdue_noted_on < e.report_due_on))


async def overdue_batch(session: AsyncSession, today: date, now: datetime, actor: str, limit: int) -> Batch:
    """Record one ``AHTU_REPORT_OVERDUE`` event per open case whose AHTU report is past due (once per due date)."""
    batch, e = new_id(), _escalations.c
    due = select(e.case_id).where(_unnoted_due(today)).order_by(e.report_due_on).limit(limit)
    noted = update(_escalations).where(e.case_id.in_(due)).values(overdue_noted_on=e.report_due_on, batch=batch)
    taken = await _changed(session, noted.execution_options(synchronize_session=False))
    if not taken:
        return Batch(batch, 0, 0)
    data = _json(session, "ahtu", e.ahtu_id, "dueOn", e.report_due_on)
    events = (
        select(
            e.case_id,
            literal(now, type_=_events.c.at.type),
            literal(CaseEventType.AHTU_REPORT_OVERDUE.value),
            literal(actor),
            literal(None, type_=_events.c.note.type),
            data,
        )
        .select_from(_escalations.join(_cases, _cases.c.id == e.case_id))
        .where(e.batch == batch, _cases.c.status == OPEN)
    )
    ev = _events.c
    changed = await _changed(
        session, insert(_events).from_select([ev.case_id, ev.at, ev.type, ev.actor, ev.note, ev.data], events)
    )
    return Batch(batch, changed, taken)


# --- leases ---------------------------------------------------------------------------------------------------


async def take_lease(session: AsyncSession, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Hold ``name`` until now + ``ttl`` unless another holder's lease is still running (commit to make it hold).

    On PostgreSQL a concurrent taker waits on the row's lock, then finds the lease taken; SQLite has one writer."""
    await session.execute(_insert(session)(_leases).values(name=name).on_conflict_do_nothing())
    l = _leases.c  # noqa: E741
    taken = (
        update(_leases)
        .where(l.name == name, or_(l.until.is_(None), l.until < now, l.holder == holder))
        .values(holder=holder, until=now + ttl)
    )
    return bool(await _changed(session, taken))


async def renew_lease(session: AsyncSession, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Extend a lease ``holder`` still holds (in the batch's own transaction); False: it ran out and was taken."""
    l = _leases.c  # noqa: E741
    renewed = update(_leases).where(l.name == name, l.holder == holder, l.until >= now).values(until=now + ttl)
    return bool(await _changed(session, renewed))


async def release_lease(session: AsyncSession, name: str, holder: str) -> None:
    l = _leases.c  # noqa: E741
    await session.execute(update(_leases).where(l.name == name, l.holder == holder).values(holder=None, until=None))
