"""Child Care Institutions (JJ Act s.41 registration)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, new_id, utcnow


class InstitutionRow(Base):
    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    registration_number: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    run_by: Mapped[str] = mapped_column(String(20))
    gender_served: Mapped[str] = mapped_column(String(10))
    capacity: Mapped[int]
    address: Mapped[str | None] = mapped_column(String(500))
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), index=True)
    pin_code: Mapped[str | None] = mapped_column(String(6))
    phone: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
