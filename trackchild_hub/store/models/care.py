"""The CCI e-file: one row per version of an entry, never changed once written (JJ Act s.99 records are kept).

An entry (``entry_id``) is a series of versions 1, 2, 3...; a correction or a later state of the same thing (a review
now held) is a new row with the next version, and the highest version is the current one. Who wrote each version and
when is on its row, so the history is the rows themselves. ``occurred_on`` is the day the entry is about; ``due_on``
is set only on what is still owed (a review not yet held), which is what the overdue list reads.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class CareEntryRow(Base):
    __tablename__ = "care_entries"
    __table_args__ = (
        UniqueConstraint("entry_id", "version", name="uq_care_entries_entry_version"),  # two writers: one wins
        Index("ix_care_entries_case_entry", "case_id", "entry_id", "version"),  # a child's file, one index range
        Index("ix_care_entries_kind_due", "kind", "due_on"),  # overdue reviews
        Index("ix_care_entries_recorded_at", "recorded_at"),  # institutions whose children were not updated lately
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(String(32))
    version: Mapped[int]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date]
    due_on: Mapped[date | None]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_agency: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
