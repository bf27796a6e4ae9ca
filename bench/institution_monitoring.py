"""What ``staleInstitutions`` and ``overCapacityInstitutions`` cost over many children in care.

    python -m bench.institution_monitoring [--backend postgresql|sqlite] [--institutions 2000] [--children 100000]
                                           [--entries 2] [--rounds 7]

A fresh store (PostgreSQL: the schema ``bench_institutions`` of ``--postgres-url``, dropped and made again; SQLite: a
temp folder) gets ``--institutions`` homes spread over the districts of West Bengal, ``--children`` open care cases
spread over them with last updates 0-119 days ago, and ``--entries`` e-file entries per child (some newer than the
case row), inserted with plain INSERTs, then ``ANALYZE``. Each query then runs through ``schema.execute`` (as
``/graphql`` runs it) for a national legal services reader and for a district one, first page of 50; reported: the
median wall time of ``--rounds`` runs after one warm run, and the rows listed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench._common import command, machine, write_results
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CareCaseRow, CareEntryRow, CaseRow, ChildRow, InstitutionRow
from trackchild_hub.store.models.base import new_id

PG_SCHEMA = "bench_institutions"
WB = "19"
STALE = """query($d: Int!) { staleInstitutions(days: $d, first: 50) {
  edges { node { institution { id } childrenInCare lastUpdatedAt } } pageInfo { hasNextPage } } }"""
OVER = """query { overCapacityInstitutions(first: 50) {
  edges { node { institution { id capacity } childrenInCare } } pageInfo { hasNextPage } } }"""
BATCH = 5000


async def prepared(args: argparse.Namespace) -> Services:
    folder = Path(tempfile.mkdtemp(prefix="bench-institutions-"))
    if args.backend == "sqlite":
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")
    else:
        admin = create_engine(args.postgres_url)
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        await admin.dispose()
        settings = Settings(database_url=args.postgres_url, database_schema=PG_SCHEMA, data_dir=folder / "data")
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    return services


async def _insert(services: Services, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with services.sessions() as session, session.begin():
            await session.execute(insert(table), rows[start : start + BATCH])


async def seed(services: Services, args: argparse.Namespace) -> str:
    """The homes, children, cases and entries; returns the district the district reader is given."""
    state = services.geography.state(WB)
    assert state is not None
    districts = [d.code for d in state.districts]
    now = datetime.now(UTC)
    homes = [
        {
            "id": new_id(),
            "registration_number": f"BENCH/{n:06d}",
            "name": f"Home {n}",
            "type": "CHILDRENS_HOME",
            "run_by": "NGO",
            "gender_served": "ANY",
            "capacity": 20 + n % 60,
            "state_code": WB,
            "district_code": districts[n % len(districts)],
            "created_at": now,
        }
        for n in range(args.institutions)
    ]
    await _insert(services, InstitutionRow.__table__, homes)
    children, cases, care, entries = [], [], [], []
    for n in range(args.children):
        child, case = new_id(), new_id()
        home = homes[(n * 7919) % len(homes)]
        touched = now - timedelta(days=(n * 31) % 120, minutes=n % 1440)
        children.append({"id": child, "gender": "MALE", "age_years": 10, "age_reported_on": date(2026, 1, 1)})
        cases.append(
            {
                "id": case,
                "kind": "CARE",
                "reference": f"B-{n:09d}",
                "status": "OPEN",
                "version": 1,
                "child_id": child,
                "source": "bench",
                "external_id": case,
                "state_code": WB,
                "district_code": home["district_code"],
                "event_date": date(2026, 1, 1),
                "reported_at": touched,
                "created_at": touched,
                "updated_at": touched,
            }
        )
        care.append({"case_id": case, "institution_id": home["id"], "admission_date": date(2026, 1, 1)})
        for e in range(args.entries):
            entries.append(
                {
                    "id": new_id(),
                    "entry_id": new_id(),
                    "version": 1,
                    "case_id": case,
                    "kind": "HEALTH_CHECKUP",
                    "occurred_on": date(2026, 1, 1),
                    "payload": {},
                    "recorded_by": "bench",
                    "recorded_at": touched + timedelta(days=e * 3),
                }
            )
    await _insert(services, ChildRow.__table__, children)
    await _insert(services, CaseRow.__table__, cases)
    await _insert(services, CareCaseRow.__table__, care)
    await _insert(services, CareEntryRow.__table__, entries)
    async with services.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    return str(homes[0]["district_code"])


async def timed(services: Services, schema: Any, query: str, variables: dict[str, Any], who: Principal) -> Any:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=who)
        result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


async def main(args: argparse.Namespace) -> None:
    services = await prepared(args)
    started = time.perf_counter()
    district = await seed(services, args)
    seeded_s = time.perf_counter() - started
    schema = build_schema()
    readers = {
        "national": Principal.for_agency(Agency.LEGAL_SERVICES, subject="nalsa"),
        "district": Principal.for_agency(Agency.LEGAL_SERVICES, subject="dlsa", state=WB, district=district),
    }
    results: dict[str, Any] = {}
    for name, (query, variables, key) in {
        "staleInstitutions(days: 30)": (STALE, {"d": 30}, "staleInstitutions"),
        "overCapacityInstitutions": (OVER, {}, "overCapacityInstitutions"),
    }.items():
        for reader, who in readers.items():
            data = await timed(services, schema, query, variables, who)  # warm
            times = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                await timed(services, schema, query, variables, who)
                times.append(time.perf_counter() - t)
            listed = len(data[key]["edges"])
            results[f"{name} {reader}"] = {"median_ms": round(statistics.median(times) * 1000, 1), "listed": listed}
            print(f"{args.backend} {name} {reader}: {statistics.median(times) * 1000:.1f} ms, {listed} listed")
    await services.engine.dispose()
    path = write_results(
        "institution_monitoring",
        {
            "command": command("bench.institution_monitoring", None),
            "machine": machine(["sqlalchemy", "asyncpg", "aiosqlite", "strawberry-graphql"]),
            "backend": args.backend,
            "institutions": args.institutions,
            "children": args.children,
            "entries_per_child": args.entries,
            "seed_s": round(seeded_s, 1),
            "results": results,
        },
    )
    print(f"seeded in {seeded_s:.1f} s; results: {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--institutions", type=int, default=2000)
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=7)
    asyncio.run(main(parser.parse_args()))
