"""The first build of a large match index, in a child process: building it from the store allocates several times
what the mapped snapshot costs (records, features, dicts), and a process does not give that memory back to the
system after it is freed, so a worker that built in-process kept ~300 MB more than the others (100,000 cases). The
child reads the store, writes the snapshot and exits; the worker, holding the writer lock meanwhile, maps it."""

from __future__ import annotations

import asyncio
import multiprocessing

from sqlalchemy import make_url

from ..domain.geography import load_geography
from ..matching.snapshot import SnapshotFile
from ..settings import Settings
from ..store.engine import engine_for, session_factory
from .match_service import MatchService


def snapshot_file(settings: Settings) -> SnapshotFile:
    return SnapshotFile(settings.data_dir / "match-index")


def store_key(settings: Settings) -> str:
    """Which store a match index snapshot in the data folder was read from (the URL without its password)."""
    url = make_url(settings.database_url).render_as_string(hide_password=True)
    return f"{url}#{settings.database_schema or ''}"


class ChildBuilder:
    """Picklable: what ``MatchService`` calls to build the snapshot in a spawned process (True: it exited cleanly)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self) -> bool:
        process = multiprocessing.get_context("spawn").Process(target=_build, args=(self.settings,), daemon=True)
        process.start()
        process.join()
        return process.exitcode == 0


def _build(settings: Settings) -> None:
    asyncio.run(_build_async(settings))


async def _build_async(settings: Settings) -> None:
    engine = engine_for(settings)
    try:
        service = MatchService(session_factory(engine), load_geography(), snapshot_file(settings), store_key(settings))
        try:
            await service.write_fresh_snapshot()
        finally:
            service.close()
    finally:
        await engine.dispose()
