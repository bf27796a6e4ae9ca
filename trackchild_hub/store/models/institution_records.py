"""An institution's infrastructure and inspections: one row per version, never changed once written.

The institution's current capacity stays on ``institutions.capacity`` (what occupancy and over-capacity read); each
infrastructure version keeps the capacity it recorded, so the history shows when it changed. An inspection is a series
of versions 1, 2, 3... under one ``inspection_id`` (a follow-up recorded later is its next version); the highest is
the current one. Who wrote each version and when is on its row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class InfrastructureRow(Base):
    __tablename__ = "institution_infrastructure"
    __table_args__ = (
        # two writers of the same version: one wins, the other gets CONFLICT
        UniqueConstraint("institution_id", "version", name="uq_institution_infrastructure_version"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    version: Mapped[int]
    capacity: Mapped[int]
    dormitories: Mapped[int]
    toilets: Mapped[int]
    classrooms: Mapped[int]
    medical_room: Mapped[bool]
    kitchen: Mapped[bool]
    cctv_cameras: Mapped[int]
    staff: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{post, sanctioned, in_position}]
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_agency: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class InspectionRow(Base):
    __tablename__ = "institution_inspections"
    __table_args__ = (
        UniqueConstraint("inspection_id", "version", name="uq_institution_inspections_version"),
        Index("ix_institution_inspections_institution", "institution_id", "inspected_on"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    inspection_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int]
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    inspected_on: Mapped[date]
    inspecting_body: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[date | None]
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_agency: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
