"""findMatches after an idle spell: the first search once ``REFRESH_S`` has passed, against a warm one.

    python -m bench.match_idle [--cases N] [--postgres URL --schema NAME]

Stores N synthetic cases (``tests/matching/bulk_store.py``: batches of 2,000 sharing one ``updated_at``, as
``import cases`` writes them), builds the index, then times findMatches in-process (GraphQL, a police principal):
warm (back to back), and each after 2.1 s of idle; and the index refresh alone after idle. Before the keyset cursor
the refresh re-read and re-added the last batch every time (0.45 s at 20,000 cases, and 52,000 rows held for 20,000
cases after eight refreshes).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench._portal_store import create_schema, drop_schema
from tests.factories import run
from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.app import build_services
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Settings
from trackchild_hub.store.migrate import upgrade

FIND = "query ($d: ChildDescriptionInput!) { findMatches(description: $d, first: 10) { id score } }"
DESCRIPTION = {
    "name": "Suman Kumari",
    "gender": "FEMALE",
    "ageYears": 6,
    "state": "10",
    "district": "196",
    "eventDate": "2026-10-01",
}


async def _timed_find(services: Services) -> float:
    started = time.perf_counter()
    result = await run(services, FIND, {"d": DESCRIPTION})
    assert result.errors is None, result.errors
    return 1000 * (time.perf_counter() - started)


async def main(cases: int, postgres: str | None, schema: str | None) -> None:
    folder = Path(tempfile.mkdtemp())
    url = postgres or f"sqlite+aiosqlite:///{folder / 'hub.db'}"
    if postgres and schema:
        await create_schema(postgres, schema)
    services = build_services(Settings(database_url=url, database_schema=schema, data_dir=folder / "data"))
    await upgrade(services.engine, services.geography)
    await write_cases(services, synthetic(cases))
    assert services.matcher is not None
    started = time.perf_counter()
    await services.matcher.index()
    print(f"{cases:,} cases on {services.engine.dialect.name}: index built in {time.perf_counter() - started:.2f} s")
    warm = [await _timed_find(services) for _ in range(8)]
    idle, refresh = [], []
    for _ in range(8):
        await asyncio.sleep(2.1)
        started = time.perf_counter()
        await services.matcher.index()
        refresh.append(1000 * (time.perf_counter() - started))
        await asyncio.sleep(2.1)
        idle.append(await _timed_find(services))
    index = await services.matcher.index()
    print(
        f"findMatches warm: median {statistics.median(warm):.1f} ms; after 2.1 s idle: median "
        f"{statistics.median(idle):.1f} ms, max {max(idle):.0f} ms; refresh alone after idle: median "
        f"{statistics.median(refresh):.1f} ms; index rows {len(index.records):,} for {len(index):,} open cases"
    )
    await services.engine.dispose()
    if postgres and schema:
        await drop_schema(postgres, schema)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--postgres", help="postgresql+asyncpg://... (default: a SQLite file in a temp folder)")
    parser.add_argument("--schema", help="a PostgreSQL schema to create, use and drop")
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.postgres, args.schema))
