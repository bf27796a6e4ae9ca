"""Children's photos attached to cases: what is known of each stored file, never its bytes (``store.file_store``).

``publish`` is the officer's consent to show this photo on the case's public notice, given with the photo; the
notice itself still needs the case's publication consent (``cases.publication_consent``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PhotoRow(Base):
    __tablename__ = "photos"
    __table_args__ = (Index("ix_photos_case_id_created_at", "case_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random; also the stored file's name
    case_id: Mapped[str] = mapped_column(String(32), ForeignKey("cases.id", ondelete="CASCADE"))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
