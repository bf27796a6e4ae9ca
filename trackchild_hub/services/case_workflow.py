"""The missing-child workflow's use cases one case at a time: the risk assessment recorded with a missing report,
the investigation checklist, the AHTU's progress reports and the list of overdue ones (the rules that move cases by
themselves are the job's: ``services/workflow.py``).

Every case an input names goes through the record rule (``case_named``): outside the caller's jurisdiction it is
NOT_FOUND, as one that does not exist. Only an AHTU files an AHTU's progress report (the ``ahtu`` agency; the
operation's scope is ``cases:write``, which police hold too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.record_access import case_scope
from ..auth.scopes import Agency
from ..domain.age import current_age
from ..domain.enums import CaseKind
from ..domain.errors import BadUserInput, Forbidden
from ..domain.filters import check_first
from ..domain.records import CaseData
from ..domain.risk_assessment import effective_urgency, validate_risk
from ..domain.workflow_rules import ChecklistItem, next_report_due
from ..store import workflow_records as records
from ..store.models import CaseRow
from ..store.models.base import utcnow
from ..store.pagination import Page
from .record_rule import case_named
from .unit import Unit

MAX_SUMMARY = 4000


def _age(case: CaseData, today: date) -> int | None:
    return current_age(case.child.date_of_birth, case.child.age_years, today, today)


def check_risk(case: CaseData, today: date) -> None:
    """A missing report's risk assessment, if it carries one (errors name ``missing.risk_assessment...``)."""
    if case.missing is not None and case.missing.risk is not None:
        validate_risk(case.missing.risk, _age(case, today), "missing.risk_assessment")


async def store_risk(session: AsyncSession, case: CaseData, case_id: str, actor: str | None, today: date) -> None:
    """Write the assessment with the case (same transaction), at the urgency the facts call for at least."""
    if case.missing is None or case.missing.risk is None:
        return
    age = _age(case, today)
    records.add_risk(session, case_id, case.missing.risk, effective_urgency(case.missing.risk, age), age, actor)
    await session.flush()  # the new-case alert reads its urgency next


async def _missing_case(unit: Unit, case_id: str) -> CaseRow:
    row = await case_named(unit, case_id)
    if row.kind != CaseKind.MISSING.value or not isinstance(row, CaseRow):
        raise BadUserInput("input.caseId", "is not a missing child's case held at the hub")
    return row


async def tick_checklist(unit: Unit, case_id: str, item: ChecklistItem, note: str | None) -> CaseRow:
    """Mark an item of the investigation checklist done (who and when); an item done already stays as it was."""
    row = await _missing_case(unit, case_id)
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_SUMMARY:
        raise BadUserInput("input.note", f"is longer than {MAX_SUMMARY} characters")
    async with unit.write() as session:
        await records.tick(session, row.id, item.value, unit.principal.subject, text, utcnow())
    return row


async def file_ahtu_report(unit: Unit, case_id: str, summary: str) -> CaseRow:
    """The AHTU holding a case reports its progress; the next report falls due 3 months after the one answered."""
    if unit.principal.agency is not Agency.AHTU:
        raise Forbidden("only an Anti Human Trafficking Unit files its progress report", suggestion="use an AHTU token")
    row = await _missing_case(unit, case_id)
    text = summary.strip()
    if not text:
        raise BadUserInput("input.summary", "is required")
    if len(text) > MAX_SUMMARY:
        raise BadUserInput("input.summary", f"is longer than {MAX_SUMMARY} characters")
    today = unit.today
    async with unit.write() as session:
        escalation = await records.escalation_for_update(session, row.id)
        if escalation is None:
            raise BadUserInput("input.caseId", "is not with an AHTU", suggestion="the workflow escalates it first")
        next_due = next_report_due(escalation.report_due_on, today)
        await records.file_report(
            session,
            escalation,
            filed_on=today,
            next_due=next_due,
            actor=unit.principal.subject,
            summary=text,
            now=utcnow(),
        )
    return row


@dataclass(frozen=True, slots=True)
class Overdue:
    report: records.OverdueReport
    days: int


async def overdue_ahtu_reports(unit: Unit, ahtu: str | None, first: int, after: str | None) -> Page[Overdue]:
    """Open cases in the caller's jurisdiction whose AHTU progress report is past due, per AHTU; a page of them."""
    check_first(first)
    scope, today = case_scope(unit.principal), unit.today
    found = await unit.read(lambda s: records.overdue_reports(s, scope, today, ahtu, first, after))
    rows = [Overdue(r, (today - r.escalation.report_due_on).days) for r in found.rows]
    return Page(rows, found.has_next, found.cursors)
