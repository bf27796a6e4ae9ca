"""``stats`` over a million cases, on PostgreSQL and SQLite.

    python -m bench.stats [--cases 1000000] [--runs 30] [--database postgresql|sqlite|both]

Seeds a fresh store (PostgreSQL: a schema of the test database, COPY via asyncpg; SQLite: a file, ``executemany``
with ``sqlite3``): ``--cases`` children and their cases in random districts of India (five police stations each),
reported evenly over the three years before 2026-11-30; 90% missing (40% RESOLVED with a CLOSED event 0-120 days
on, 10% CLOSED, the rest OPEN), 10% in care in one of 2,000 institutions (a third released with a RESTORATION or
REPATRIATION e-file entry); one case in 50 TRANSFERRED once; genders 48/48/2/2 (male, female, transgender, unknown).
ANALYZE. Then times:

1. ``build``: the first ``stats`` question, which builds ``stats_facts`` and the monthly counts from every case
   (once per store); then VACUUM ANALYZE (PostgreSQL) / ANALYZE (SQLite), as autovacuum would after it;
2. p50/p95 over ``--runs`` questions (after 3 warm-ups) of the three commonest groupings, through
   ``services.stats.stats`` (the refresh check included: nothing changed, nothing written) for a national reader
   (CPSU) and a state reader (a state's SCPS) over the default period (the last twelve months);
3. ``incremental``: 1,000 cases change status, then one question (their facts rebuilt).

Results go to ``bench/results/stats-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text, update

from bench._bulk import CASE_COLUMNS, CHILD_COLUMNS, MISSING_COLUMNS, copy_connection
from bench._common import command, machine, percentile, write_results
from bench._portal_store import create_schema, drop_schema
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.domain.stats import StatsDimension, StatsFilter
from trackchild_hub.services.stats import stats
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CaseRow

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 30)
CHUNK = 50_000
STATIONS_PER_DISTRICT = 5
INSTITUTIONS = 2000
GROUPINGS = {
    "state": [StatsDimension.STATE],
    "district+month": [StatsDimension.DISTRICT, StatsDimension.MONTH],
    "gender+age band": [StatsDimension.GENDER, StatsDimension.AGE_BAND],
}
CARE_COLUMNS = ["case_id", "institution_id", "admission_order_number", "admission_order_date", "admission_date",
                "exit_date"]  # fmt: skip
EVENT_COLUMNS = ["case_id", "at", "type", "actor", "note", "data"]
ENTRY_COLUMNS = ["id", "entry_id", "version", "case_id", "kind", "occurred_on", "due_on", "payload", "recorded_by",
                 "recorded_agency", "recorded_at"]  # fmt: skip
TABLES = {
    "children": CHILD_COLUMNS,
    "cases": CASE_COLUMNS,
    "missing_cases": MISSING_COLUMNS,
    "care_cases": CARE_COLUMNS,
    "case_events": EVENT_COLUMNS,
    "care_entries": ENTRY_COLUMNS,
}


def _rows(n: int, institutions: list[str], seed: int) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Chunks of rows per table (``TABLES``' column order), timestamps as aware UTC datetimes, JSON as text."""
    rng = random.Random(seed)
    districts = [(d.state_code, d.code) for d in load_geography().all_districts()]
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    for i in range(n):
        state, district = rng.choice(districts)
        station = f"PS-{district}-{rng.randrange(STATIONS_PER_DISTRICT)}"
        day = TODAY - timedelta(days=1 + rng.randrange(3 * 365))  # up to yesterday: no timestamp in the future
        reported = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=rng.randrange(24))
        case_id, child_id = f"c{i:031d}", f"k{i:031d}"
        age = rng.randrange(1, 18)
        gender = rng.choices(("MALE", "FEMALE", "TRANSGENDER", "UNKNOWN"), (48, 48, 2, 2))[0]
        born = day - timedelta(days=int((age + 0.5) * 365.25))
        out["children"].append(
            (child_id, None, "", gender, age, day, None, born, None, None, "[]", "[]", None, False, reported)
        )
        care = rng.random() < 0.1
        updated = reported
        if care:
            released = rng.random() < 1 / 3
            left = day + timedelta(days=rng.randrange(1, 200)) if released else None
            if left is not None and left >= TODAY:
                left = None
            status = "RESOLVED" if left else "OPEN"
            out["care_cases"].append((case_id, rng.choice(institutions), None, None, day, left))
            if left is not None:
                kind = "REPATRIATION" if rng.random() < 0.2 else "RESTORATION"
                at = datetime.combine(left, datetime.min.time(), UTC)
                payload = json.dumps({"kind": kind, "released_on": left.isoformat(), "order_number": "CWC/1"})
                out["care_entries"].append(
                    (f"e{i:031d}", f"n{i:031d}", 1, case_id, "RELEASE", left, None, payload, "bench", "cci", at)
                )
                updated = at
        else:
            r = rng.random()
            status = "RESOLVED" if r < 0.4 else "CLOSED" if r < 0.5 else "OPEN"
            out["missing_cases"].append((case_id, f"{i}/{day.year}", day, None, None, None, None, None, None))
            if status != "OPEN":
                closed = reported + timedelta(days=rng.randrange(121), hours=rng.randrange(24))
                if closed.date() < TODAY:
                    out["case_events"].append((case_id, closed, "CLOSED", "bench", None, "{}"))
                    updated = closed
                else:
                    status = "OPEN"
        moved = reported + timedelta(days=rng.randrange(1, 30))
        if rng.random() < 0.02 and moved.date() < TODAY:
            out["case_events"].append((case_id, moved, "TRANSFERRED", "bench", None, "{}"))
            updated = max(updated, moved)
        out["cases"].append(
            (case_id, "CARE" if care else "MISSING", f"B{state}-{i:09d}", status, 1, child_id, "bench", f"x{i}",
             state, district, station, None, None, None, day, reported, None, False, "{}", reported, updated)
        )  # fmt: skip
        if (i + 1) % CHUNK == 0:
            yield out
            out = {t: [] for t in TABLES}
    if out["cases"]:
        yield out


