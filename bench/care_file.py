"""The e-file page of one child: SQL statements and time per request as the file grows (5, 50, 500, 2000 entries).

    python -m bench.care_file [--postgres] [--sizes 5,50,500,2000] [--requests 50] [--versions 2]

One child in care per size, each with that many e-file entries (a realistic mix of sections; every ``--versions``-th
entry corrected once, so histories are read too), written straight into the store. Then, the sizes in turn
(interleaved, so the shared machine's load hits all alike), ``--requests`` times each: the e-file page through the
whole schema in-process as a CWC of the child's district: every section with its protected fields (the counsellor's
notes, check-ups with WHO growth, SIRs, care plans...), the follow-ups due, and one entry's history. Counted per
request with a cursor listener on the engine: the page's own statements and the access log's (the log writes the
protected fields read, once per request, whatever the number of entries). Reported: statements (page, log) and
p50/p95 ms per size. SQLite in a temp folder, or with ``--postgres`` a fresh schema of the test database (dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from bench._common import command, machine, percentile, write_results
from bench._portal_store import create_schema, drop_schema
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain import care_entries as c
from trackchild_hub.domain.care_entries import validated
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_institutions
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models.base import new_id
from trackchild_hub.store.models.care import CareEntryRow

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
WB, HOWRAH = "19", "313"
LOG_TABLES = ("access_log", "audit_head")
PAGE = """
query($case: ID!, $entry: ID!) {
  careFile(caseId: $case) {
    case { reference admissionDate }
    admissions { orderNumber productionReport }
    socialInvestigations { findings recommendation }
    carePlans { preferredCare needs { area plan } }
    healthCheckups { checkedOn heightCm weightKg conditions growth { underweight stunted thin } }
    education { track progress }
    counselling { heldOn counsellor note }
    reviews { scheduledOn heldOn overdue }
    releases { releaseKind releasedOn }
    followUps { month findings }
    followUpsDue { month dueOn overdue }
    history(entryId: $entry) { version recordedBy recordedAt }
  }
}"""
ADMIT = "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }"


def sections(rng: random.Random, n: int, today: date) -> list[c.Section]:
    """``n`` entries over about two years, in a CCI's mix (check-ups, reviews and counselling most often)."""
    out: list[c.Section] = []
    for i in range(n):
        day = today - timedelta(days=rng.randint(0, 730))
        pick = i % 10
        if pick in (0, 1, 2):
            out.append(c.HealthCheckup(day, rng.uniform(120, 150), rng.uniform(20, 40), ["MR-2"], ["anaemia"]))
        elif pick in (3, 4):
            out.append(c.Counselling(day, "Ms. Sen", c.CounsellingMode.INDIVIDUAL, f"Session {i}: " + "note " * 40))
        elif pick in (5, 6):
            held = day if rng.random() < 0.8 else None
            out.append(c.Review(c.CareBody.CWC, day, held, outcome="Continue" if held else None))
        elif pick == 7:
            out.append(c.Education(day, c.LearningTrack.SCHOOL, "Government School", "Class 5", "Doing well"))
        elif pick == 8:
            out.append(c.SocialInvestigation(day, "DCPU", "Findings " * 60, "Restore"))
        else:
            needs = [c.Need(c.NeedArea.HEALTH, "Check-ups"), c.Need(c.NeedArea.EMOTIONAL, "Counselling")]
            out.append(c.CarePlan(day, [c.CareOption.FAMILY, c.CareOption.INSTITUTION], needs))
    return out


