"""The missing-child workflow job (``trackchild-hub workflow run``) over a million cases on PostgreSQL.

    python -m bench.workflow [--cases 1000000] [--batch 10000] [--overdue] [--alerts]

Seeds a fresh schema of the test database with COPY (asyncpg ``copy_records_to_table``): ``--cases`` missing
children and their cases, each in a random district of India, FIR dates spread evenly over the three years before
2026-11-30, a third of them already traced (RESOLVED), one in 200 with a risk assessment suspecting trafficking;
one state-level AHTU in every state but two (``--states-without-ahtu``: their cases wait, no AHTU to send them to,
and every run walks past them). Then ANALYZE, and runs the
job (``services.workflow.run_rules``, the same code as the command) and reports the seconds per run and per rule:

1. ``first``: 2026-11-30, every case past its 4 months goes to the AHTU (hundreds of thousands), closed ones are
   settled out of the scanned index;
2. ``again``: the same day once more: idempotent, nothing changes;
3. ``next day``: 2026-12-01: the day's newly due cases only (the steady state of a daily job);
4. with ``--overdue``: 2027-03-01, the first run's escalations' progress reports are all overdue (one event each).

With ``--alerts`` every AHTU has a mobile number, an e-mail address and a functionary with both, and a partner
webhook is configured: each escalation enqueues its alerts (five rows), and each overdue report its own, in the
batch's transaction (``services.workflow_alerts``); without it the job runs alone (to compare).

The schema is dropped afterwards. Results go to ``bench/results/workflow-<time>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func, select, text

from bench._bulk import CASE_COLUMNS, CHILD_COLUMNS, MISSING_COLUMNS, copy_connection
from bench._common import command, machine, write_results
from bench._portal_store import create_schema, drop_schema
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.engine import engine_for, session_factory
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import AhtuEscalationRow, CaseEventRow, FunctionaryRow, OutboxRow

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 30)
CHUNK = 50_000
RISK_COLUMNS = ["case_id", "assessed_at", "assessed_by", "age_years", "urgency", "suspected_trafficking",
                "suspected_abduction", "vulnerabilities", "notes"]  # fmt: skip


def _rows(
    n: int, seed: int
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None]]:
    rng = random.Random(seed)
    districts = [(d.state_code, d.code) for d in load_geography().all_districts()]
    now = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    for i in range(n):
        state, district = rng.choice(districts)
        fir = TODAY - timedelta(days=rng.randrange(3 * 365))
        case_id, child_id = f"c{i:031d}", f"k{i:031d}"
        age = rng.randrange(1, 18)
        child = (child_id, None, "", rng.choice(("MALE", "FEMALE")), age, fir, None,
                 fir - timedelta(days=int((age + 0.5) * 365.25)), None, None, "[]", "[]", None, False, now)  # fmt: skip
        status = "RESOLVED" if rng.random() < 1 / 3 else "OPEN"
        reported = datetime.combine(fir, datetime.min.time(), UTC)
        case = (case_id, "MISSING", f"B{state}-{i:09d}", status, 1, child_id, "bench", f"x{i}", state, district, None,
                None, None, None, fir, reported, None, False, "{}", reported, reported)  # fmt: skip
        missing = (case_id, f"{i}/{fir.year}", fir, None, None, None, None, None, None)
        risk = (case_id, reported, "bench", age, "IMMEDIATE", True, False, "[]", None) if rng.random() < 0.005 else None
        yield child, case, missing, risk


async def seed(settings: Settings, cases: int, without_ahtu: int = 2, contacts: bool = False) -> dict[str, Any]:
    geography = load_geography()
    engine = engine_for(settings)
    started = time.perf_counter()
    try:
        await upgrade(engine, geography)
        states = sorted(s.code for s in geography.states)
        units: list[dict[str, Any]] = [
            {"id": f"AHTU-{code}", "kind": "ANTI_HUMAN_TRAFFICKING_UNIT", "name": f"AHTU {code}", "state": code}
            for code in states[without_ahtu:]  # the first few states have none: their cases wait
        ]
        if contacts:  # what the alerts are written to
            for n, unit in enumerate(units):
                unit |= {"phones": [f"+9198{n:08d}"], "email": f"ahtu{n}@police.example"}
        async with session_factory(engine)() as session, session.begin():
            await add_directory_entries(session, units)
            if contacts:
                for n, unit in enumerate(units):
                    session.add(
                        FunctionaryRow(
                            id=f"{unit['id']}~0",
                            entry_id=unit["id"],
                            position=0,
                            name="Officer",
                            designation="DSP",
                            phones=[f"+9197{n:08d}"],
                            email=f"dsp{n}@police.example",
                        )
                    )
    finally:
        await engine.dispose()
    conn = await copy_connection(settings)
    risks = 0
    try:
        batch: list[Any] = []
        for row in _rows(cases, seed=14):
            batch.append(row)
            if len(batch) == CHUNK:
                risks += await _copy(conn, batch)
                batch = []
        if batch:
            risks += await _copy(conn, batch)
        for table in ("children", "cases", "missing_cases", "risk_assessments", "directory_entries"):
            await conn.execute(f'ANALYZE "{table}"')
    finally:
        await conn.close()
    return {
        "cases": cases,
        "trafficking_suspected": risks,
        "ahtus": len(units),
        "seconds": time.perf_counter() - started,
    }


async def _copy(conn: asyncpg.Connection, batch: list[Any]) -> int:
    async with conn.transaction():
        await conn.copy_records_to_table("children", records=[r[0] for r in batch], columns=CHILD_COLUMNS)
        await conn.copy_records_to_table("cases", records=[r[1] for r in batch], columns=CASE_COLUMNS)
        await conn.copy_records_to_table("missing_cases", records=[r[2] for r in batch], columns=MISSING_COLUMNS)
        risks = [r[3] for r in batch if r[3] is not None]
        if risks:
            await conn.copy_records_to_table("risk_assessments", records=risks, columns=RISK_COLUMNS)
    return len(risks)


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--overdue", action="store_true", help="also run 3 months on (every report overdue)")
    parser.add_argument("--states-without-ahtu", type=int, default=2, help="states with no AHTU (cases wait)")
    parser.add_argument("--alerts", action="store_true", help="AHTUs with contacts, a webhook: the job's alerts too")
    args = parser.parse_args(argv)
    schema = f"bench_workflow_{os.getpid()}"
    await create_schema(POSTGRES_URL, schema)
    settings = Settings(database_url=POSTGRES_URL, database_schema=schema)
    runs: list[dict[str, Any]] = []
    try:
        seeded = await seed(settings, args.cases, args.states_without_ahtu, contacts=args.alerts)
        alerting = replace(settings.alerting, webhooks=("https://partner.example/hook",)) if args.alerts else None
        print(f"seeded {seeded['cases']:,} cases in {seeded['seconds']:.1f} s")
        engine = engine_for(settings)
        sessions = session_factory(engine)
        days = [("first", TODAY), ("again", TODAY), ("next day", TODAY + timedelta(days=1))]
        if args.overdue:
            days.append(("3 months on", date(2027, 3, 1)))
        try:
            for name, day in days:
                started = time.perf_counter()
                with_alerts = replace(settings, alerting=alerting) if alerting is not None else None
                done = await run_rules(sessions, today=day, batch=args.batch, settings=with_alerts)
                seconds = time.perf_counter() - started
                changed = {r.rule.value: r.changed for r in done}
                alerts = sum(r.alerts for r in done)
                runs.append(
                    {"run": name, "today": day.isoformat(), "seconds": round(seconds, 2), "changed": changed,
                     "alerts": alerts}
                )  # fmt: skip
                print(f"{name:12} {day}  {seconds:7.2f} s  {changed}  alerts {alerts:,}")
            async with sessions() as session:
                escalated = await session.scalar(select(func.count()).select_from(AhtuEscalationRow))
                events = await session.scalar(
                    select(func.count()).select_from(CaseEventRow).where(CaseEventRow.type == "ESCALATED_TO_AHTU")
                )
                size = await session.scalar(
                    text("SELECT pg_size_pretty(pg_relation_size('ix_missing_cases_watched_fir'))")
                )
                outbox_rows = await session.scalar(select(func.count()).select_from(OutboxRow))
            print(f"escalations {escalated:,}, ESCALATED_TO_AHTU events {events:,}, watched index {size}")
            print(f"outbox rows {outbox_rows:,}")
        finally:
            await engine.dispose()
        path = write_results(
            "workflow",
            {
                "command": command("bench.workflow", argv),
                "machine": machine(["sqlalchemy", "asyncpg"]),
                "seeded": seeded,
                "batch": args.batch,
                "alerts": args.alerts,
                "outbox_rows": outbox_rows,
                "runs": runs,
                "escalations": escalated,
                "escalation_events": events,
            },
        )
        print(f"results: {path}")
    finally:
        await drop_schema(POSTGRES_URL, schema)


if __name__ == "__main__":
    asyncio.run(main())
