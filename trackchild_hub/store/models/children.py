"""Children, their guardians and aliases. Names are identity data (JJ Act s.74): never logged."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class ChildRow(Base):
    __tablename__ = "children"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str | None] = mapped_column(String(200))
    # Lower-cased, whitespace-collapsed name and aliases for the free-text filter.
    search_text: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str] = mapped_column(String(12))
    age_years: Mapped[int | None]
    age_reported_on: Mapped[date]
    date_of_birth: Mapped[date | None]
    # Date of birth, or the one implied by the reported age: lets SQL filter by current age.
    birth_estimate: Mapped[date | None] = mapped_column(index=True)
    height_cm: Mapped[int | None]
    complexion: Mapped[str | None] = mapped_column(String(50))
    identifying_marks: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    clothing: Mapped[str | None] = mapped_column(Text)
    confidential: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GuardianRow(Base):
    __tablename__ = "guardians"

    # Integer keys: appended in order (cheap bulk inserts), and never shown outside the hub.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    relation: Mapped[str] = mapped_column(String(12))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(16))


class ChildAliasRow(Base):
    __tablename__ = "child_aliases"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    alias: Mapped[str] = mapped_column(String(100))
