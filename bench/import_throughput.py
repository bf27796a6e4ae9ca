"""Throughput of ``import_cases`` on SQLite, against plain ``json.loads`` of the same JSONL file.

    python -m bench.import_throughput [--lines N] [--distinct D]

Writes ``N`` valid exchange records to a temp JSONL file: ``generate_demo`` makes ``D`` distinct cases plus the
directory and institutions they refer to, and the cases are repeated under fresh ``external_id``s up to ``N``.
Then, on a freshly migrated SQLite database holding that directory and those institutions, it times

* the baseline: ``json.loads`` of every line of the file (median of three passes),
* the first import (``import_cases`` over the open file, as ``trackchild-hub import cases`` does): must create N,
* a rerun of the same file: idempotent, must create 0 and report N unchanged.

The figures are lines/s of the first import and the ratios import time / parse time and rerun time / parse time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from trackchild_hub.demo.generator import generate_demo
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.imports.cases import ImportReport, import_cases
from trackchild_hub.imports.demo_seed import DEMO_TODAY
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.engine import engine_for, session_factory
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CaseRow

from ._common import command as _command
from ._common import machine, write_results

# generate_demo never returns for large ``cases`` (its FIR/CWC serial ledger runs out of numbers and retries
# forever; seen at 12 000 with the default 80 stations and 25 institutions), so distinct records stay below that.
MAX_DISTINCT = 10_000


def exchange_lines(cases: list[dict[str, Any]], total: int) -> Iterator[str]:
    """``total`` JSON lines: the demo cases in order, then again and again with ``-r<k>`` external ids."""
    for n in range(total):
        record = cases[n % len(cases)]
        copy = n // len(cases)
        if copy:
            record = {**record, "external_id": f"{record['external_id']}-r{copy}"}
        yield json.dumps(record, ensure_ascii=False)


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
    args = parser.parse_args(argv)
    if args.lines <= 0 or not 0 < args.distinct <= MAX_DISTINCT:
        parser.error(f"--lines must be positive and --distinct in 1..{MAX_DISTINCT}")
    lines = args.lines
    environment = machine(["sqlalchemy", "aiosqlite"])  # before the run: the load average says how busy it was
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

        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder)
        asyncio.run(prepare_store(settings, geography, demo.institutions, demo.directory))

        passes = [parse_all(path) for _ in range(3)]
        assert all(count == lines for _, count in passes), passes
        parse_s = statistics.median(seconds for seconds, _ in passes)
        print(f"baseline json.loads of every line: {parse_s:.2f} s (passes {', '.join(f'{s:.2f}' for s, _ in passes)})")

        import_s, first = asyncio.run(timed_import(settings, path, geography))
        print(
            f"first import: {import_s:.1f} s, created {first.created}, unchanged {first.unchanged}, "
            f"errors {len(first.errors)}"
        )
        rerun_s, rerun = asyncio.run(timed_import(settings, path, geography))
        print(
            f"rerun:        {rerun_s:.1f} s, created {rerun.created}, unchanged {rerun.unchanged}, "
            f"errors {len(rerun.errors)}"
        )
        stored = asyncio.run(stored_cases(settings))
        db_bytes = sum(p.stat().st_size for p in folder.glob("hub.db*"))

    problems = []
    if first.created != lines or first.errors:
        problems.append(f"first import: created {first.created} of {lines}, {len(first.errors)} errors")
    if rerun.created or rerun.unchanged != lines or rerun.errors:
        problems.append(
            f"rerun: created {rerun.created} (want 0), unchanged {rerun.unchanged} (want {lines}), "
            f"{len(rerun.errors)} errors"
        )
    if stored != lines:
        problems.append(f"{stored} cases stored, want {lines}")
    if first.errors or rerun.errors:
        _show_errors(first if first.errors else rerun)

    summary = {
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
        "ratio_import_over_parse": round(import_s / parse_s, 2),
        "ratio_rerun_over_parse": round(rerun_s / parse_s, 2),
    }
    print()
    print(f"{'step':<22} {'seconds':>9} {'lines/s':>11} {'x parse':>8}")
    for label, seconds in (
        ("json.loads (baseline)", parse_s),
        ("first import", import_s),
        ("rerun (creates 0)", rerun_s),
    ):
        print(f"{label:<22} {seconds:>9.2f} {lines / seconds:>11,.0f} {seconds / parse_s:>8.1f}")
    print()
    print(
        f"THE FIGURE  first import {lines / import_s:,.0f} lines/s; import/parse = {import_s / parse_s:.1f}x; "
        f"rerun {rerun_s:.1f} s"
    )
    path_out = write_results(
        "import_throughput",
        {
            "benchmark": "import_throughput",
            "command": _command("bench.import_throughput", argv),
            "settings": {"lines": lines, "distinct": args.distinct, "seed": args.seed, "batch": "imports.cases.BATCH"},
            "machine": environment,
            "generate_s": round(generate_s, 3),
            "write_s": round(write_s, 3),
            "parse_passes_s": [round(s, 3) for s, _ in passes],
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
