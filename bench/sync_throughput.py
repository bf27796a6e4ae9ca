"""Throughput of ``sync_connector`` on a feed of new records and updates, before/after the set-based update path.

    python -m bench.sync_throughput [--records N] [--database sqlite|postgresql] [--rounds R] [--batch B]

``generate_demo`` makes N/2 distinct cases (and the directory and institutions they refer to); they are synced once
into a freshly migrated store (untimed). Each timed run then syncs a feed of N records from an in-memory connector
(``tests.sync.listed_feed``: records already mapped, so the figure is the hub's side of a sync): the N/2 stored
records, each changed (its place text every time, its child's name for one in four, its guardians dropped or
restored for one in five), interleaved with N/2 new records. Two paths, interleaved within each round (the order
alternating from round to round), on the same store:

* row-by-row: the ORM update path sync had before (``tests/sync/row_by_row.py``; new records through COPY / raw
  executemany already),
* set-based: ``store.case_sync`` as it is (COPY into a staging table and ``UPDATE ... FROM`` on PostgreSQL, raw
  ``executemany`` on SQLite).

After each run the new records are deleted again, so every run starts from N/2 stored cases. THE FIGURE is records
per second of each path (median over the rounds) and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

import trackchild_hub.services.sync as runner  # the sync use case: where each batch is upserted
from tests.sync.listed_feed import ListedFeed, Malformed
from tests.sync.row_by_row import upsert_cases_row_by_row
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.geography import Geography, load_geography
from trackchild_hub.domain.records import CaseData
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.seed import DEMO_TODAY
from trackchild_hub.settings import Settings
from trackchild_hub.store.case_sync import upsert_cases
from trackchild_hub.store.engine import engine_for, session_factory
from trackchild_hub.sync.runner import SyncReport, sync_connector

from ._common import command as _command
from ._common import machine, write_results
from ._portal_store import MAX_DISTINCT, create_schema, drop_schema
from .import_throughput import POSTGRES_URL, prepare_store

PATHS: dict[str, Callable[..., Any]] = {"row-by-row": upsert_cases_row_by_row, "set-based": upsert_cases}


def feed(cases: list[dict[str, Any]], run: int) -> list[CaseData | Malformed]:
    """Every stored case changed for this run, interleaved with as many new ones."""
    out: list[CaseData | Malformed] = []
    for i, raw in enumerate(cases):
        changed = copy.deepcopy(raw)
        changed["place"]["text"] = f"{raw['place'].get('text') or 'place'} (run {run})"
        if i % 4 == 0:
            changed["child"]["name"] = f"{raw['child'].get('name') or 'Child'} R{run}"
        if i % 5 == 0 and run % 2:
            changed["child"]["guardians"] = []
        out.append(parse_exchange_record(changed))
        out.append(parse_exchange_record({**raw, "external_id": f"{raw['external_id']}-new"}))
    return out


async def _sync(settings: Settings, geography: Geography, entries: list[CaseData | Malformed], connector: str,
                batch: int) -> tuple[float, SyncReport]:  # fmt: skip
    engine = engine_for(settings)
    try:
        started = time.perf_counter()
        report = await sync_connector(
            session_factory(engine), geography, ListedFeed(entries, id=connector), batch=batch
        )
        return time.perf_counter() - started, report
    finally:
        await engine.dispose()


async def _forget_new(settings: Settings) -> None:
    """Delete the run's new cases (and their children): back to the stored N/2."""
    engine = engine_for(settings)
    try:
        new = "external_id LIKE '%-new'"
        async with engine.begin() as conn:
            await conn.execute(text(f"CREATE TEMP TABLE gone AS SELECT child_id FROM cases WHERE {new}"))
            await conn.execute(text(f"DELETE FROM cases WHERE {new}"))  # details, events cascade
            await conn.execute(text("DELETE FROM children WHERE id IN (SELECT child_id FROM gone)"))
            await conn.execute(text("DROP TABLE gone"))
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records per feed, half updates (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of both paths (default 3)")
    parser.add_argument("--batch", type=int, default=200, help="records per batch, as `sync --batch` (default 200)")
    parser.add_argument("--seed", type=int, default=2026, help="generate_demo seed (default 2026)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite", help="default sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help=f"with --database postgresql ({POSTGRES_URL})")
    args = parser.parse_args(argv)
    half = args.records // 2
    if not 0 < half <= MAX_DISTINCT:
        parser.error(f"--records must be 2..{2 * MAX_DISTINCT}")
    environment = machine(["sqlalchemy", "aiosqlite", "asyncpg"])
    geography = load_geography()
    demo = generate_demo(geography, seed=args.seed, today=DEMO_TODAY, cases=half)
    cases = demo.cases[:half]
    print(f"generate_demo: {len(cases)} cases; feeds of {2 * len(cases)} records (half updates), batch {args.batch}")
    runs: list[dict[str, Any]] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="trackchild-bench-") as tmp:
        folder = Path(tmp)
        schema = f"bench_sync_{os.getpid()}"
        if args.database == "postgresql":
            asyncio.run(create_schema(args.postgres_url, schema))
            settings = Settings(database_url=args.postgres_url, database_schema=schema, data_dir=folder)
        else:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder)
        try:
            asyncio.run(prepare_store(settings, geography, demo.institutions, demo.directory))
            first = [parse_exchange_record(c) for c in cases]
            seconds, report = asyncio.run(_sync(settings, geography, list(first), "bench-initial", args.batch))
            print(f"initial sync: {report.created} created in {seconds:.1f} s")
            run = 0
            for n in range(args.rounds):
                order = list(PATHS) if n % 2 == 0 else list(reversed(PATHS))
                for path in order:
                    run += 1
                    entries = feed(cases, run)
                    setattr(runner, "upsert_cases", PATHS[path])  # noqa: B010 (a module attribute, not re-exported)
                    try:
                        seconds, report = asyncio.run(_sync(settings, geography, entries, f"bench-{run}", args.batch))
                    finally:
                        setattr(runner, "upsert_cases", upsert_cases)  # noqa: B010
                    asyncio.run(_forget_new(settings))
                    rate = len(entries) / seconds
                    print(f"round {n + 1} {path:<10} {seconds:7.2f} s {rate:9,.0f} records/s  ({report.summary()})")
                    if (report.created, report.updated, report.unchanged) != (half, half, 0) or report.rejected:
                        problems.append(f"run {run} ({path}): {report.summary()}")
                    runs.append(
                        {
                            "round": n + 1,
                            "path": path,
                            "seconds": round(seconds, 3),
                            "records_per_s": round(rate, 1),
                            "load_average": list(os.getloadavg()),
                        }
                    )
        finally:
            if args.database == "postgresql":
                asyncio.run(drop_schema(args.postgres_url, schema))
    median = {p: statistics.median(r["records_per_s"] for r in runs if r["path"] == p) for p in PATHS}
    per_round = [
        next(r["records_per_s"] for r in runs if r["round"] == n and r["path"] == "set-based")
        / next(r["records_per_s"] for r in runs if r["round"] == n and r["path"] == "row-by-row")
        for n in range(1, args.rounds + 1)
    ]
    print()
    print(
        f"THE FIGURE ({args.database}, {args.records} records, half updates, batch {args.batch}): row-by-row "
        f"{median['row-by-row']:,.0f} records/s, set-based {median['set-based']:,.0f} records/s = "
        f"{median['set-based'] / median['row-by-row']:.2f} x (per round {', '.join(f'{x:.2f}' for x in per_round)})"
    )
    out = write_results(
        "sync_throughput",
        {
            "benchmark": "sync_throughput",
            "command": _command("bench.sync_throughput", argv),
            "settings": vars(args),
            "machine": environment,
            "runs": runs,
            "summary": {
                "median_records_per_s": {p: round(v, 1) for p, v in median.items()},
                "ratio_set_based_over_row_by_row": round(median["set-based"] / median["row-by-row"], 3),
                "round_ratios": [round(x, 3) for x in per_round],
            },
            "problems": problems,
        },
    )
    print(f"results written to {out}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
