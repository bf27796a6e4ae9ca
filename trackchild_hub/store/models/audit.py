"""The access log: append-only, each row carrying the link (keyed MAC) of the one before it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AccessLogRow(Base):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    request_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(200))
    client_id: Mapped[str | None] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(40))
    operation: Mapped[str | None] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    fields: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 under key_id's key (audit/chain.py)
    key_id: Mapped[str | None] = mapped_column(String(40))  # None: written before the chain was keyed


class AuditHeadRow(Base):
    """The chain's head (one row): appenders lock it first, so concurrent requests extend the chain in turn."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    length: Mapped[int] = mapped_column(default=0)  # rows in the chain
    last_hash: Mapped[str] = mapped_column(String(64))
