"""The photos table as migration 0011 makes it is the model's (both databases); the local file store writes
atomically under random ids and refuses anything else as a name; the photo settings and the link key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.migration_check import model_differences
from trackchild_hub.domain.photos import new_photo_id
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Settings, SettingsError
from trackchild_hub.store.file_store import LocalPhotoFiles
from trackchild_hub.store.photo_url_key import photo_url_key


async def test_migration_matches_the_model(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(model_differences, {"photos"})
    assert differences == []


async def test_the_local_store_writes_whole_files_named_by_id_and_nothing_else(tmp_path: Path) -> None:
    files = LocalPhotoFiles(tmp_path / "photos")
    photo_id = new_photo_id()
    await files.write(photo_id, b"first")
    await files.write(photo_id, b"second")  # replaced whole, by a rename
    assert await files.read(photo_id) == b"second"
    assert [p.name for p in (tmp_path / "photos").iterdir()] == [photo_id]  # no temporary file left behind
    assert (tmp_path / "photos" / photo_id).stat().st_mode & 0o777 == 0o600
    assert await files.read(new_photo_id()) is None
    assert await files.read("../../etc/passwd") is None
    with pytest.raises(ValueError, match="not a photo id"):
        await files.write("../outside", b"x")
    await files.remove(photo_id)
    assert await files.read(photo_id) is None


def test_photo_settings_and_the_link_key_kept_in_the_data_folder(tmp_path: Path) -> None:
    defaults = Settings.from_env({"TRACKCHILD_DATA_DIR": str(tmp_path)})
    assert (defaults.photos.max_bytes, defaults.photos.max_pixels, defaults.photos.url_ttl_s) == (
        5_000_000,
        40_000_000,
        300,
    )
    assert defaults.photo_dir == tmp_path / "photos"
    key = photo_url_key(defaults)
    assert len(key) == 32
    assert photo_url_key(defaults) == key  # made once, then read back
    assert (tmp_path / "photo-url-key").stat().st_mode & 0o777 == 0o600
    given = Settings.from_env({"TRACKCHILD_PHOTO_URL_KEY": "k" * 40, "TRACKCHILD_PHOTO_DIR": str(tmp_path / "p")})
    assert (photo_url_key(given), given.photo_dir) == (b"k" * 40, tmp_path / "p")
    for name, value in {
        "TRACKCHILD_PHOTO_MAX_BYTES": "5MB",
        "TRACKCHILD_PHOTO_MAX_PIXELS": "100000000",  # above Pillow's own bomb limit
        "TRACKCHILD_PHOTO_URL_TTL_S": "0",
        "TRACKCHILD_PHOTO_URL_KEY": "short",
    }.items():
        with pytest.raises(SettingsError, match=name):
            Settings.from_env({name: value})
