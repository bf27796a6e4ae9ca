"""Gives a few of the demo's open missing and found children a photo their officer consented to publish, so
``publicNotices`` in ``make run`` shows ``photoUrl`` (the demo's cases carry no photos, and none was consented).

The photos are placeholders the demo world draws (``demo.photos``: a coloured silhouette, never a face). Each goes the
way ``attachCasePhoto`` takes an upload: checked and re-encoded without metadata (``domain.photo_codec``), written to
the photo file store under a new random id (the hub's ``PhotoShelf``: ``TRACKCHILD_DATA_DIR``'s photo folder by
default), and recorded as a ``photos`` row with ``publish`` and a ``PHOTO_ATTACHED`` event; the case's publication
consent is set as ``updateCase`` sets it (``NOTICE_CONSENTED`` on its timeline). One transaction; the files are
removed again if it fails, so no row names a missing file. Run once, right after the demo's cases are imported.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.enums import CaseEventType, CaseKind, CaseStatus
from ..domain.photo_codec import clean_photo
from ..domain.photos import PhotoShelf, new_photo_id
from ..store.events import CaseEventRepository
from ..store.models import CaseRow, ChildRow, PhotoRow
from ..store.models.base import utcnow
from ..store.photos import PhotoRepository
from .demo.photos import PHOTO_NOTICES, placeholder_photos

ACTOR = "demo-seed"


async def seed_demo_photos(sessions: async_sessionmaker[AsyncSession], photos: PhotoShelf, *, seed: int) -> int:
    """Photos for the newest open, non-confidential missing and found children of the demo; returns how many."""
    written: list[str] = []
    try:
        async with sessions() as session, session.begin():
            cases = await _chosen(session)
            drawn = placeholder_photos(len(cases), seed)
            events, stored = CaseEventRepository(session), PhotoRepository(session)
            for case, png in zip(cases, drawn, strict=True):
                photo = await asyncio.to_thread(clean_photo, png, photos.max_pixels, "photo")  # as an upload
                row = PhotoRow(
                    id=new_photo_id(),
                    case_id=case.id,
                    content_type=photo.content_type,
                    size_bytes=len(photo.data),
                    width=photo.width,
                    height=photo.height,
                    publish=True,
                    created_at=utcnow(),
                    created_by=ACTOR,
                )
                await photos.files.write(row.id, photo.data)
                written.append(row.id)
                stored.add(row)
                events.append(
                    case.id, CaseEventType.PHOTO_ATTACHED, actor=ACTOR, data={"photoId": row.id, "publish": True}
                )
                if not case.publication_consent:
                    case.publication_consent, case.updated_at = True, utcnow()
                    consent: dict[str, Any] = {"publicationConsent": True}
                    events.append(case.id, CaseEventType.NOTICE_CONSENTED, actor=ACTOR, data=consent)
    except BaseException:
        for photo_id in written:
            await photos.files.remove(photo_id)
        raise
    return len(written)


async def _chosen(session: AsyncSession) -> list[CaseRow]:
    """The newest open missing and found children (half each) who are not confidential."""
    chosen: list[CaseRow] = []
    for kind in (CaseKind.MISSING, CaseKind.FOUND):
        query = (
            select(CaseRow)
            .join(ChildRow, ChildRow.id == CaseRow.child_id)
            .where(CaseRow.source == "demo", CaseRow.kind == kind.value, CaseRow.status == CaseStatus.OPEN.value)
            .where(ChildRow.confidential.is_(False))
            .order_by(CaseRow.reported_at.desc(), CaseRow.id)
            .limit(PHOTO_NOTICES // 2)
        )
        chosen += list(await session.scalars(query))
    return chosen
