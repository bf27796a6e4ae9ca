"""Throughput of ``import_cases`` (SQLite or PostgreSQL), against the database's own bulk load of the same rows.

    python -m bench.import_throughput [--lines N] [--distinct D] [--database sqlite|postgresql]

Writes ``N`` valid exchange records to a temp JSONL file: ``generate_demo`` makes ``D`` distinct cases plus the
directory and institutions they refer to, and the cases are repeated under fresh ``external_id``s up to ``N``.
Then, on a freshly migrated database (a SQLite file, or a fresh schema of the PostgreSQL database) holding that
directory and those institutions, it times

* context: ``json.loads`` of every line of the file (median of three passes),
* the first import (``import_cases`` over the open file, as ``trackchild-hub import cases`` does): must create N,
* a rerun of the same file: idempotent, must create 0 and report N unchanged,
* the baseline, last: the rows the import stored (children, guardians, aliases, cases, case details, events) are read
  back, their tables emptied, and the same rows loaded again into the same tables (same indexes, foreign keys
  checked) by the database's fastest bulk path: ``COPY`` (asyncpg ``copy_records_to_table``) on PostgreSQL, one
  ``executemany`` per table in one transaction on SQLite (``sqlite3``, no ORM). That is what storing these records
  costs with no parsing, no validation and no lookups.

THE FIGURE is first-import records/s and its ratio to the baseline's records/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from trackchild_hub.domain.geography import load_geography
from trackchild_hub.imports.cases import ImportReport, import_cases
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.seed import DEMO_TODAY
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.engine import engine_for, session_factory
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CaseRow

from ._common import command as _command
from ._common import machine, write_results
from ._portal_store import MAX_DISTINCT, create_schema, drop_schema, exchange_lines

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# What one import writes: the baseline loads exactly these rows again.
TABLES = (
    "children",
    "guardians",
    "child_aliases",
    "cases",
    "missing_cases",
    "found_cases",
    "care_cases",
    "case_events",
)


def parse_all(path: Path) -> tuple[float, int]:
    """Seconds to ``json.loads`` every line of ``path``, reading it the way the import does."""
    started = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.loads(line)
            count += 1
    return time.perf_counter() - started, count


async def timed_import(settings: Settings, path: Path, geography: Any) -> tuple[float, ImportReport]:
    engine = engine_for(settings)
    try:
        started = time.perf_counter()
        with path.open(encoding="utf-8") as lines:
            report = await import_cases(session_factory(engine), lines, geography, DEMO_TODAY, actor="bench")
        return time.perf_counter() - started, report
    finally:
        await engine.dispose()


async def prepare_store(settings: Settings, geography: Any, institutions: Any, directory: Any) -> None:
    engine = engine_for(settings)
    try:
        await upgrade(engine, geography)
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            await add_institutions(session, institutions)
            await add_directory_entries(session, directory, verified_on=DEMO_TODAY)
    finally:
        await engine.dispose()


async def copy_baseline_postgres(settings: Settings) -> tuple[float, int]:
    """Seconds to COPY the stored rows of TABLES back into their emptied tables, and how many rows that was."""
    url = make_url(settings.database_url).set(drivername="postgresql")
    conn = await asyncpg.connect(
        url.render_as_string(hide_password=False), server_settings={"search_path": settings.database_schema or ""}
    )
    try:
        rows = {t: await conn.fetch(f"SELECT * FROM {t}") for t in TABLES}
        await conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        started = time.perf_counter()
        async with conn.transaction():
            for t in TABLES:  # parents first: every foreign key is checked, as in the import
                if rows[t]:
                    await conn.copy_records_to_table(t, records=rows[t], columns=list(rows[t][0].keys()))
        return time.perf_counter() - started, sum(len(r) for r in rows.values())
    finally:
        await conn.close()


def executemany_baseline_sqlite(path: Path) -> tuple[float, int]:
    """Seconds to executemany the stored rows of TABLES back into their emptied tables (sqlite3, no ORM)."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536"):
            conn.execute(f"PRAGMA {pragma}")  # as the hub's engine
        rows = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
        conn.execute("BEGIN")
        for t in reversed(TABLES):
            conn.execute(f"DELETE FROM {t}")
        conn.execute("COMMIT")
        started = time.perf_counter()
        conn.execute("BEGIN")
        for t in TABLES:
            if rows[t]:
                marks = ", ".join("?" * len(rows[t][0]))
                conn.executemany(f"INSERT INTO {t} VALUES ({marks})", rows[t])
        conn.execute("COMMIT")
        return time.perf_counter() - started, sum(len(r) for r in rows.values())
    finally:
        conn.close()


