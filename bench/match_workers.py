"""The match index shared by ``serve --workers N``: build vs snapshot map time, and memory per worker.

    python -m bench.match_workers [--cases 100000] [--postgres URL --schema NAME]

Stores N synthetic cases (``tests/matching/bulk_store.py``), then in-process: the index built from the store in
memory (no snapshot, as before issue 11), built and written as a snapshot (the first start), and mapped from it (a
restart, or every other worker). Then real servers: ``serve --workers 1`` and ``--workers 2`` over the same store and
data folder, each worker warmed with findMatches, and its memory from ``/proc/PID/smaps_rollup`` (RSS, and PSS, which
splits shared pages such as the mapped snapshot among the processes that map them).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench._portal_store import create_schema
from tests.http.test_workers import FIND, SEARCH
from tests.live_server import demo_police_token, free_port, stop
from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.app import build_services
from trackchild_hub.services.match_service import MatchService
from trackchild_hub.services.match_snapshot_build import snapshot_file
from trackchild_hub.settings import Settings
from trackchild_hub.store.migrate import upgrade


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Shared_Clean", "Private_Dirty"):
            fields[name] = int(rest.split()[0])
    return fields


def workers_of(pid: int, expected: int) -> list[int]:
    if expected == 1:
        return [pid]
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]  # not the trackers


async def in_process(settings: Settings, cases: int) -> None:
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    started = time.perf_counter()
    await write_cases(services, synthetic(cases))
    print(f"{cases:,} cases stored on {services.engine.dialect.name} in {time.perf_counter() - started:.1f} s")
    alone = MatchService(services.sessions, services.geography)
    gc.collect()
    rss = memory_kb(os.getpid())["Rss"]
    started = time.perf_counter()
    index = await alone.index()
    print(
        f"in memory (no snapshot): built from the store in {time.perf_counter() - started:.2f} s, RSS "
        f"+{(memory_kb(os.getpid())['Rss'] - rss) / 1024:.0f} MB while held (own estimate "
        f"{index.memory_bytes() / 2**20:.0f} MiB)"
    )
    del index
    alone.close()
    del alone
    files = snapshot_file(settings)
    first = MatchService(services.sessions, services.geography, files, store_key="bench")
    started = time.perf_counter()
    await first.index()
    print(
        f"first start: built, written and mapped in {time.perf_counter() - started:.2f} s; "
        f"snapshot {files.path.stat().st_size / 1e6:.1f} MB"
    )
    first.close()
    again = MatchService(services.sessions, services.geography, files, store_key="bench")
    started = time.perf_counter()
    await again.index()
    assert (again.builds, again.maps) == (0, 1)
    print(f"second start: mapped and caught up in {time.perf_counter() - started:.3f} s")
    again.close()
    files.discard()  # the servers below build their own (their store key is the real one)
    await services.engine.dispose()


def served(folder: Path, env: dict[str, str], workers: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = folder / f"serve-{workers}.log"
    command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 600
            while log.read_text(errors="replace").count("snapshot mapped") < workers:
                assert process.poll() is None, log.read_text()[-2000:]
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.5)
            token = demo_police_token(f"{base}/oauth/token")
            times = []
            for _ in range(20 * workers):
                with httpx.Client(timeout=60) as client:  # new connections: every worker gets some
                    started = time.perf_counter()
                    answer = client.post(
                        f"{base}/graphql",
                        json={"query": FIND, "variables": {"d": SEARCH}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    times.append(1000 * (time.perf_counter() - started))
                    assert answer.status_code == 200, answer.text
            pids = workers_of(process.pid, workers)
            figures = {pid: memory_kb(pid) for pid in pids}
            total_pss = sum(f["Pss"] for f in figures.values())
            print(
                f"serve --workers {workers}: findMatches median {sorted(times)[len(times) // 2]:.0f} ms; per worker "
                + "; ".join(
                    f"RSS {f['Rss'] / 1024:.0f} MB, PSS {f['Pss'] / 1024:.0f} MB, shared clean "
                    f"{f['Shared_Clean'] / 1024:.0f} MB, private dirty {f['Private_Dirty'] / 1024:.0f} MB"
                    for f in figures.values()
                )
                + f"; PSS total {total_pss / 1024:.0f} MB"
            )
        finally:
            stop(process)


async def main(cases: int, postgres: str | None, schema: str | None) -> None:
    folder = Path(tempfile.mkdtemp())
    url = postgres or f"sqlite+aiosqlite:///{folder / 'hub.db'}"
    if postgres and schema:
        await create_schema(postgres, schema)
    settings = Settings(database_url=url, database_schema=schema, data_dir=folder / "data")
    await in_process(settings, cases)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env |= {"TRACKCHILD_DATABASE_URL": url, "TRACKCHILD_DATA_DIR": str(folder / "data")}
    if schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = schema
    for workers in (1, 2):
        await asyncio.to_thread(served, folder, env, workers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="postgresql+asyncpg://... (default: a SQLite file in a temp folder)")
    parser.add_argument("--schema", help="a PostgreSQL schema to create, use and drop")
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.postgres, args.schema))
