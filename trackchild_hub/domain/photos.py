"""Children's photos: what an upload is, which formats the hub takes, and the file-store port photos are kept in.

A photo is identity data (JJ Act s.74): it is taken only as JPEG, PNG or WebP, recognised from its first bytes (the
declared content type and file name are the sender's word, not evidence), and kept only after re-encoding without
any metadata (``photo_codec``); the uploaded bytes themselves are never written anywhere. Stored photos are named by
random ids (``new_photo_id``), never by a case, child or file name, and are reached only through short-lived signed
URLs (``photo_urls``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Protocol

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
ACCEPTED = "JPEG, PNG or WebP"
PHOTO_ID_LENGTH = 32  # hex characters: 128 random bits


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One file of a multipart request (the GraphQL multipart request spec), as the HTTP layer read it.

    ``data`` is held in memory only up to the photo size limit: past it the reader stops keeping bytes and sets
    ``too_large`` (the rest of the part is read and dropped), so the use case can answer BAD_USER_INPUT naming the
    argument instead of the whole request failing.
    """

    filename: str | None
    declared_type: str | None
    data: bytes = field(repr=False)
    too_large: bool = False


@dataclass(frozen=True, slots=True)
class CleanPhoto:
    """A photo as the hub keeps it: re-encoded JPEG bytes with no metadata, and its size."""

    data: bytes = field(repr=False)
    content_type: str
    width: int
    height: int


class PhotoFiles(Protocol):
    """Where photo bytes live (a local folder by default: ``store.file_store.LocalPhotoFiles``).

    Implementations write atomically (a reader never sees half a file) and treat the id as opaque.
    """

    async def write(self, photo_id: str, data: bytes) -> None: ...

    async def read(self, photo_id: str) -> bytes | None: ...

    async def remove(self, photo_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class PhotoShelf:
    """The photo settings a use case and the ``/photos`` route need, with the store and the URL signing key."""

    files: PhotoFiles
    url_key: bytes = field(repr=False)
    url_ttl_s: int
    max_bytes: int
    max_pixels: int
    base_url: str  # the hub's public URL: signed links are absolute


def sniff(head: bytes) -> str | None:
    """The image format the first bytes announce (JPEG, PNG or WebP), else None (GIF, text, anything else)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def new_photo_id() -> str:
    return secrets.token_hex(PHOTO_ID_LENGTH // 2)


def is_photo_id(text: str) -> bool:
    """A well-formed photo id (lower-case hex of the right length): anything else never reaches the file store."""
    return len(text) == PHOTO_ID_LENGTH and all(c in "0123456789abcdef" for c in text)