async def stored_cases(settings: Settings) -> int:
    engine = engine_for(settings)
    try:
        async with session_factory(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(CaseRow)) or 0)
    finally:
        await engine.dispose()


def _show_errors(report: ImportReport) -> None:
    for error in report.errors[:10]:
        print(f"  {error}", file=sys.stderr)
    if len(report.errors) > 10:
        print(f"  ... and {len(report.errors) - 10} more", file=sys.stderr)


async def empty_case_tables(settings: Settings) -> None:
    """Back to the prepared store (directory and institutions only) for the next round."""
    engine = engine_for(settings)
    try:
        async with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text(f"TRUNCATE {', '.join(TABLES)}, reference_counters CASCADE"))
            else:
                for table in (*reversed(TABLES), "reference_counters"):
                    await conn.execute(text(f"DELETE FROM {table}"))
    finally:
        await engine.dispose()


def _measure(
    settings: Settings, path: Path, lines: int, geography: Any, folder: Path, rounds: int
) -> list[dict[str, Any]]:
    """Per round, on emptied case tables: first import, rerun, then the baseline reloading what the import stored."""
    out = []
    for n in range(rounds):
        if n:
            asyncio.run(empty_case_tables(settings))
        import_s, first = asyncio.run(timed_import(settings, path, geography))
        rerun_s, rerun = asyncio.run(timed_import(settings, path, geography))
        if settings.database_url.startswith("postgresql"):
            baseline_s, baseline_rows = asyncio.run(copy_baseline_postgres(settings))
        else:
            baseline_s, baseline_rows = executemany_baseline_sqlite(folder / "hub.db")
        stored = asyncio.run(stored_cases(settings))
        print(
            f"round {n + 1}: import {import_s:.2f} s (created {first.created}, errors {len(first.errors)}), "
            f"rerun {rerun_s:.2f} s (unchanged {rerun.unchanged}, created {rerun.created}), "
            f"baseline {baseline_s:.2f} s ({baseline_rows} rows); ratio {baseline_s / import_s:.3f}"
        )
        out.append(
            {
                "import_s": import_s,
                "first": first,
                "rerun_s": rerun_s,
                "rerun": rerun,
                "baseline_s": baseline_s,
                "baseline_rows": baseline_rows,
                "stored": stored,
                "load_average": list(os.getloadavg()),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000, help="records to import (default 100000)")
    parser.add_argument(
        "--distinct",
        type=int,
        default=5000,
        help=f"distinct demo cases to generate and repeat (default 5000, at most {MAX_DISTINCT})",
    )
    parser.add_argument("--seed", type=int, default=2026, help="generate_demo seed (default 2026)")
    parser.add_argument("--rounds", type=int, default=3, help="import + rerun + baseline rounds (default 3)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite", help="default sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help=f"with --database postgresql ({POSTGRES_URL})")
    args = parser.parse_args(argv)
    if args.lines <= 0 or not 0 < args.distinct <= MAX_DISTINCT:
        parser.error(f"--lines must be positive and --distinct in 1..{MAX_DISTINCT}")
    lines = args.lines
    environment = machine(
        ["sqlalchemy", "aiosqlite", "asyncpg"]
    )  # before the run: the load average says how busy it was
    geography = load_geography()

    started = time.perf_counter()
    demo = generate_demo(geography, seed=args.seed, today=DEMO_TODAY, cases=min(lines, args.distinct))
    generate_s = time.perf_counter() - started
    print(
        f"generate_demo: {len(demo.cases)} distinct cases, {len(demo.directory)} directory entries, "
        f"{len(demo.institutions)} institutions in {generate_s:.1f} s"
    )

    with tempfile.TemporaryDirectory(prefix="trackchild-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "cases.jsonl"
        started = time.perf_counter()
        with path.open("w", encoding="utf-8") as out:
            for text in exchange_lines(demo.cases, lines):
                out.write(text + "\n")
        write_s = time.perf_counter() - started
        size = path.stat().st_size
        print(f"wrote {lines} lines ({size / 1e6:.1f} MB) to {path} in {write_s:.1f} s")

        schema = f"bench_import_{os.getpid()}"
        if args.database == "postgresql":
            asyncio.run(create_schema(args.postgres_url, schema))
            settings = Settings(database_url=args.postgres_url, database_schema=schema, data_dir=folder)
        else:
            settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder)
        try:
            asyncio.run(prepare_store(settings, geography, demo.institutions, demo.directory))
            passes = [parse_all(path) for _ in range(3)]
            assert all(count == lines for _, count in passes), passes
            parse_s = statistics.median(seconds for seconds, _ in passes)
            print(f"json.loads of every line: {parse_s:.2f} s (passes {', '.join(f'{s:.2f}' for s, _ in passes)})")
            rounds = _measure(settings, path, lines, geography, folder, args.rounds)
            db_bytes = sum(p.stat().st_size for p in folder.glob("hub.db*"))
        finally:
            if args.database == "postgresql":
                asyncio.run(drop_schema(args.postgres_url, schema))
    # THE FIGURE: the median round (by its import/baseline ratio); each round's import and baseline ran back to back.
    ratios = [r["baseline_s"] / r["import_s"] for r in rounds]
    middle = rounds[sorted(range(len(rounds)), key=lambda i: ratios[i])[len(rounds) // 2]]
    import_s, rerun_s = middle["import_s"], middle["rerun_s"]
    baseline_s, baseline_rows = middle["baseline_s"], middle["baseline_rows"]

    problems = []
    for n, r in enumerate(rounds, start=1):
        first_n, rerun_n = r["first"], r["rerun"]
        if first_n.created != lines or first_n.errors:
            problems.append(
                f"round {n} first import: created {first_n.created} of {lines}, {len(first_n.errors)} errors"
            )
        if rerun_n.created or rerun_n.unchanged != lines or rerun_n.errors:
            problems.append(
                f"round {n} rerun: created {rerun_n.created} (want 0), unchanged {rerun_n.unchanged} (want {lines}), "
                f"{len(rerun_n.errors)} errors"
            )
        if r["stored"] != lines:
            problems.append(f"round {n}: {r['stored']} cases stored, want {lines}")
        if first_n.errors or rerun_n.errors:
            _show_errors(first_n if first_n.errors else rerun_n)

    baseline = "COPY" if args.database == "postgresql" else "executemany"
    summary = {
        "database": args.database,
        "lines": lines,
        "distinct": len(demo.cases),
        "file_mb": round(size / 1e6, 2),
        "db_mb": round(db_bytes / 1e6, 2),
        "parse_s": round(parse_s, 3),
        "parse_lines_per_s": round(lines / parse_s, 1),
        "import_s": round(import_s, 3),
        "import_lines_per_s": round(lines / import_s, 1),
        "rerun_s": round(rerun_s, 3),
        "rerun_lines_per_s": round(lines / rerun_s, 1),
        "baseline": baseline,
        "baseline_s": round(baseline_s, 3),
        "baseline_rows": baseline_rows,
        "baseline_records_per_s": round(lines / baseline_s, 1),
        "ratio_import_over_baseline_rate": round(baseline_s / import_s, 3),
        "round_ratios": [round(x, 3) for x in ratios],
        "ratio_import_over_parse": round(import_s / parse_s, 2),
        "ratio_rerun_over_parse": round(rerun_s / parse_s, 2),
    }
    print()
    print(f"{'step (' + args.database + ')':<28} {'seconds':>9} {'records/s':>11} {'rate / ' + baseline:>18}")
    for label, seconds in (
        (f"{baseline} of the stored rows", baseline_s),
        ("json.loads (context)", parse_s),
        ("first import", import_s),
        ("rerun (creates 0)", rerun_s),
    ):
        print(f"{label:<28} {seconds:>9.2f} {lines / seconds:>11,.0f} {baseline_s / seconds:>18.2f}")
    print()
    print(
        f"THE FIGURE  first import {lines / import_s:,.0f} records/s = {baseline_s / import_s:.2f} x {baseline} "
        f"({lines / baseline_s:,.0f} records/s); rerun {lines / rerun_s:,.0f} records/s"
    )
    print(f"            per-round ratios {', '.join(f'{x:.2f}' for x in ratios)} (median round shown)")
    path_out = write_results(
        "import_throughput",
        {
            "benchmark": "import_throughput",
            "command": _command("bench.import_throughput", argv),
            "settings": {
                "database": args.database,
                "lines": lines,
                "distinct": args.distinct,
                "seed": args.seed,
                "batch": "imports.cases.BATCH",
            },
            "machine": environment,
            "generate_s": round(generate_s, 3),
            "write_s": round(write_s, 3),
            "parse_passes_s": [round(s, 3) for s, _ in passes],
            "rounds": [
                {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items() if k not in ("first", "rerun")}
                for r in rounds
            ],
            "summary": summary,
            "problems": problems,
        },
    )
    print(f"\nresults written to {path_out}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
