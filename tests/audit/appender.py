"""A separate process appending to the access log: `python -m tests.audit.appender N` writes N one-row batches with
the hub's own writer, configured from the environment like the hub (TRACKCHILD_DATABASE_URL, _DATA_DIR, …)."""

from __future__ import annotations

import asyncio
import os
import sys

from trackchild_hub.audit.log import Reader
from trackchild_hub.audit.writer import AccessLogWriter
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import opened_sessions


async def main(batches: int) -> None:
    settings = Settings.from_env(os.environ)
    async with opened_sessions(settings) as sessions:
        writer = AccessLogWriter.for_settings(settings, sessions)
        for i in range(batches):
            reader = Reader(f"p{os.getpid()}-{i}", "officer-1", "demo-police", "police", "Appender", None)
            await writer.write(reader, [("Child", f"child-{os.getpid()}-{i}", ["name"])])


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
