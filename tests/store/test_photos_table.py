"""The photos table as migration 0011 makes it is the model's (both databases), and the local file store writes
atomically under random ids and refuses anything else as a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from trackchild_hub.domain.photos import new_photo_id
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.file_store import LocalPhotoFiles
from trackchild_hub.store.models import Base


def _differences(conn: Connection) -> list[Any]:
    def table_of(obj: Any, name: str | None, kind: str) -> str | None:
        return name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)

    context = MigrationContext.configure(
        conn,
        opts={
            "include_name": lambda name, kind, parent: kind != "table" or name == "photos",
            "include_object": lambda obj, name, kind, reflected, other: table_of(obj, name, kind) == "photos",
            "compare_type": True,
        },
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migration_matches_the_model(migrated: Services) -> None:
    async with migrated.engine.connect() as conn:
        differences = await conn.run_sync(_differences)
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
