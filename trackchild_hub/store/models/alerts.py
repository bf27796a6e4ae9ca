"""The alert outbox: one row per message to one recipient, written in the transaction of the event it announces and
delivered later by the dispatcher (``services/dispatch.py``). Rows hold a case reference and a link, never a child's
name; ``last_error`` holds the gateway's status or the error's type, never a message or an address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class OutboxRow(Base):
    __tablename__ = "alert_outbox"
    __table_args__ = (
        # The dispatcher's claim: due rows of a status, oldest due first.
        Index("ix_alert_outbox_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    rule: Mapped[str] = mapped_column(String(40))  # NEW_MISSING_CASE | LIKELY_MATCH | ...
    case_id: Mapped[str | None] = mapped_column(String(32), index=True)  # the event's case (no FK: alerts outlive it)
    reference: Mapped[str] = mapped_column(String(80))  # the case reference (or pair of references) the text names
    recipient_entry_id: Mapped[str | None] = mapped_column(String(60))  # a directory entry ...
    recipient_functionary_id: Mapped[str | None] = mapped_column(String(80))  # ... or one of its functionaries
    channel: Mapped[str] = mapped_column(String(10))  # SMS | EMAIL | WEBHOOK
    address: Mapped[str] = mapped_column(String(500))  # phone number, e-mail address or webhook URL
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="PENDING")  # PENDING | DELIVERING | DELIVERED | DEAD
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
