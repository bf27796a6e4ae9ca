"""The missing-child workflow's records: the SOP risk assessment of a missing report, the escalation of a case to an
Anti Human Trafficking Unit with the AHTU's progress reports, the investigation checklist, and the job's leases.

``missing_cases.workflow_state`` (on ``MissingCaseRow``) says where a case stands for the job: NULL while the rules
watch it, ``ESCALATED`` once with an AHTU, ``SETTLED`` when it closed before the 4 months were up. Only the NULL ones
are in the partial index the job scans, so a run over a million cases reads the few that are due."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class RiskAssessmentRow(Base):
    """The SOP 2016 risk assessment recorded with a missing report (one per case)."""

    __tablename__ = "risk_assessments"
    __table_args__ = (
        # the trafficking rule's candidates: few rows, read on every run
        Index(
            "ix_risk_assessments_trafficking",
            "case_id",
            postgresql_where=text("suspected_trafficking"),
            sqlite_where=text("suspected_trafficking"),
        ),
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessed_by: Mapped[str | None] = mapped_column(String(200))
    age_years: Mapped[int | None]  # the child's age when assessed
    urgency: Mapped[str] = mapped_column(String(12))  # ROUTINE | HIGH | IMMEDIATE (never below what the facts need)
    suspected_trafficking: Mapped[bool] = mapped_column(default=False)
    suspected_abduction: Mapped[bool] = mapped_column(default=False)
    vulnerabilities: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(Text)  # free text: may identify the child


class AhtuEscalationRow(Base):
    """A case with an AHTU: who, since when, why, where it was before, and when the next progress report is due."""

    __tablename__ = "ahtu_escalations"
    __table_args__ = (
        # the overdue rule's candidates: due reports not yet noted as overdue
        Index(
            "ix_ahtu_escalations_unnoted_due",
            "report_due_on",
            postgresql_where=text("overdue_noted_on IS NULL OR overdue_noted_on < report_due_on"),
            sqlite_where=text("overdue_noted_on IS NULL OR overdue_noted_on < report_due_on"),
        ),
        Index("ix_ahtu_escalations_ahtu_due", "ahtu_id", "report_due_on"),  # an AHTU's list, soonest due first
    )

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    ahtu_id: Mapped[str] = mapped_column(ForeignKey("directory_entries.id"))
    rule: Mapped[str] = mapped_column(String(24))  # escalate-untraced | escalate-trafficking
    reason: Mapped[str] = mapped_column(String(200))
    escalated_on: Mapped[date]  # the rules' date (``workflow run --today``)
    escalated_at: Mapped[datetime] = mapped_column(default=utcnow)  # when the hub did it
    from_district_code: Mapped[str | None] = mapped_column(String(6))
    from_station_id: Mapped[str | None] = mapped_column(String(60))
    to_district_code: Mapped[str | None] = mapped_column(String(6))
    to_station_id: Mapped[str | None] = mapped_column(String(60))
    report_due_on: Mapped[date]
    overdue_noted_on: Mapped[date | None]  # the due date last recorded as overdue (one event per due date)
    batch: Mapped[str | None] = mapped_column(String(32), index=True)  # the job's last batch that touched it


class AhtuReportRow(Base):
    """A progress report an AHTU filed on a case it holds."""

    __tablename__ = "ahtu_reports"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ahtu_id: Mapped[str] = mapped_column(String(60))
    filed_on: Mapped[date]
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    filed_by: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date]  # the due date it answered
    summary: Mapped[str] = mapped_column(Text)  # free text: may identify the child


class ChecklistTickRow(Base):
    """An item of a missing case's investigation checklist, done: by whom and when."""

    __tablename__ = "checklist_ticks"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class WorkflowLeaseRow(Base):
    """One rule's lease: the hub process running it (``holder``) until ``until``; others skip the rule meanwhile."""

    __tablename__ = "workflow_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(80))
    until: Mapped[datetime | None]
