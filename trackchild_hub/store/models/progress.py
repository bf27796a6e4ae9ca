"""A State's Mission Vatsalya financial statement for a year: one row per version, never changed once written.

``lines`` holds the components' amounts in whole rupees (``domain.progress_financials.stored``): exact on both
backends. The highest version of a (state, year) is the current one; who wrote each version and when is on its row,
so the history is the rows themselves, and the unique (state, year, version) key lets one of two writers of the same
version win (the other: CONFLICT).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class ProgressFinancialsRow(Base):
    __tablename__ = "progress_financials"
    __table_args__ = (
        UniqueConstraint("state_code", "financial_year", "version", name="uq_progress_financials_version"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    financial_year: Mapped[int]  # the year it starts: 2026 is 2026-27
    version: Mapped[int]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_agency: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
