"""What a missing case shows of the workflow: its SOP risk assessment, its escalation to an Anti Human Trafficking
Unit with the AHTU's progress reports, and its investigation checklist; and the risk assessment's input.

Access: who may read the case (``cases:read``) sees the urgency, the suspicions, who did what and when — what every
officer on the case must know to act. The vulnerabilities (disability, health, abuse at home) and the free text (the
assessment's notes, a report's summary, a checklist note) can identify the child: ``child:identity`` or
``child:sensitive``, as the child's own details."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from ..auth.scopes import Scope
from ..domain.risk_assessment import RiskAssessment as RiskData
from ..domain.risk_assessment import Urgency, Vulnerability
from ..domain.workflow_rules import ChecklistItem, WorkflowCase, report_overdue
from ..resolvers.context import Info
from ..store.workflow_records import CaseWorkflow
from .access import IDENTITY, protected, public

strawberry.enum(Urgency, description="How fast to act (SOP 2016): ROUTINE, HIGH, IMMEDIATE.")
strawberry.enum(Vulnerability, description="What makes a missing child more at risk (SOP 2016 risk assessment).")
strawberry.enum(ChecklistItem, description="The investigation checklist of a missing child's case (SOP 2016).")

IDENTITY_OR_SENSITIVE = [[Scope.CHILD_IDENTITY.value], [Scope.CHILD_SENSITIVE.value]]


@strawberry.input(description="The SOP 2016 risk assessment of a missing child (the child's age comes with the child).")
class RiskAssessmentInput:
    vulnerabilities: list[Vulnerability] = strawberry.field(default_factory=list, description="What applies.")
    suspected_trafficking: bool = strawberry.field(default=False, description="Trafficking is suspected.")
    suspected_abduction: bool = strawberry.field(default=False, description="Abduction or kidnapping is suspected.")
    urgency: Urgency | None = strawberry.field(
        default=None, description="Default: what the facts call for; it may be raised, never lowered."
    )
    notes: str | None = strawberry.field(
        default=None, description="What else the officer learned (required for OTHER)."
    )

    def to_domain(self) -> RiskData:
        return RiskData(
            vulnerabilities=list(self.vulnerabilities),
            suspected_trafficking=self.suspected_trafficking,
            suspected_abduction=self.suspected_abduction,
            urgency=self.urgency,
            notes=self.notes,
        )


@strawberry.type(description="The risk assessment recorded with the missing report (SOP 2016).")
class RiskAssessment:
    urgency: Urgency = public("The urgency: never below what age, vulnerabilities and suspicions call for.")
    suspected_trafficking: bool = public("Trafficking is suspected (the case goes to the AHTU at once).")
    suspected_abduction: bool = public("Abduction or kidnapping is suspected.")
    age_years: int | None = public("The child's age when assessed.")
    assessed_at: datetime = public("When.")
    assessed_by: str | None = public("Who (subject of the token).")
    vulnerabilities: list[Vulnerability] | None = protected(
        IDENTITY_OR_SENSITIVE, "What makes the child more at risk (child:identity or child:sensitive)."
    )
    notes: str | None = protected(IDENTITY_OR_SENSITIVE, "The officer's notes (child:identity or child:sensitive).")
    _case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "MissingCase", self._case_id


@strawberry.type(description="One item of the investigation checklist: done or not, by whom and when.")
class ChecklistEntry:
    item: ChecklistItem = public("The item.")
    done: bool = public("Whether it is done.")
    done_at: datetime | None = public("When it was ticked.")
    done_by: str | None = public("Who ticked it (subject of the token).")
    note: str | None = protected(IDENTITY, "The note left with it; may name people.")
    _case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "MissingCase", self._case_id


@strawberry.type(description="A progress report the AHTU filed on the case.")
class AhtuProgressReport:
    filed_on: date = public("The day filed.")
    filed_at: datetime = public("When filed.")
    filed_by: str | None = public("Who filed it (subject of the token).")
    due_on: date = public("The due date it answered.")
    summary: str | None = protected(IDENTITY, "What the AHTU did and found; may name people.")
    _case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "MissingCase", self._case_id


@strawberry.type(description="The case is with an Anti Human Trafficking Unit: since when, why, and its reports.")
class AhtuEscalation:
    ahtu_id: str = public("The AHTU's directory entry id (see `directory`).")
    ahtu_name: str | None = public("The AHTU's name.")
    rule: str = public("The rule that escalated it: escalate-untraced or escalate-trafficking.")
    reason: str = public("Why, as the rule book says it.")
    escalated_on: date = public("The day it was escalated.")
    report_due_on: date = public("When the AHTU's next progress report is due (every 3 months).")
    report_overdue: bool = public("The next progress report is past due.")
    reports: list[AhtuProgressReport] = public("The AHTU's progress reports, oldest first.")


def risk_of(workflow: CaseWorkflow | None) -> RiskAssessment | None:
    risk = workflow.risk if workflow else None
    if risk is None:
        return None
    return RiskAssessment(
        urgency=Urgency(risk.urgency),
        suspected_trafficking=risk.suspected_trafficking,
        suspected_abduction=risk.suspected_abduction,
        age_years=risk.age_years,
        assessed_at=risk.assessed_at,
        assessed_by=risk.assessed_by,
        vulnerabilities=[Vulnerability(v) for v in risk.vulnerabilities],
        notes=risk.notes,
        _case_id=risk.case_id,
    )


def checklist_of(case_id: str, workflow: CaseWorkflow | None) -> list[ChecklistEntry]:
    ticks = {t.item: t for t in workflow.ticks} if workflow else {}
    out = []
    for item in ChecklistItem:
        tick = ticks.get(item.value)
        out.append(
            ChecklistEntry(
                item=item,
                done=tick is not None,
                done_at=tick.done_at if tick else None,
                done_by=tick.done_by if tick else None,
                note=tick.note if tick else None,
                _case_id=case_id,
            )
        )
    return out


def escalation_of(
    workflow: CaseWorkflow | None, status: str, today: date, ahtu_name: str | None
) -> AhtuEscalation | None:
    e = workflow.escalation if workflow else None
    if e is None:
        return None
    state = WorkflowCase(kind="MISSING", status=status, fir_date=None, report_due_on=e.report_due_on)
    assert workflow is not None
    return AhtuEscalation(
        ahtu_id=e.ahtu_id,
        ahtu_name=ahtu_name,
        rule=e.rule,
        reason=e.reason,
        escalated_on=e.escalated_on,
        report_due_on=e.report_due_on,
        report_overdue=report_overdue(state, today),
        reports=[
            AhtuProgressReport(
                filed_on=r.filed_on,
                filed_at=r.filed_at,
                filed_by=r.filed_by,
                due_on=r.due_on,
                summary=r.summary,
                _case_id=r.case_id,
            )
            for r in workflow.reports
        ],
    )


async def workflow_of(info: Info, case_id: str) -> CaseWorkflow | None:
    return await info.context.loaders.workflow_by_case_id.one(case_id)


async def resolve_risk(root: Any, info: Info) -> RiskAssessment | None:
    return risk_of(await workflow_of(info, root._row.id))


async def resolve_checklist(root: Any, info: Info) -> list[ChecklistEntry]:
    return checklist_of(root._row.id, await workflow_of(info, root._row.id))


async def resolve_escalation(root: Any, info: Info) -> AhtuEscalation | None:
    workflow = await workflow_of(info, root._row.id)
    if workflow is None or workflow.escalation is None:
        return None
    unit = await info.context.loaders.directory_entry_by_id.one(workflow.escalation.ahtu_id)
    return escalation_of(workflow, root._row.status, info.context.today, unit.name if unit is not None else None)
