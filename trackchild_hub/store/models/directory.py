"""Directory entries of every kind (police stations, CWCs, JJBs, DCPUs, ...), one table keyed by a stable id."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class DirectoryEntryRow(Base):
    __tablename__ = "directory_entries"
    __table_args__ = (Index("ix_directory_kind_place", "kind", "state_code", "district_code"),)

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str | None] = mapped_column(String(40))  # CCTNS code for police stations
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    address: Mapped[str | None] = mapped_column(String(500))
    pin_code: Mapped[str | None] = mapped_column(String(6), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    phones: Mapped[list[str]] = mapped_column(default=list)
    email: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[str | None] = mapped_column(String(100))
    languages: Mapped[list[str]] = mapped_column(default=list)
    institution_id: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"))
    last_verified_on: Mapped[date | None]
    retired_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
