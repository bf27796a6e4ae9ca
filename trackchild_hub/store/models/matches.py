"""Match proposals: a missing case and a found or care case the matcher linked, and what a reviewer decided."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class MatchProposalRow(Base):
    __tablename__ = "match_proposals"
    __table_args__ = (UniqueConstraint("missing_case_id", "other_case_id"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "<missing case id>~<other case id>"
    missing_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    other_case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(12))
    factors: Mapped[list[dict[str, object]]] = mapped_column(JSON)  # field, weight, detail: never identifying values
    status: Mapped[str] = mapped_column(String(12), default="PROPOSED", index=True)  # PROPOSED | CONFIRMED | REJECTED
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
