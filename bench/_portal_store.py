"""The portal benchmark's database: a fresh PostgreSQL schema, the hub's tables, demo cases, fresh statistics."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from trackchild_hub.domain.geography import load_geography
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.seed import DEMO_TODAY
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.engine import create_engine, engine_for, session_factory
from trackchild_hub.store.migrate import upgrade

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# generate_demo does not return for much more (its FIR/CWC-order serial ledger runs out of numbers and retries).
MAX_DISTINCT = 10_000


@dataclass(frozen=True)
class Seeded:
    cases: int
    state: str  # the LGD state holding the most cases: the page's filter
    state_cases: int
    seconds: float


async def create_schema(database_url: str, schema: str) -> None:
    """Drop ``schema`` if it is there and create it empty."""
    await _schema_ddl(database_url, schema, f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")


async def drop_schema(database_url: str, schema: str) -> None:
    await _schema_ddl(database_url, schema, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


async def _schema_ddl(database_url: str, schema: str, *statements: str) -> None:
    _check_name(schema)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def seed(settings: Settings, cases: int) -> Seeded:
    """Migrate, then store the demo directory, institutions and ``cases`` cases through ``import cases``; ANALYZE.

    ``generate_demo`` cannot make more than about 10,000 distinct cases (its serial ledger runs out), so larger
    stores repeat them under new external ids, as ``bench.import_throughput`` does: same children, same places.
    """
    started = time.perf_counter()
    geography = load_geography()
    demo = generate_demo(geography, today=DEMO_TODAY, cases=min(cases, MAX_DISTINCT))
    engine = engine_for(settings)
    try:
        await upgrade(engine, geography)
        sessions = session_factory(engine)
        async with sessions() as session, session.begin():
            await add_institutions(session, demo.institutions)
            await add_directory_entries(session, demo.directory, verified_on=DEMO_TODAY)
        report = await import_cases(sessions, exchange_lines(demo.cases, cases), geography, DEMO_TODAY)
        if report.errors or report.created != cases:
            raise SystemExit(f"seeding failed: created {report.created} of {cases}; {report.errors[:3]}")
        async with engine.begin() as conn:
            # The planner needs statistics, and a fresh load has none. Only this schema's tables: a bare ANALYZE
            # would visit every schema of the shared database.
            tables = await conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
            for table in list(tables):
                await conn.execute(text(f'ANALYZE "{table}"'))
    finally:
        await engine.dispose()
    described = await describe(settings.database_url, settings.database_schema or "public")
    return Seeded(described.cases, described.state, described.state_cases, time.perf_counter() - started)


async def describe(database_url: str, schema: str) -> Seeded:
    """What an already seeded schema holds (``seconds`` 0): its cases and the state holding the most."""
    _check_name(schema)
    engine = create_engine(database_url, schema=schema)
    try:
        async with engine.connect() as conn:
            total = int(await conn.scalar(text("SELECT count(*) FROM cases")) or 0)
            row = (
                await conn.execute(
                    text("SELECT state_code, count(*) FROM cases GROUP BY state_code ORDER BY 2 DESC LIMIT 1")
                )
            ).one()
    finally:
        await engine.dispose()
    return Seeded(total, str(row[0]), int(row[1]), 0.0)


async def connections(database_url: str) -> tuple[int, int]:
    """PostgreSQL's ``max_connections`` and the connections open now (other users of a shared server count)."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            most = int(await conn.scalar(text("SHOW max_connections")) or 0)
            used = int(await conn.scalar(text("SELECT count(*) FROM pg_stat_activity")) or 0)
    finally:
        await engine.dispose()
    return most, used


async def access_log_rows(database_url: str, schema: str) -> int:
    """Rows in the hub's access log: a page that reads ``child.name`` must add to them."""
    _check_name(schema)
    engine = create_engine(database_url, schema=schema)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("SELECT count(*) FROM access_log")) or 0)
    finally:
        await engine.dispose()


def exchange_lines(cases: list[dict[str, Any]], total: int) -> Iterator[str]:
    """``total`` JSON lines: the demo cases in order, then again and again with ``-r<k>`` external ids."""
    for n in range(total):
        record = cases[n % len(cases)]
        copy = n // len(cases)
        if copy:
            record = {**record, "external_id": f"{record['external_id']}-r{copy}"}
        yield json.dumps(record, ensure_ascii=False)


def _check_name(schema: str) -> None:
    if not SCHEMA_NAME.fullmatch(schema):  # it goes into DDL as is
        raise SystemExit(f"not a plain schema name: {schema!r}")
