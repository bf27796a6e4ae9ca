"""The workflow's records one case at a time (what the API writes and shows): risk assessments, checklist ticks,
AHTU progress reports, and the per-AHTU list of overdue reports (one query, inside the caller's jurisdiction)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType, CaseStatus
from ..domain.filters import RecordScope
from ..domain.risk_assessment import RiskAssessment, Urgency
from .events import CaseEventRepository
from .models import (
    AhtuEscalationRow,
    AhtuReportRow,
    CaseRow,
    ChecklistTickRow,
    ChildRow,
    DirectoryEntryRow,
    RiskAssessmentRow,
)
from .pagination import Page, decode_cursor, decode_date, encode_cursor


@dataclass(frozen=True, slots=True)
class CaseWorkflow:
    """Everything the workflow holds about one case (what ``MissingCase`` shows)."""

    risk: RiskAssessmentRow | None
    escalation: AhtuEscalationRow | None
    reports: tuple[AhtuReportRow, ...]
    ticks: tuple[ChecklistTickRow, ...]


@dataclass(frozen=True, slots=True)
class OverdueReport:
    escalation: AhtuEscalationRow
    ahtu_name: str
    reference: str
    state_code: str
    district_code: str | None


def add_risk(
    session: AsyncSession,
    case_id: str,
    risk: RiskAssessment,
    urgency: Urgency,
    age_years: int | None,
    actor: str | None,
) -> None:
    session.add(
        RiskAssessmentRow(
            case_id=case_id,
            assessed_by=actor,
            age_years=age_years,
            urgency=urgency.value,
            suspected_trafficking=risk.suspected_trafficking,
            suspected_abduction=risk.suspected_abduction,
            vulnerabilities=[v.value for v in risk.vulnerabilities],
            notes=(risk.notes or "").strip() or None,
        )
    )


async def workflow_by_case_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, CaseWorkflow]:
    """Four queries for a whole page of cases."""
    risks = {
        r.case_id: r for r in await session.scalars(select(RiskAssessmentRow).where(RiskAssessmentRow.case_id.in_(ids)))
    }
    escalations = {
        e.case_id: e for e in await session.scalars(select(AhtuEscalationRow).where(AhtuEscalationRow.case_id.in_(ids)))
    }
    reports: dict[str, list[AhtuReportRow]] = defaultdict(list)
    for report in await session.scalars(
        select(AhtuReportRow).where(AhtuReportRow.case_id.in_(ids)).order_by(AhtuReportRow.filed_at, AhtuReportRow.id)
    ):
        reports[report.case_id].append(report)
    ticks: dict[str, list[ChecklistTickRow]] = defaultdict(list)
    for tick in await session.scalars(select(ChecklistTickRow).where(ChecklistTickRow.case_id.in_(ids))):
        ticks[tick.case_id].append(tick)
    return {
        i: CaseWorkflow(risks.get(i), escalations.get(i), tuple(reports.get(i, ())), tuple(ticks.get(i, ())))
        for i in ids
    }


async def tick(
    session: AsyncSession, case_id: str, item: str, actor: str | None, note: str | None, now: datetime
) -> bool:
    """Mark a checklist item done (with a timeline event); False if it was done already (who and when stay).

    INSERT ... ON CONFLICT DO NOTHING, not a read then an insert: two officers ticking the same item at once both
    read it undone, and the second insert failed on the key (INTERNAL_SERVER_ERROR)."""
    insert_ = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {"case_id": case_id, "item": item, "done_at": now, "done_by": actor, "note": note}
    added = await session.execute(insert_(ChecklistTickRow).values(values).on_conflict_do_nothing())
    if getattr(added, "rowcount", 0) != 1:
        return False
    CaseEventRepository(session).append(
        case_id, CaseEventType.CHECKLIST_TICKED, actor=actor, note=note, data={"item": item}
    )
    await session.flush()
    return True


async def escalation_for_update(session: AsyncSession, case_id: str) -> AhtuEscalationRow | None:
    return (
        await session.scalars(select(AhtuEscalationRow).where(AhtuEscalationRow.case_id == case_id).with_for_update())
    ).first()


async def file_report(
    session: AsyncSession,
    escalation: AhtuEscalationRow,
    *,
    filed_on: date,
    next_due: date,
    actor: str | None,
    summary: str,
    now: datetime,
) -> AhtuReportRow:
    report = AhtuReportRow(
        case_id=escalation.case_id,
        ahtu_id=escalation.ahtu_id,
        filed_on=filed_on,
        filed_at=now,
        filed_by=actor,
        due_on=escalation.report_due_on,
        summary=summary,
    )
    session.add(report)
    CaseEventRepository(session).append(
        escalation.case_id,
        CaseEventType.AHTU_REPORT_FILED,
        actor=actor,
        data={
            "ahtu": escalation.ahtu_id,
            "dueOn": escalation.report_due_on.isoformat(),
            "nextDueOn": next_due.isoformat(),
        },
    )
    await session.execute(
        update(AhtuEscalationRow).where(AhtuEscalationRow.case_id == escalation.case_id).values(report_due_on=next_due)
    )
    await session.flush()
    return report


async def overdue_reports(
    session: AsyncSession, scope: RecordScope, today: date, ahtu_id: str | None, first: int, after: str | None
) -> Page[OverdueReport]:
    """Open cases whose AHTU progress report is past due, per AHTU (soonest due first), in ``scope``; a page of
    ``first`` after the cursor ``after`` (AHTU, due day, case id: the case id is unique, one escalation per case)."""
    e, c, unit = AhtuEscalationRow, CaseRow.__table__.c, DirectoryEntryRow
    query = (
        select(e, unit.name, c.reference, c.state_code, c.district_code)
        .join(CaseRow.__table__, c.id == e.case_id)
        .join(unit, unit.id == e.ahtu_id)
        .where(e.report_due_on < today, c.status == CaseStatus.OPEN.value)
        .order_by(e.ahtu_id, e.report_due_on, e.case_id)
        .limit(first + 1)
    )
    if after is not None:
        last_ahtu, day, last_case = decode_cursor(after, 3)
        due = decode_date(day)
        query = query.where(
            or_(
                e.ahtu_id > last_ahtu,
                and_(e.ahtu_id == last_ahtu, e.report_due_on > due),
                and_(e.ahtu_id == last_ahtu, e.report_due_on == due, e.case_id > last_case),
            )
        )
    if ahtu_id is not None:
        query = query.where(e.ahtu_id == ahtu_id)
    if scope.state is not None:
        query = query.where(c.state_code == scope.state)
    if scope.district is not None:
        query = query.where(c.district_code == scope.district)
    if not scope.confidential:
        query = query.join(ChildRow, ChildRow.id == c.child_id).where(ChildRow.confidential.is_(False))
    rows = [OverdueReport(row[0], row[1], row[2], row[3], row[4]) for row in await session.execute(query)]
    shown = rows[:first]
    cursors = [
        encode_cursor(r.escalation.ahtu_id, r.escalation.report_due_on.isoformat(), r.escalation.case_id) for r in shown
    ]
    return Page(shown, len(rows) > first, cursors)
