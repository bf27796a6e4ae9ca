"""The missing-child workflow's rule book (Bachpan Bachao Andolan v. Union of India, 2013; MWCD SOP 2016): each rule
a plain function of a case and a date, so the rules read here in one place.

- ``untraced_escalation``: a missing child not traced within 4 months of the FIR goes to the state's Anti Human
  Trafficking Unit (AHTU); months are calendar months (an FIR of 31 October is due on 28 February).
- ``trafficking_escalation``: a missing child whose risk assessment suspects trafficking goes to the AHTU at once.
- ``report_overdue``: an AHTU owes a progress report on each case it holds every 3 months after escalation; a report
  is overdue the day after it was due. ``next_report_due`` moves the due date when one is filed.

The job (``services/workflow.py``) applies the same rules to a million cases in SQL, batch by batch; the bounds it
needs come from here (``untraced_cutoff``), and a test checks that both choose the same cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from .care_schedule import add_months as add_months  # one calendar-month rule for care and workflow

UNTRACED_MONTHS = 4
REPORT_EVERY_MONTHS = 3
UNTRACED_REASON = "not traced within 4 months of the FIR (SOP 2016: transfer to the AHTU)"
TRAFFICKING_REASON = "trafficking suspected in the risk assessment (SOP 2016: the AHTU investigates at once)"


class WorkflowRule(Enum):
    """The job's rules, in the order it runs them (the names ``workflow run`` prints)."""

    ESCALATE_TRAFFICKING = "escalate-trafficking"
    ESCALATE_UNTRACED = "escalate-untraced"
    AHTU_REPORT_OVERDUE = "ahtu-report-overdue"


class ChecklistItem(Enum):
    """The investigation checklist of a missing child's case (SOP 2016)."""

    RAILWAY_POLICE_INFORMED = "RAILWAY_POLICE_INFORMED"
    NEIGHBOURING_DISTRICTS_INFORMED = "NEIGHBOURING_DISTRICTS_INFORMED"
    BORDER_AGENCIES_INFORMED = "BORDER_AGENCIES_INFORMED"
    PHOTO_PUBLISHED = "PHOTO_PUBLISHED"
    TRACKCHILD_UPDATED = "TRACKCHILD_UPDATED"


@dataclass(frozen=True, slots=True)
class WorkflowCase:
    """What the rules read of a case."""

    kind: str  # MISSING | FOUND | CARE
    status: str  # OPEN | RESOLVED | CLOSED
    fir_date: date | None
    escalated_on: date | None = None
    suspected_trafficking: bool = False
    report_due_on: date | None = None

    @property
    def open_missing(self) -> bool:
        return self.kind == "MISSING" and self.status == "OPEN"


def untraced_due_on(fir_date: date) -> date:
    return add_months(fir_date, UNTRACED_MONTHS)


def untraced_cutoff(today: date) -> date:
    """The latest FIR date whose 4 months are up by ``today`` (what the job's SQL compares ``fir_date`` with)."""
    cutoff = add_months(today, -UNTRACED_MONTHS)
    while untraced_due_on(cutoff + timedelta(days=1)) <= today:  # month ends: 28-31 October are all due 28 February
        cutoff += timedelta(days=1)
    return cutoff


def untraced_escalation(case: WorkflowCase, today: date) -> str | None:
    """The reason to send the case to the AHTU now because it was not traced in time, or None."""
    if not case.open_missing or case.escalated_on is not None or case.fir_date is None:
        return None
    return UNTRACED_REASON if untraced_due_on(case.fir_date) <= today else None


def trafficking_escalation(case: WorkflowCase, today: date) -> str | None:
    """The reason to send the case to the AHTU at once because trafficking is suspected, or None."""
    del today  # at once: whatever the date
    if not case.open_missing or case.escalated_on is not None or not case.suspected_trafficking:
        return None
    return TRAFFICKING_REASON


def first_report_due(escalated_on: date) -> date:
    return add_months(escalated_on, REPORT_EVERY_MONTHS)


def report_overdue(case: WorkflowCase, today: date) -> bool:
    """The AHTU's progress report on an open case it holds is past its due date."""
    return case.open_missing and case.report_due_on is not None and case.report_due_on < today


def next_report_due(due_on: date, filed_on: date) -> date:
    """The due date after a report filed on ``filed_on``: a report filed in the period ending ``due_on`` (or late)
    covers it, and the next is due 3 months after ``due_on`` (the schedule keeps its days: a late report does not
    buy a longer next period); one filed before that period began changes nothing."""
    period_start = add_months(due_on, -REPORT_EVERY_MONTHS)
    return add_months(due_on, REPORT_EVERY_MONTHS) if filed_on > period_start else due_on
