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
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench._care_store import care_case, execute, insert_rows, prepared, store_care, write_care_results
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.store.models import InstitutionRow
from trackchild_hub.store.models.base import new_id

PG_SCHEMA = "bench_institutions"
WB = "19"
STALE = """query($d: Int!) { staleInstitutions(days: $d, first: 50) {
  edges { node { institution { id } childrenInCare lastUpdatedAt } } pageInfo { hasNextPage } } }"""
OVER = """query { overCapacityInstitutions(first: 50) {
  edges { node { institution { id capacity } childrenInCare } } pageInfo { hasNextPage } } }"""


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
    await insert_rows(services, InstitutionRow.__table__, homes)
    children, cases, care, entries = [], [], [], []
    for n in range(args.children):
        child, case = new_id(), new_id()
        home = homes[(n * 7919) % len(homes)]
        touched = now - timedelta(days=(n * 31) % 120, minutes=n % 1440)
        children.append({"id": child, "gender": "MALE", "age_years": 10, "age_reported_on": date(2026, 1, 1)})
        place = (WB, home["district_code"])
        cases.append(care_case(case, child, n, status="OPEN", place=place, event_date=date(2026, 1, 1), at=touched))
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
    await store_care(services, children, cases, care, entries)
    return str(homes[0]["district_code"])


async def main(args: argparse.Namespace) -> None:
    services = await prepared(args, PG_SCHEMA, "bench-institutions-")
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
            data = await execute(services, schema, query, variables, who)  # warm
            times = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                await execute(services, schema, query, variables, who)
                times.append(time.perf_counter() - t)
            listed = len(data[key]["edges"])
            results[f"{name} {reader}"] = {"median_ms": round(statistics.median(times) * 1000, 1), "listed": listed}
            print(f"{args.backend} {name} {reader}: {statistics.median(times) * 1000:.1f} ms, {listed} listed")
    await services.engine.dispose()
    path = write_care_results("institution_monitoring", args, seeded_s, results, entries_per_child=args.entries)
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