async def seed(services: Services, sizes: list[int], versions: int, rng: random.Random) -> dict[int, tuple[str, str]]:
    """A child in care per size with that many entries; (case id, an entry with versions) per size."""
    async with services.sessions() as session, session.begin():
        await add_institutions(
            session,
            [
                {
                    "registration_number": "WB/CCI/2020/0001",
                    "name": "Children's Home 1",
                    "type": "CHILDRENS_HOME",
                    "run_by": "GOVERNMENT",
                    "gender_served": "ANY",
                    "capacity": 100,
                    "state": WB,
                    "district": HOWRAH,
                }
            ],
        )
    schema = build_schema()
    cwc = Principal.for_agency(Agency.CWC, subject="bench-cwc", state=WB, district=HOWRAH)
    today = date.today()
    out = {}
    for size in sizes:
        admit = {
            "institution": "WB/CCI/2020/0001",
            "admissionDate": (today - timedelta(days=800)).isoformat(),
            "child": {"name": f"Child {size}", "gender": "FEMALE", "dateOfBirth": "2015-06-01"},
        }
        async with services.sessions() as session:
            context = Context(services=services, session=session, principal=cwc)
            result = await schema.execute(ADMIT, variable_values={"i": admit}, context_value=context)
        assert result.data is not None, result.errors
        case_id = result.data["admitToInstitution"]["id"]
        rows: list[CareEntryRow] = []
        for i, section in enumerate(sections(rng, size, today)):
            data = validated(section, today, services.geography)
            entry_id = new_id()
            for version in range(1, 3 if versions and i % versions == 0 else 2):
                row = CareEntryRow(
                    id=entry_id if version == 1 else new_id(),
                    entry_id=entry_id,
                    version=version,
                    case_id=case_id,
                    kind=data.kind.value,
                    occurred_on=data.occurred_on,
                    due_on=data.due_on,
                    payload=data.payload,
                    recorded_by="bench-cci",
                    recorded_agency="cci",
                )
                rows.append(row)
        async with services.sessions() as session, session.begin():
            session.add_all(rows)
        out[size] = (case_id, rows[0].entry_id)
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-care-"))
    schema_name = f"bench_care_{os.getpid()}" if args.postgres else None
    if schema_name:
        await create_schema(POSTGRES_URL, schema_name)
    url = POSTGRES_URL if args.postgres else f"sqlite+aiosqlite:///{folder / 'hub.db'}"
    services = build_services(Settings(database_url=url, database_schema=schema_name, data_dir=folder / "data"))
    schema = build_schema()
    sizes = [int(s) for s in args.sizes.split(",")]
    seen: dict[str, int] = {"page": 0, "log": 0}

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen["log" if any(t in statement for t in LOG_TABLES) else "page"] += 1

    results: dict[int, dict[str, list[float]]] = {s: {"ms": [], "page": [], "log": []} for s in sizes}
    try:
        await upgrade(services.engine, services.geography)
        files = await seed(services, sizes, args.versions, rng)
        if args.postgres:
            async with services.engine.begin() as conn:
                await conn.execute(text("ANALYZE care_entries"))
        cwc = Principal.for_agency(Agency.CWC, subject="bench-cwc", state=WB, district=HOWRAH)
        event.listen(services.engine.sync_engine, "before_cursor_execute", count)
        for round_ in range(args.requests + 1):  # round 0 warms up (the log learns its chain's head)
            for size in sizes:
                case_id, entry_id = files[size]
                seen.update(page=0, log=0)
                start = time.perf_counter()
                async with services.sessions() as session:
                    context = Context(services=services, session=session, principal=cwc)
                    result = await schema.execute(
                        PAGE, variable_values={"case": case_id, "entry": entry_id}, context_value=context
                    )
                elapsed = (time.perf_counter() - start) * 1000
                if result.errors or result.data is None:
                    raise SystemExit(f"page failed: {result.errors}")
                history = result.data["careFile"]["history"]
                assert len(history) in (1, 2)
                if round_:
                    results[size]["ms"].append(elapsed)
                    results[size]["page"].append(seen["page"])
                    results[size]["log"].append(seen["log"])
        event.remove(services.engine.sync_engine, "before_cursor_execute", count)
    finally:
        await services.engine.dispose()
        if schema_name:
            await drop_schema(POSTGRES_URL, schema_name)
    return {
        "backend": "postgresql" if args.postgres else "sqlite",
        "requests": args.requests,
        "sizes": {
            size: {
                "entries": size,
                "page_statements": sorted(set(r["page"])),
                "log_statements": sorted(set(r["log"])),
                "p50_ms": percentile(sorted(r["ms"]), 50),
                "p95_ms": percentile(sorted(r["ms"]), 95),
            }
            for size, r in results.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.care_file", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="5,50,500,2000", help="entries per child, comma-separated")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per size")
    parser.add_argument("--versions", type=int, default=2, help="every Nth entry has a second version (0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", action="store_true", help=f"a fresh schema of {POSTGRES_URL}, dropped after")
    args = parser.parse_args(argv)
    outcome = asyncio.run(run(args))
    print(f"e-file page of one child, {outcome['backend']}, {args.requests} requests per size, interleaved")
    print(f"{'entries':>8} {'page stmts':>11} {'log stmts':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for size, r in outcome["sizes"].items():
        page = "/".join(map(str, r["page_statements"]))
        log = "/".join(map(str, r["log_statements"]))
        print(f"{size:>8} {page:>11} {log:>10} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
    outcome["command"] = command("bench.care_file", argv)
    outcome["machine"] = machine(["sqlalchemy", "strawberry-graphql", "asyncpg", "aiosqlite"])
    print(f"results: {write_results('care_file', outcome)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
