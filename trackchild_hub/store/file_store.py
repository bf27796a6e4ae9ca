"""The photo file store's local-folder adapter (``domain.photos.PhotoFiles``): one file per photo, named by its id.

Writes are atomic: the bytes go to a temporary file in the same folder, are flushed to disk, then renamed over the
final name, so a reader (or a crash) never sees half a photo. File work runs on a thread, off the event loop. Ids
are checked before they become a path (``is_photo_id``: 32 lower-case hex characters), so no id reaches outside the
folder. Files are owner-only (0600).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

from ..domain.photos import PhotoShelf, is_photo_id
from ..settings import Settings
from .photo_url_key import photo_url_key


class LocalPhotoFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, photo_id: str) -> Path:
        if not is_photo_id(photo_id):
            raise ValueError("not a photo id")
        return self.folder / photo_id

    async def write(self, photo_id: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(photo_id), data)

    async def read(self, photo_id: str) -> bytes | None:
        if not is_photo_id(photo_id):
            return None
        return await asyncio.to_thread(_read, self._path(photo_id))

    async def remove(self, photo_id: str) -> None:
        await asyncio.to_thread(self._path(photo_id).unlink, missing_ok=True)

    def _write(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def photo_shelf(settings: Settings) -> PhotoShelf:
    """The photo store, limits and link key these settings name (the key made in the data folder if unset)."""
    limits = settings.photos
    return PhotoShelf(
        files=LocalPhotoFiles(settings.photo_dir),
        url_key=photo_url_key(settings),
        url_ttl_s=limits.url_ttl_s,
        max_bytes=limits.max_bytes,
        max_pixels=limits.max_pixels,
        base_url=settings.public_url,
    )
