"""Directory entries of every kind (police stations, CWCs, JJBs, DCPUs, ...), one table keyed by a stable id; the
areas each covers, the functionaries of each, and the history of every change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class DirectoryEntryRow(Base):
    __tablename__ = "directory_entries"
    __table_args__ = (
        Index("ix_directory_kind_place", "kind", "state_code", "district_code"),
        # nearest(): a latitude band per kind, longitudes checked on the band's rows.
        Index("ix_directory_kind_latitude", "kind", "latitude", "longitude"),
    )

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
    # Police stations: the SJPU and AHTU that cover them (ids of entries of those kinds).
    sjpu_id: Mapped[str | None] = mapped_column(String(60))
    ahtu_id: Mapped[str | None] = mapped_column(String(60))
    last_verified_on: Mapped[date | None]
    retired_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DirectoryCoverageRow(Base):
    """One area an entry covers: a district (LGD code) or a PIN code. An entry without any covers its own district
    (its own PIN code for police stations); see ``directories.coverage``."""

    __tablename__ = "directory_coverage"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("directory_entries.id", ondelete="CASCADE"), index=True)
    district_code: Mapped[str | None] = mapped_column(String(6), index=True)
    pin_code: Mapped[str | None] = mapped_column(String(6), index=True)


class FunctionaryRow(Base):
    """A person at a directory body (SHO, Child Welfare Police Officer, CWC chairperson, DCPO ...)."""

    __tablename__ = "directory_functionaries"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # "<entry id>~<position>"
    entry_id: Mapped[str] = mapped_column(ForeignKey("directory_entries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    designation: Mapped[str] = mapped_column(String(200))
    phones: Mapped[list[str]] = mapped_column(default=list)
    email: Mapped[str | None] = mapped_column(String(200))


class DirectoryChangeRow(Base):
    """Who changed which entry, when, how, and which fields (names of fields only: values live in the entry)."""

    __tablename__ = "directory_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(12))  # CREATED | UPDATED | RETIRED
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    actor: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(40))
    via: Mapped[str] = mapped_column(String(20))  # graphql | import
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
