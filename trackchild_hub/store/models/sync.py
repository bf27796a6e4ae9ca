"""Sync cursors: how far the hub has read each connector's change feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SyncCursorRow(Base):
    """Written in the same transaction as the batch it follows, so a crash can neither skip nor repeat a batch."""

    __tablename__ = "sync_cursors"

    connector_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    cursor: Mapped[str] = mapped_column(Text)
    records: Mapped[int] = mapped_column(default=0)  # applied through this cursor, all runs together
    updated_at: Mapped[datetime]
