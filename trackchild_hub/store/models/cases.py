"""Cases (joined-table inheritance: one ``cases`` row plus the details of its kind) and their event timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_cases_source_external_id"),
        Index("ix_cases_reported_at_id", "reported_at", "id"),
        Index("ix_cases_updated_at_id", "updated_at", "id"),  # the match index's refresh cursor
        Index("ix_cases_place", "state_code", "district_code"),
        Index("ix_cases_state_reported_at_id", "state_code", "reported_at", "id"),  # a state's page, newest first
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(default=1)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id"), index=True)
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    police_station_id: Mapped[str | None] = mapped_column(ForeignKey("directory_entries.id"), index=True)
    place_text: Mapped[str | None] = mapped_column(String(500))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    event_date: Mapped[date] = mapped_column(index=True)
    reported_at: Mapped[datetime]
    closure_reason: Mapped[str | None] = mapped_column(Text)
    publication_consent: Mapped[bool] = mapped_column(default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {  # noqa: RUF012
        "polymorphic_on": "kind",
        "with_polymorphic": "*",  # one LEFT JOIN of the three detail tables, never a query per row
        "version_id_col": version,  # every UPDATE checks the version read: optimistic concurrency
    }


class MissingCaseRow(CaseRow):
    __tablename__ = "missing_cases"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    fir_number: Mapped[str] = mapped_column(String(50))
    fir_date: Mapped[date]
    last_seen_time: Mapped[str | None] = mapped_column(String(5))
    circumstances: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_relation: Mapped[str | None] = mapped_column(String(50))
    reporter_phone: Mapped[str | None] = mapped_column(String(16))
    # The workflow job's mark (models/workflow.py): NULL while its rules watch the case, ESCALATED, SETTLED.
    workflow_state: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (  # type: ignore[assignment]  # a table of its own: its own indexes, not CaseRow's
        # what the untraced rule scans: watched cases by FIR date (escalated and settled ones are not in it)
        Index(
            "ix_missing_cases_watched_fir",
            "fir_date",
            postgresql_where=text("workflow_state IS NULL"),
            sqlite_where=text("workflow_state IS NULL"),
        ),
    )
    __mapper_args__ = {"polymorphic_identity": "MISSING"}  # noqa: RUF012


class FoundCaseRow(CaseRow):
    __tablename__ = "found_cases"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    found_by: Mapped[str | None] = mapped_column(String(200))
    found_by_contact: Mapped[str | None] = mapped_column(String(16))
    current_placement: Mapped[str | None] = mapped_column(String(500))
    institution_id: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    missing_since: Mapped[date | None]

    __mapper_args__ = {"polymorphic_identity": "FOUND"}  # noqa: RUF012


class CareCaseRow(CaseRow):
    __tablename__ = "care_cases"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    # None only for a synced case whose institution the hub's registry does not know yet (see extra["unresolved"])
    institution_id: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    admission_order_number: Mapped[str | None] = mapped_column(String(60))
    admission_order_date: Mapped[date | None]
    admission_date: Mapped[date]
    exit_date: Mapped[date | None]

    __mapper_args__ = {"polymorphic_identity": "CARE"}  # noqa: RUF012


class CaseEventRow(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    type: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReferenceCounterRow(Base):
    """The last case sequence number handed out per state and year."""

    __tablename__ = "reference_counters"

    state_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