async def _catalogue(settings: Settings) -> list[str]:
    """Migrations, police stations (five per district) and the institutions; their ids."""
    services = build_services(settings)
    geography = services.geography
    try:
        await upgrade(services.engine, geography)
        stations = [
            {"id": f"PS-{d.code}-{k}", "kind": "POLICE_STATION", "name": f"PS {d.code}/{k}", "state": d.state_code,
             "district": d.code}
            for d in geography.all_districts()
            for k in range(STATIONS_PER_DISTRICT)
        ]  # fmt: skip
        districts = geography.all_districts()
        homes = [
            {"registration_number": f"B/CCI/{n:05d}", "name": f"Home {n}", "type": kind, "run_by": "NGO",
             "gender_served": "ANY", "capacity": 50, "state": districts[n % len(districts)].state_code,
             "district": districts[n % len(districts)].code}
            for n in range(INSTITUTIONS)
            for kind in [("CHILDRENS_HOME", "OBSERVATION_HOME", "SPECIAL_HOME", "OPEN_SHELTER")[n % 4]]
        ]  # fmt: skip
        async with services.sessions() as session, session.begin():
            await add_directory_entries(session, stations)
            ids = await add_institutions(session, homes)
        return list(ids.values())
    finally:
        await services.engine.dispose()


async def seed_postgres(settings: Settings, cases: int) -> float:
    started = time.perf_counter()
    institutions = await _catalogue(settings)
    conn = await copy_connection(settings)
    try:
        for chunk in _rows(cases, institutions, seed=15):
            async with conn.transaction():
                for table, columns in TABLES.items():
                    if chunk[table]:
                        await conn.copy_records_to_table(table, records=chunk[table], columns=columns)
        for table in TABLES:
            await conn.execute(f'ANALYZE "{table}"')
    finally:
        await conn.close()
    return time.perf_counter() - started


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # as SQLAlchemy stores a naive UTC DateTime on SQLite
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


