"""The missing-child workflow's root fields: ``tickInvestigationChecklist``, ``fileAhtuProgressReport`` and
``overdueAhtuReports``; each one line over ``services.case_workflow``. The rules that move cases by themselves run as
a job (``trackchild-hub workflow run``, and inside ``serve``), not through the API."""

from __future__ import annotations

from datetime import date

import strawberry

from ..auth.scopes import Scope
from ..domain.workflow_rules import ChecklistItem
from ..resolvers.context import Info
from ..services import case_workflow as service
from ..services import record_rule as rule
from .access import PUBLIC_RECORD, any_of, operation, public_type
from .case_kinds import MissingCase
from .pagination import Connection


@strawberry.input(description="Tick an item of a missing case's investigation checklist.")
class TickChecklistInput:
    case_id: strawberry.ID = strawberry.field(description="The missing case.")
    item: ChecklistItem = strawberry.field(description="The item done.")
    note: str | None = strawberry.field(default=None, description="A note (to whom it was sent, where published).")


@strawberry.input(description="An AHTU's progress report on a case it holds.")
class AhtuProgressReportInput:
    case_id: strawberry.ID = strawberry.field(description="The case.")
    summary: str = strawberry.field(description="What was done and found since the last report.")


@public_type
@strawberry.type(description="A case whose AHTU progress report is past due: no identity, the case by reference.")
class OverdueAhtuReport:
    ahtu_id: str = strawberry.field(description="The AHTU's directory entry id.")
    ahtu_name: str = strawberry.field(description="The AHTU's name.")
    case_id: strawberry.ID = strawberry.field(description="The case (see `case(id:)`).")
    reference: str = strawberry.field(description="The case reference.")
    state: str = strawberry.field(description="LGD state code of the case.")
    district: str | None = strawberry.field(description="LGD district code of the case.")
    escalated_on: date = strawberry.field(description="When the case went to the AHTU.")
    due_on: date = strawberry.field(description="When the report was due.")
    days_overdue: int = strawberry.field(description="Days past due.")

    @classmethod
    def of(cls, o: service.Overdue) -> OverdueAhtuReport:
        r = o.report
        return cls(
            ahtu_id=r.escalation.ahtu_id,
            ahtu_name=r.ahtu_name,
            case_id=strawberry.ID(r.escalation.case_id),
            reference=r.reference,
            state=r.state_code,
            district=r.district_code,
            escalated_on=r.escalation.escalated_on,
            due_on=r.escalation.report_due_on,
            days_overdue=o.days,
        )


async def _tick(info: Info, input: TickChecklistInput) -> MissingCase:
    row = await service.tick_checklist(info.context, str(input.case_id), input.item, input.note)
    return MissingCase.of(row)  # type: ignore[arg-type]


async def _file(info: Info, input: AhtuProgressReportInput) -> MissingCase:
    row = await service.file_ahtu_report(info.context, str(input.case_id), input.summary)
    return MissingCase.of(row)  # type: ignore[arg-type]


async def _overdue(
    info: Info, ahtu: str | None = None, first: int = 100, after: str | None = None
) -> Connection[OverdueAhtuReport]:
    page = await service.overdue_ahtu_reports(info.context, ahtu, first, after)
    return Connection.of(page, OverdueAhtuReport.of)


TICK_INVESTIGATION_CHECKLIST = operation(
    any_of(Scope.CASES_WRITE),
    "Tick an item of a missing case's investigation checklist; who and when are recorded (cases:write).",
    resolver=_tick,
    records={"input.caseId": rule.case_named},
)
FILE_AHTU_PROGRESS_REPORT = operation(
    any_of(Scope.CASES_WRITE),
    "The AHTU holding a case files its progress report, due every 3 months (cases:write, agency ahtu).",
    resolver=_file,
    records={"input.caseId": rule.case_named},
)
OVERDUE_AHTU_REPORTS = operation(
    any_of(Scope.CASES_READ),
    "Open cases in your jurisdiction whose AHTU progress report is past due, per AHTU, longest due first within "
    "each, a page at a time (cases:read).",
    resolver=_overdue,
    records={"ahtu": PUBLIC_RECORD},  # a filter on the public directory; the rows stay inside the caller's scope
)
