"""What ``progressReport`` costs over many children in care: the physical part's three GROUP BYs at national scale.

    python -m bench.progress_report [--backend postgresql|sqlite] [--institutions 5000] [--children 300000]
                                    [--rounds 7]

A fresh store (PostgreSQL: the schema ``bench_progress`` of ``--postgres-url``, dropped and made again; SQLite: a
temp folder) gets ``--institutions`` homes of every type spread over five States (West Bengal holding a fifth),
``--children`` care cases admitted over the last three years (a third since left), each with a health check-up in its
e-file and a release (restoration, repatriation or transfer, a tenth corrected once) for those who left, inserted
with plain INSERTs, then ``ANALYZE``. ``progressReport(state: "19", ...)`` then runs through ``schema.execute`` as
the State's SCPS for the last and the current financial year; reported: the median and the worst of ``--rounds``
runs after one warm run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from bench._care_store import care_case, execute, insert_rows, prepared, store_care, write_care_results
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import InstitutionType
from trackchild_hub.domain.progress_financials import FinancialYear
from trackchild_hub.domain.reference import IST
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.store.models import InstitutionRow
from trackchild_hub.store.models.base import new_id

PG_SCHEMA = "bench_progress"
STATES = ("19", "9", "27", "10", "7")
GENDERS = ("MALE", "FEMALE", "FEMALE", "MALE", "TRANSGENDER", "UNKNOWN")
RELEASES = ("RESTORATION", "RESTORATION", "RESTORATION", "REPATRIATION", "TRANSFER")
REPORT = """query($y: String!) { progressReport(state: "19", financialYear: $y) {
  physical { institutions { institutions capacity } children { inCare { total } admitted { total } }
  outcomes { outcome children { total } } } financialsVersion } }"""


async def seed(services: Services, args: argparse.Namespace) -> None:
    rng = Random(15)
    now = datetime.now(UTC)
    today = now.astimezone(IST).date()
    types = [t.value for t in InstitutionType]
    homes = []
    for n in range(args.institutions):
        state = services.geography.state(STATES[n % len(STATES)])
        assert state is not None
        homes.append(
            {
                "id": new_id(),
                "registration_number": f"B/{n:07d}",
                "name": f"Home {n}",
                "type": types[n % len(types)],
                "run_by": "NGO",
                "gender_served": "ANY",
                "capacity": 20 + n % 60,
                "state_code": state.code,
                "district_code": state.districts[n % len(state.districts)].code,
                "created_at": now,
            }
        )
    await insert_rows(services, InstitutionRow.__table__, homes)
    children, cases, care, entries = [], [], [], []
    for n in range(args.children):
        child, case = new_id(), new_id()
        home = homes[(n * 7919) % len(homes)]
        admitted = today - timedelta(days=rng.randint(0, 3 * 365))
        left = admitted + timedelta(days=rng.randint(10, 400)) if rng.random() < 0.33 else None
        left = left if left is None or left <= today else None
        children.append(
            {"id": child, "gender": GENDERS[n % len(GENDERS)], "age_years": 10, "age_reported_on": admitted}
        )
        status, place = "RESOLVED" if left else "OPEN", (home["state_code"], home["district_code"])
        cases.append(care_case(case, child, n, status=status, place=place, event_date=admitted, at=now))
        care.append({"case_id": case, "institution_id": home["id"], "admission_date": admitted, "exit_date": left})
        entry = {"case_id": case, "due_on": None, "recorded_by": "bench", "recorded_at": now}
        entries.append(
            entry
            | {"id": new_id(), "entry_id": new_id(), "version": 1, "kind": "HEALTH_CHECKUP", "occurred_on": admitted}
            | {"payload": {}}
        )
        if left:
            release_id, kind = new_id(), RELEASES[n % len(RELEASES)]
            versions = 2 if n % 10 == 0 else 1
            for v in range(1, versions + 1):
                entries.append(
                    entry
                    | {"id": new_id(), "entry_id": release_id, "version": v, "kind": "RELEASE", "occurred_on": left}
                    | {"payload": {"kind": kind, "released_on": left.isoformat()}}
                )
    await store_care(services, children, cases, care, entries)


async def main(args: argparse.Namespace) -> None:
    services = await prepared(args, PG_SCHEMA, "bench-progress-")
    started = time.perf_counter()
    await seed(services, args)
    seeded_s = time.perf_counter() - started
    schema = build_schema()
    scps = Principal.for_agency(Agency.SCPS, subject="scps-wb", state="19")
    current = FinancialYear.containing(datetime.now(IST).date())
    results: dict[str, Any] = {}
    for year in (FinancialYear(current.start - 1).label, current.label):
        data = await execute(services, schema, REPORT, {"y": year}, scps)  # warm
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            await execute(services, schema, REPORT, {"y": year}, scps)
            times.append(time.perf_counter() - t)
        in_care = sum(c["inCare"]["total"] for c in data["progressReport"]["physical"]["children"])
        results[year] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
            "in_care": in_care,
        }
        print(
            f"{args.backend} progressReport 19 {year}: median {results[year]['median_ms']} ms, "
            f"max {results[year]['max_ms']} ms ({in_care} in care in West Bengal)"
        )
    await services.engine.dispose()
    path = write_care_results("progress_report", args, seeded_s, results)
    print(f"seeded in {seeded_s:.1f} s; results: {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--institutions", type=int, default=5000)
    parser.add_argument("--children", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=7)
    asyncio.run(main(parser.parse_args()))
