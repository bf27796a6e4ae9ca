"""What citizens tell the hub without a token: a family's report of a missing child and a passer-by's sighting, each
waiting at the police station covering its place until an officer triages it; and the timeline of triage decisions.

The contact phone is kept for the station to call back and is never logged; the status code is kept only as a salted
hash (see ``domain/status_code.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class CitizenReportRow(Base):
    __tablename__ = "citizen_reports"
    __table_args__ = (
        # a station's triage queue (oldest first) and the Para Legal Volunteers' counts per station
        Index("ix_citizen_reports_station_triage", "police_station_id", "triage_status", "created_at"),
        # the per-phone rate limit: a phone's reports in the last window
        Index("ix_citizen_reports_phone_created", "contact_phone", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(12))  # MISSING (a family's report) | SIGHTING
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    code_salt: Mapped[str] = mapped_column(String(32))  # hex
    code_hash: Mapped[str] = mapped_column(String(64))  # hex
    contact_phone: Mapped[str] = mapped_column(String(16))  # E.164; never logged
    consent: Mapped[bool]
    declares_no_sexual_offence: Mapped[bool]
    needs_help: Mapped[bool] = mapped_column(default=False)  # a sighting of a child who needs help now
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    place_text: Mapped[str | None] = mapped_column(String(500))
    police_station_id: Mapped[str | None] = mapped_column(ForeignKey("directory_entries.id"))
    event_date: Mapped[date]
    # what the citizen describes (identity fields: child_name, reporter_name, contact_phone)
    child_name: Mapped[str | None] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(12))
    age_years: Mapped[int | None]
    height_cm: Mapped[int | None]
    complexion: Mapped[str | None] = mapped_column(String(50))
    identifying_marks: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    clothing: Mapped[str | None] = mapped_column(String(500))
    circumstances: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_relation: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # triage: UNTRIAGED -> TRIAGED (decision CASE_REGISTERED | LINKED | DISMISSED); CLOSED once its case is closed
    triage_status: Mapped[str] = mapped_column(String(12), default="UNTRIAGED")
    triage_decision: Mapped[str | None] = mapped_column(String(20))
    triaged_by: Mapped[str | None] = mapped_column(String(200))
    triaged_at: Mapped[datetime | None]
    linked_case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)


class CitizenReportEventRow(Base):
    """One event of a citizen report's life: RECEIVED, then each triage decision (who, when, what)."""

    __tablename__ = "citizen_report_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("citizen_reports.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    type: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