async def seed_sqlite(settings: Settings, path: Path, cases: int) -> float:
    started = time.perf_counter()
    institutions = await _catalogue(settings)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        for chunk in _rows(cases, institutions, seed=15):
            conn.execute("BEGIN")
            for table, columns in TABLES.items():
                marks = ", ".join("?" for _ in columns)
                rows = [tuple(_sqlite_value(v) for v in row) for row in chunk[table]]
                conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return time.perf_counter() - started


async def _ask(services: Services, who: Principal, dims: list[StatsDimension]) -> float:
    started = time.perf_counter()
    async with Unit.opened(services, who) as unit:
        await stats(unit, StatsFilter(to_date=TODAY), dims)
    return (time.perf_counter() - started) * 1000


async def measure(settings: Settings, runs: int) -> dict[str, Any]:
    services = build_services(settings)
    out: dict[str, Any] = {}
    national = Principal.for_agency(Agency.CPSU, subject="bench-cpsu")
    state = Principal.for_agency(Agency.SCPS, subject="bench-scps", state="9")  # Uttar Pradesh: most districts
    try:
        out["build_ms"] = round(await _ask(services, national, []), 1)
        async with services.engine.connect() as conn:
            facts = await conn.scalar(text("SELECT count(*) FROM stats_facts"))
            await conn.commit()
            # what autovacuum does after a large insert: statistics, and the visibility map the index-only scans of
            # the medians' partial index need
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if services.engine.dialect.name == "postgresql":
                await auto.execute(text("VACUUM ANALYZE stats_facts, stats_by_place, stats_by_child"))
            else:
                await auto.execute(text("ANALYZE"))
        out["facts"] = facts
        print(f"  first question (builds {facts:,} facts): {out['build_ms'] / 1000:.1f} s")
        for reader, who in (("national", national), ("state", state)):
            for name, dims in GROUPINGS.items():
                for _ in range(3):
                    await _ask(services, who, dims)
                times = sorted([await _ask(services, who, dims) for _ in range(runs)])
                p50, p95 = percentile(times, 50), percentile(times, 95)
                out[f"{reader} {name}"] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "runs": runs}
                print(f"  {reader:8} {name:16} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        async with services.sessions() as session, session.begin():
            ids = [f"c{i:031d}" for i in range(0, 10_000, 10)]
            await session.execute(
                update(CaseRow).where(CaseRow.id.in_(ids)).values(status="CLOSED", updated_at=datetime.now(UTC))
            )
        out["incremental_ms"] = round(await _ask(services, national, []), 1)
        print(f"  1,000 cases changed, then a question: {out['incremental_ms']:.1f} ms")
    finally:
        await services.engine.dispose()
    return out


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="both")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if args.database in ("postgresql", "both"):
        schema = f"bench_stats_{os.getpid()}"
        await create_schema(POSTGRES_URL, schema)
        try:
            settings = Settings(database_url=POSTGRES_URL, database_schema=schema)
            seconds = await seed_postgres(settings, args.cases)
            print(f"postgresql: seeded {args.cases:,} cases in {seconds:.1f} s")
            results["postgresql"] = {"seed_s": round(seconds, 1), **await measure(settings, args.runs)}
        finally:
            await drop_schema(POSTGRES_URL, schema)
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "hub.db"
            settings = Settings(database_url=f"sqlite+aiosqlite:///{path}", data_dir=Path(folder))
            seconds = await seed_sqlite(settings, path, args.cases)
            print(f"sqlite: seeded {args.cases:,} cases in {seconds:.1f} s")
            results["sqlite"] = {"seed_s": round(seconds, 1), **await measure(settings, args.runs)}
    path = write_results(
        "stats",
        {
            "command": command("bench.stats", argv),
            "machine": machine(["sqlalchemy", "asyncpg", "aiosqlite"]),
            "cases": args.cases,
            "results": results,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    asyncio.run(main())
