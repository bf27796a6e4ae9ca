"""Children's photos: what is known of each stored file, never its bytes (``store.file_store``).

A photo belongs to a case (an officer's ``attachCasePhoto``) or to a citizen's report or sighting (sent with it), or
to both once a family's report became a case. ``publish`` is the officer's consent to show this photo on the case's
public notice, given with the photo (never set for a citizen's photo); the notice itself still needs the case's
publication consent (``cases.publication_consent``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PhotoRow(Base):
    __tablename__ = "photos"
    __table_args__ = (
        Index("ix_photos_case_id_created_at", "case_id", "created_at"),
        CheckConstraint("case_id IS NOT NULL OR citizen_report_id IS NOT NULL", name="owned"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random; also the stored file's name
    case_id: Mapped[str | None] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"))
    citizen_report_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("citizen_reports.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
