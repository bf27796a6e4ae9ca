"""Children's photos: attach one to a case (``attachCasePhoto``), and the signed links that show them.

Attaching follows ``updateCase``'s record rule (another district's case or a confidential child the caller may not
see is NOT_FOUND, as a missing id). The upload is checked (JPEG/PNG/WebP by its bytes, under
``TRACKCHILD_PHOTO_MAX_BYTES``, at most ``TRACKCHILD_PHOTO_MAX_PIXELS``) and re-encoded without metadata on a thread
(``domain.photo_codec``); only the re-encoded bytes are written to the file store, and the uploaded ones are dropped
with the request. The file is written before the row and removed again if the row's transaction fails, so a photo
row never names a missing file. The case timeline records who attached it (``PHOTO_ATTACHED``, with whether the
officer consented to show it on the public notice); nothing about the picture is logged.

Links (``photo_url`` for an officer, ``published_photo_urls`` for notices) are made only for a caller who may see the
photo at that moment, and expire after ``TRACKCHILD_PHOTO_URL_TTL_S``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.photo_codec import clean_photo
from ..domain.photo_urls import signed_path
from ..domain.photos import CleanPhoto, PhotoShelf, UploadedFile, new_photo_id
from ..store.events import CaseEventRepository
from ..store.file_store import photo_shelf
from ..store.models import CaseRow, PhotoRow
from ..store.models.base import utcnow
from ..store.photos import PhotoRepository
from .record_rule import case_named, visible_cases_of_child
from .unit import Services, Unit

FIELD = "photo"


def shelf(services: Services) -> PhotoShelf:
    return services.photos or photo_shelf(services.settings)


async def attach(unit: Unit, case_id: str, upload: object, publish: bool) -> PhotoRow:
    """Attach ``upload`` to a case the caller may see; ``publish``: may be shown on the case's public notice."""
    case = await case_named(unit, case_id)
    if not isinstance(case, CaseRow):
        raise BadUserInput("caseId", "is a state system's live record: attach a photo once it is synced")
    row = await filed(unit, await cleaned(unit, upload, FIELD), publish=publish)
    row.case_id = case.id
    async with removed_on_failure(unit, row), unit.write() as session:
        PhotoRepository(session).add(row)
        CaseEventRepository(session).append(
            case.id,
            CaseEventType.PHOTO_ATTACHED,
            actor=unit.principal.subject,
            data={"photoId": row.id, "publish": publish},
        )
    return row


async def withdraw_publication(unit: Unit, case_id: str) -> None:
    """Consent to show the case's photos on its notice withdrawn (all of them): gone from the next notice page, on
    the timeline with who and when when a photo was shown; links handed out before expire on their own (TTL)."""
    case = await case_named(unit, case_id)
    async with unit.write() as session:
        if await PhotoRepository(session).unpublish(case.id):
            CaseEventRepository(session).append(
                case.id, CaseEventType.PHOTO_WITHDRAWN, actor=unit.principal.subject, data={"publish": False}
            )


async def cleaned(unit: Unit, upload: object, field: str) -> CleanPhoto:
    """The upload checked and re-encoded without metadata (on a thread), or BAD_USER_INPUT naming ``field``."""
    photos = shelf(unit.services)
    data = checked_upload(upload, photos.max_bytes, field)
    return await asyncio.to_thread(clean_photo, data, photos.max_pixels, field)


async def filed(unit: Unit, photo: CleanPhoto, *, publish: bool = False) -> PhotoRow:
    """The photo written to the file store under a new random id, and its row (owner to set, not yet added): the
    caller adds it in its own transaction and calls ``unfiled`` if that fails, so no row names a missing file."""
    row = PhotoRow(
        id=new_photo_id(),
        content_type=photo.content_type,
        size_bytes=len(photo.data),
        width=photo.width,
        height=photo.height,
        publish=publish,
        created_at=utcnow(),
        created_by=unit.principal.subject,
    )
    await shelf(unit.services).files.write(row.id, photo.data)
    return row


async def unfiled(unit: Unit, row: PhotoRow) -> None:
    await shelf(unit.services).files.remove(row.id)


@asynccontextmanager
async def removed_on_failure(unit: Unit, row: PhotoRow | None) -> AsyncIterator[None]:
    """Around the transaction that adds ``row``: its file is removed again if the block fails."""
    try:
        yield
    except BaseException:
        if row is not None:
            await unfiled(unit, row)
        raise


def checked_upload(upload: object, max_bytes: int, field: str = FIELD) -> bytes:
    """The uploaded bytes, or BAD_USER_INPUT naming the argument (not a file, empty, or over the size limit)."""
    if not isinstance(upload, UploadedFile):
        raise BadUserInput(field, "send the photo as a file part of a multipart request (GraphQL multipart spec)")
    if upload.too_large:
        raise BadUserInput(field, f"is larger than the {max_bytes} bytes allowed")
    if not upload.data:
        raise BadUserInput(field, "is empty")
    return upload.data


async def photo_url_of_child(unit: Unit, child_id: str) -> str | None:
    """A signed link to the newest photo on any case of the child the caller may see; None without one."""
    child = await unit.loaders.child_by_id.one(child_id)
    if child is None:
        return None
    cases = await visible_cases_of_child(unit, child)
    photos = await asyncio.gather(*(unit.loaders.photo_by_case_id.one(c.id) for c in cases))  # one batch
    found = [p for p in photos if p is not None]
    if not found:
        return None
    newest = max(found, key=lambda p: (p.created_at, p.id))
    return link(shelf(unit.services), newest.id)


async def photo_url_of_report(unit: Unit, report_id: str) -> str | None:
    """A signed link to the photo sent with a citizen's report the caller reached through the record rule."""
    row = await unit.loaders.photo_by_report_id.one(report_id)
    return link(shelf(unit.services), row.id) if row is not None else None


async def published_photo_urls(unit: Unit, case_ids: Sequence[str]) -> dict[str, str]:
    """Signed links to the photos an officer consented to publish, for notices already listed (their cases pass the
    listing rule): case id -> link, for the cases that have one."""
    if not case_ids:
        return {}
    rows = await unit.read(lambda s: PhotoRepository(s).newest_by_case_ids(case_ids, published=True))
    photos = shelf(unit.services)
    return {case_id: link(photos, row.id) for case_id, row in rows.items()}


def link(photos: PhotoShelf, photo_id: str) -> str:
    return photos.base_url + signed_path(photos.url_key, photo_id, photos.url_ttl_s)
