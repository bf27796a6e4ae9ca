"""Latency of ``publicNotices(filter: {text})`` at 100,000 notices, against a plain SQL ``LIKE`` scan, side by side.

    python -m bench.public_notices [--notices 100000] [--queries 300] [--postgres]

Stores ``--notices`` consented, open MISSING and FOUND cases (plus a tenth as many without consent) through
``import cases``, spread over every LGD district, first names drawn from a few thousand (common names, a fifth of
them written in Devanagari, and syllable-built ones) with surnames; one police station and one CWC per district.
SQLite in a temp folder, or with ``--postgres`` a fresh schema of the test database (dropped afterwards).

Each round runs the same query three ways, in turn (the machine is shared: interleaved, so load hits all alike):

* ``hub``: ``publicNotices(filter: {text}, first: 10)`` through the whole schema in-process, public caller, with
  each notice's fields and contact;
* ``hub store``: the same page straight from ``NoticeSearch.page`` (index, read-back, contacts; no GraphQL);
* ``LIKE``: the simple baseline, one SQL statement: the listing rule and ``lower(name) LIKE '%<text>%'``, newest
  first, ``LIMIT 10``: no typo or script tolerance, no contacts.

Queries: a random first name as stored (a third), the Devanagari spelling of a common one (a third: "पूजा"), or
a name with one letter dropped (a third: "Pooa"). Reported: p50/p95/max per way in ms, the first search (which builds
the index) on its own, a search just after a consent change (the index catching up), and how many queries each way
answered with at least one notice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, select, text, update

from bench._common import command, machine, percentile, write_results
from bench._portal_store import create_schema, drop_schema
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Context
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CaseRow, ChildRow
from trackchild_hub.store.models.base import utcnow
from trackchild_hub.store.public_notices import C, H, NoticeFilter, listed

POSTGRES_URL = os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 30)
COMMON = {
    "Pooja": "पूजा", "Puja": "पूजा", "Rahul": "राहुल", "Priya": "प्रिया", "Anjali": "अंजलि", "Sunita": "सुनीता",
    "Ravi": "रवि", "Amit": "अमित", "Suresh": "सुरेश", "Neha": "नेहा", "Kavita": "कविता", "Rohit": "रोहित",
    "Sanjay": "संजय", "Deepak": "दीपक", "Manish": "मनीष", "Aarti": "आरती", "Geeta": "गीता", "Sita": "सीता",
    "Mohan": "मोहन", "Sonu": "सोनू", "Raju": "राजू", "Lakshmi": "लक्ष्मी", "Laxmi": "लक्ष्मी", "Ramesh": "रमेश",
    "Mukesh": "मुकेश", "Dinesh": "दिनेश", "Vikas": "विकास", "Nisha": "निशा", "Rekha": "रेखा", "Kiran": "किरण",
    "Arjun": "अर्जुन", "Karan": "करण", "Simran": "सिमरन", "Payal": "पायल", "Komal": "कोमल", "Sapna": "सपना",
    "Rani": "रानी", "Babli": "बबली", "Suman": "सुमन", "Ritu": "रितु",
}  # fmt: skip
SURNAMES = ("Kumar", "Kumari", "Singh", "Das", "Yadav", "Devi", "Khatun", "Mondal", "Sharma", "Paswan", "Ansari")
SYLLABLES = ("ra", "ji", "ma", "ni", "sha", "ku", "de", "pa", "la", "vi", "ta", "so", "ru", "ka", "na", "bi", "ya")
CASES = cast("Table", CaseRow.__table__)
NOTICE_ROWS = CaseRow.__table__.join(ChildRow.__table__, C.child_id == H.id)
NOTICES = """query($text: String!) { publicNotices(filter: {text: $text}, first: 10) { edges { node {
  id kind firstName ageYears gender eventDate state { code } district { name } contact { id name phones } } } } }"""


def first_names(rng: random.Random, synthetic: int) -> list[str]:
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(synthetic)}
    return sorted(made | set(COMMON))


def records(rng: random.Random, total: int, names: list[str], districts: list[tuple[str, str]]) -> Iterator[str]:
    common = list(COMMON)
    for n in range(total):
        kind = "MISSING" if n % 3 else "FOUND"
        given = rng.choice(common) if rng.random() < 0.4 else rng.choice(names)
        devanagari = given in COMMON and rng.random() < 0.2
        name = f"{COMMON[given]} कुमारी" if devanagari else f"{given} {rng.choice(SURNAMES)}"
        state, district = rng.choice(districts)
        event = TODAY - timedelta(days=rng.randint(1, 700))
        record: dict[str, Any] = {
            "kind": kind,
            "source": "bench",
            "external_id": f"N-{n:07d}",
            "reported_at": f"{event.isoformat()}T{n % 24:02d}:{n % 60:02d}:00+05:30",
            "status": "OPEN",
            "child": {"name": name, "gender": ["MALE", "FEMALE"][n % 2], "age_years": 3 + n % 15},
            "place": {"state": state, "district": district, "text": "near the bus stand"},
            "event_date": event.isoformat(),
        }
        if kind == "MISSING":
            record["fir"] = {"number": f"{n}/2026", "date": event.isoformat()}
        else:
            record["found"] = {"found_by": "RPF"}
        yield json.dumps(record, ensure_ascii=False)


def directory(districts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for state, district in districts:
        for kind, prefix in (("POLICE_STATION", "PS"), ("CHILD_WELFARE_COMMITTEE", "CWC")):
            entries.append(
                {
                    "id": f"{prefix}-{state}-{district}",
                    "kind": kind,
                    "name": f"{prefix} {district}",
                    "state": state,
                    "district": district,
                    "phones": ["+913326412345"],
                }
            )
    return entries


def queries(rng: random.Random, names: list[str], count: int) -> list[str]:
    out: list[str] = []
    common = list(COMMON)
    for i in range(count):
        if i % 3 == 0:
            out.append(rng.choice(names))
        elif i % 3 == 1:
            out.append(COMMON[rng.choice(common)])
        else:
            word = rng.choice([w for w in names if len(w) >= 5] or names)
            cut = rng.randrange(1, len(word))
            out.append(word[:cut] + word[cut + 1 :])
    return out


async def timed(call: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    start = time.perf_counter()
    found = await call()
    return (time.perf_counter() - start) * 1000, found


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-notices-"))
    schema_name = f"bench_notices_{os.getpid()}" if args.postgres else None
    if schema_name:
        await create_schema(POSTGRES_URL, schema_name)
    url = POSTGRES_URL if args.postgres else f"sqlite+aiosqlite:///{folder / 'hub.db'}"
    services = build_services(Settings(database_url=url, database_schema=schema_name, data_dir=folder / "data"))
    schema = build_schema()
    try:
        await upgrade(services.engine, services.geography)
        districts = [(d.state_code, d.code) for d in services.geography.all_districts()]
        async with services.sessions() as session, session.begin():
            await add_directory_entries(session, directory(districts))
        names = first_names(rng, args.synthetic)
        total = args.notices + args.notices // 10
        started = time.perf_counter()
        report = await import_cases(services.sessions, records(rng, total, names, districts), services.geography, TODAY)
        if report.errors or report.created != total:
            raise SystemExit(f"seeding failed: created {report.created} of {total}; {report.errors[:3]}")
        async with services.sessions() as session, session.begin():
            ids = list(await session.scalars(select(CaseRow.id).order_by(CaseRow.id).limit(args.notices)))
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                await session.execute(update(CASES).where(CaseRow.id.in_(chunk)).values(publication_consent=True))
        loaded = time.perf_counter() - started
        if args.postgres:
            async with services.engine.begin() as conn:
                for table in ("cases", "children", "directory_entries", "directory_coverage"):
                    await conn.execute(text(f'ANALYZE "{table}"'))
        async with services.sessions() as session:
            shown = await session.scalar(select(func.count()).select_from(NOTICE_ROWS).where(*listed()))

        async def hub(query: str) -> int:
            async with services.sessions() as session:
                context = Context(services=services, session=session, principal=Principal.public())
                result = await schema.execute(NOTICES, variable_values={"text": query}, context_value=context)
            if result.errors:
                raise SystemExit(f"query failed: {result.errors[0].message}")
            assert result.data is not None
            return len(result.data["publicNotices"]["edges"])

        async def store(query: str) -> int:
            async with services.sessions() as session:
                page = await services.notice_search.page(session, NoticeFilter(text=query), 10, None)
            return len(page.rows)

        async def like(query: str) -> int:
            async with services.sessions() as session:
                rows = await session.execute(_like(query))
                return len(rows.all())

        first_ms, _ = await timed(lambda: hub(rng.choice(names)))
        ways: dict[str, Callable[[str], Awaitable[int]]] = {"hub": hub, "hub store": store, "LIKE": like}
        timings: dict[str, list[float]] = {w: [] for w in ways}
        answered: dict[str, int] = dict.fromkeys(ways, 0)
        for query in queries(rng, names, args.queries):
            for way, call in ways.items():
                ms, found = await timed(lambda call=call, query=query: call(query))  # type: ignore[misc]
                timings[way].append(ms)
                answered[way] += found > 0
        after_write: list[float] = []
        for case_id in rng.sample(ids, 20):
            async with services.sessions() as session, session.begin():
                await session.execute(
                    update(CASES).where(CaseRow.id == case_id).values(publication_consent=False, updated_at=utcnow())
                )
            ms, _ = await timed(lambda: hub(rng.choice(names)))
            after_write.append(ms)
    finally:
        await services.engine.dispose()
        if schema_name:
            await drop_schema(POSTGRES_URL, schema_name)
    stats = {
        way: {"p50_ms": percentile(sorted(v), 50), "p95_ms": percentile(sorted(v), 95), "max_ms": max(v)}
        for way, v in timings.items()
    }
    return {
        "backend": "postgresql" if args.postgres else "sqlite",
        "notices": shown,
        "cases": total,
        "distinct_first_names": len(names),
        "load_s": loaded,
        "first_search_ms": first_ms,
        "after_write_p50_ms": percentile(sorted(after_write), 50),
        "after_write_max_ms": max(after_write),
        "answered": answered,
        "stats": stats,
    }


def _like(query: str) -> Any:
    pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        select(C.id, C.kind, H.name, H.age_years, H.gender, C.state_code, C.district_code, C.event_date)
        .select_from(NOTICE_ROWS)
        .where(*listed(), func.lower(H.name).like(pattern, escape="\\"))
        .order_by(C.reported_at.desc(), C.id.desc())
        .limit(10)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.public_notices", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--synthetic", type=int, default=3000, help="syllable-built first names besides the common")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", action="store_true", help=f"a fresh schema of {POSTGRES_URL}, dropped after")
    args = parser.parse_args(argv)
    outcome = asyncio.run(run(args))
    print(
        f"{outcome['notices']} notices listed ({outcome['cases']} cases, {outcome['distinct_first_names']} first "
        f"names), {outcome['backend']}, loaded in {outcome['load_s']:.0f} s; {args.queries} queries, each way in turn"
    )
    print(f"first search (builds the index): {outcome['first_search_ms']:.0f} ms")
    print(
        f"search just after a consent change: p50 {outcome['after_write_p50_ms']:.1f} ms, "
        f"max {outcome['after_write_max_ms']:.1f} ms"
    )
    print(f"{'way':<11}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'answered':>10}")
    for way, s in outcome["stats"].items():
        print(f"{way:<11}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['max_ms']:>9.1f}{outcome['answered'][way]:>10}")
    hub, like = outcome["stats"]["hub"], outcome["stats"]["LIKE"]
    print(f"hub / LIKE: p50 {hub['p50_ms'] / like['p50_ms']:.2f}x, p95 {hub['p95_ms'] / like['p95_ms']:.2f}x")
    path = write_results(
        "public_notices",
        {"command": command("bench.public_notices", argv), "machine": machine(["rapidfuzz", "sqlalchemy"]), **outcome},
    )
    print(f"full record: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
