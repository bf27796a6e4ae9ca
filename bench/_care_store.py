"""The care benchmarks' store (``bench.institution_monitoring``, ``bench.progress_report``): a fresh one, rows put in
with plain INSERTs, one query run as ``/graphql`` runs it, and the results file they both write."""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench._common import command, machine, write_results
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CareCaseRow, CareEntryRow, CaseRow, ChildRow

BATCH = 5000
PACKAGES = ["sqlalchemy", "asyncpg", "aiosqlite", "strawberry-graphql"]


async def prepared(args: argparse.Namespace, pg_schema: str, prefix: str) -> Services:
    """A migrated, empty store: PostgreSQL's ``pg_schema`` of ``--postgres-url`` (dropped and made again) or, with
    ``--backend sqlite``, a new temp folder named ``prefix…``."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if args.backend == "sqlite":
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")
    else:
        admin = create_engine(args.postgres_url)
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {pg_schema}"))
        await admin.dispose()
        settings = Settings(database_url=args.postgres_url, database_schema=pg_schema, data_dir=folder / "data")
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    return services


async def insert_rows(services: Services, table: Any, rows: list[dict[str, Any]]) -> None:
    """``rows`` into ``table``, ``BATCH`` a transaction."""
    for start in range(0, len(rows), BATCH):
        async with services.sessions() as session, session.begin():
            await session.execute(insert(table), rows[start : start + BATCH])


def care_case(
    case: str, child: str, n: int, *, status: str, place: tuple[object, object], event_date: date, at: datetime
) -> dict[str, Any]:
    """The ``cases`` row of the ``n``-th care case (``place``: its State and district codes)."""
    return {
        "id": case,
        "kind": "CARE",
        "reference": f"B-{n:09d}",
        "status": status,
        "version": 1,
        "child_id": child,
        "source": "bench",
        "external_id": case,
        "state_code": place[0],
        "district_code": place[1],
        "event_date": event_date,
        "reported_at": at,
        "created_at": at,
        "updated_at": at,
    }


async def store_care(
    services: Services,
    children: list[dict[str, Any]],
    cases: list[dict[str, Any]],
    care: list[dict[str, Any]],
    entries: list[dict[str, Any]],
) -> None:
    """The children, their cases, care cases and e-file entries, then ``ANALYZE`` (a fresh load has no statistics)."""
    await insert_rows(services, ChildRow.__table__, children)
    await insert_rows(services, CaseRow.__table__, cases)
    await insert_rows(services, CareCaseRow.__table__, care)
    await insert_rows(services, CareEntryRow.__table__, entries)
    async with services.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()


async def execute(services: Services, schema: Any, query: str, variables: dict[str, Any], who: Principal) -> Any:
    """``query``'s data as ``who``, run through ``schema.execute`` as ``/graphql`` runs it (errors fail the run)."""
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=who)
        result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


def write_care_results(
    name: str, args: argparse.Namespace, seeded_s: float, results: dict[str, Any], **extra: Any
) -> Path:
    """``bench/results/<name>-<time>.json``: the run, the store's size (``extra`` after children), ``results``."""
    return write_results(
        name,
        {
            "command": command(f"bench.{name}", None),
            "machine": machine(PACKAGES),
            "backend": args.backend,
            "institutions": args.institutions,
            "children": args.children,
            **extra,
            "seed_s": round(seeded_s, 1),
            "results": results,
        },
    )
