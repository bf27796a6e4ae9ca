"""The workflow's rule book (``domain.workflow_rules``) and the risk assessment (``domain.risk_assessment``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.risk_assessment import (
    RiskAssessment,
    Urgency,
    Vulnerability,
    effective_urgency,
    validate_risk,
)
from trackchild_hub.domain.workflow_rules import (
    WorkflowCase,
    add_months,
    next_report_due,
    report_overdue,
    trafficking_escalation,
    untraced_cutoff,
    untraced_due_on,
    untraced_escalation,
)


def missing(fir: date, **kw: object) -> WorkflowCase:
    return WorkflowCase(kind="MISSING", status="OPEN", fir_date=fir, **kw)  # type: ignore[arg-type]


def test_four_calendar_months_clip_to_the_month_end() -> None:
    assert add_months(date(2026, 10, 31), 4) == date(2027, 2, 28)
    assert add_months(date(2027, 10, 31), 4) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 15), -4) == date(2025, 11, 15)


def test_untraced_is_due_on_the_day_four_months_after_the_fir_not_before() -> None:
    fir = date(2026, 7, 10)
    assert untraced_escalation(missing(fir), date(2026, 11, 9)) is None
    assert untraced_escalation(missing(fir), date(2026, 11, 10)) is not None
    assert untraced_escalation(missing(fir, escalated_on=date(2026, 11, 10)), date(2027, 1, 1)) is None
    closed = WorkflowCase(kind="MISSING", status="RESOLVED", fir_date=fir)
    assert untraced_escalation(closed, date(2027, 1, 1)) is None


def test_the_sql_cutoff_chooses_exactly_the_cases_the_rule_chooses() -> None:
    # every FIR day over two years against every "today" around month ends: the SQL's fir_date <= cutoff(today)
    # must equal the rule's untraced_due_on(fir) <= today
    start = date(2026, 1, 1)
    firs = [start + timedelta(days=i) for i in range(730)]
    for today in [date(2027, m, d) for m in (2, 3, 6, 12) for d in (1, 27, 28)] + [date(2028, 2, 29)]:
        cutoff = untraced_cutoff(today)
        assert [f for f in firs if f <= cutoff] == [f for f in firs if untraced_due_on(f) <= today], today


def test_suspected_trafficking_goes_at_once() -> None:
    case = missing(date(2026, 11, 29), suspected_trafficking=True)
    assert trafficking_escalation(case, date(2026, 11, 29)) is not None
    assert trafficking_escalation(missing(date(2026, 11, 29)), date(2026, 11, 29)) is None


def test_reports_fall_due_every_three_months_and_overdue_the_day_after() -> None:
    due = date(2027, 3, 10)
    assert not report_overdue(missing(date(2026, 7, 10), report_due_on=due), due)
    assert report_overdue(missing(date(2026, 7, 10), report_due_on=due), due + timedelta(days=1))
    assert next_report_due(due, date(2027, 3, 1)) == date(2027, 6, 10)  # in its period
    assert next_report_due(due, date(2027, 5, 1)) == date(2027, 6, 10)  # late: the schedule keeps its days
    assert next_report_due(date(2027, 6, 10), date(2027, 3, 1)) == date(2027, 6, 10)  # before its period: no change


def test_urgency_is_never_below_what_the_facts_call_for() -> None:
    assert effective_urgency(RiskAssessment(), 12) is Urgency.ROUTINE
    assert effective_urgency(RiskAssessment(), 4) is Urgency.HIGH
    assert effective_urgency(RiskAssessment(vulnerabilities=[Vulnerability.DISABILITY]), 12) is Urgency.HIGH
    assert effective_urgency(RiskAssessment(suspected_abduction=True), 12) is Urgency.IMMEDIATE
    assert effective_urgency(RiskAssessment(urgency=Urgency.HIGH), 12) is Urgency.HIGH
    with pytest.raises(BadUserInput) as lowered:
        validate_risk(RiskAssessment(suspected_trafficking=True, urgency=Urgency.ROUTINE), 12)
    assert lowered.value.field == "risk_assessment.urgency"


@pytest.mark.parametrize(
    ("risk", "age", "field"),
    [
        (RiskAssessment(), None, "risk_assessment"),
        (RiskAssessment(vulnerabilities=[Vulnerability.OTHER]), 9, "risk_assessment.notes"),
        (RiskAssessment(vulnerabilities=[Vulnerability.DISABILITY] * 2), 9, "risk_assessment.vulnerabilities"),
        (RiskAssessment(notes="x" * 2001), 9, "risk_assessment.notes"),
    ],
)
def test_an_assessment_is_validated(risk: RiskAssessment, age: int | None, field: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        validate_risk(risk, age)
    assert raised.value.field == field
