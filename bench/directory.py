"""Latency of ``nearest`` and typo-tolerant ``directory(filter: {text})`` at 20,000 police stations + 10,000 others.

    python -m bench.directory [--stations 20000] [--others 10000] [--queries 300] [--database-url URL]

Builds a directory spread over every LGD district (entries within ~15 km of the district HQ, names from locality
words), stores it (SQLite in a temp folder unless ``--database-url`` names another migrated database), then runs
each query through the whole schema in-process (``schema.execute``, public caller), one at a time:

* ``nearest(kind: POLICE_STATION, ...)``, first 5, at random points inside India's districts;
* ``directory(filter: {text})``, first 10: a random entry's locality with one letter dropped ("Howra"), half of
  them with "police" added; the first search (which builds the in-process index) is reported on its own.

Reported: p50/p95/max per query kind, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench._common import command, machine, percentile, write_results
from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.migrate import upgrade

SYLLABLES = ("ba", "ra", "ko", "li", "pur", "nag", "ga", "dha", "man", "shi", "bal", "ta", "ho", "wa", "ju", "kal")
OTHER_KINDS = (
    "CHILD_WELFARE_COMMITTEE",
    "JUVENILE_JUSTICE_BOARD",
    "DISTRICT_CHILD_PROTECTION_UNIT",
    "SPECIAL_JUVENILE_POLICE_UNIT",
    "ANTI_HUMAN_TRAFFICKING_UNIT",
    "HOSPITAL",
    "CHILD_CARE_INSTITUTION",
)
NEAREST = """query($lat: Float!, $lon: Float!) {
  nearest(kind: POLICE_STATION, latitude: $lat, longitude: $lon, first: 5) { distanceKm entry { id name } } }"""
SEARCH = """query($text: String!) { directory(filter: {text: $text}, first: 10) { edges { node { id name } } } }"""


def _locality(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def build_directory(rng: random.Random, stations: int, others: int) -> tuple[list[dict[str, Any]], list[str]]:
    districts = [d for d in load_geography().all_districts() if d.latitude is not None and d.longitude is not None]
    localities = [_locality(rng) for _ in range(4000)]
    entries: list[dict[str, Any]] = []
    for i in range(stations + others):
        d = rng.choice(districts)
        lat, lon = d.latitude or 0.0, d.longitude or 0.0
        kind = "POLICE_STATION" if i < stations else rng.choice(OTHER_KINDS)
        place = rng.choice(localities)
        title = "Police Station" if kind == "POLICE_STATION" else kind.replace("_", " ").title()
        entries.append(
            {
                "id": f"B-{i:06d}",
                "kind": kind,
                "name": f"{place} {title}",
                "state": d.state_code,
                "district": d.code,
                "address": f"{rng.randint(1, 200)}, Main Road, {rng.choice(localities)}, {d.name}",
                "pin_code": f"{rng.randint(110, 855)}{rng.randint(0, 999):03d}",
                "latitude": lat + rng.uniform(-0.13, 0.13),
                "longitude": lon + rng.uniform(-0.13, 0.13),
                "phones": ["+913326412345"],
            }
        )
    return entries, localities


async def _timed(services: Services, schema: Any, query: str, variables: dict[str, Any]) -> float:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=Principal.public())
        start = time.perf_counter()
        result = await schema.execute(query, variable_values=variables, context_value=context)
        elapsed = (time.perf_counter() - start) * 1000
    if result.errors:
        raise SystemExit(f"query failed: {result.errors[0].message}")
    return elapsed


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-directory-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'hub.db'}"
    services = build_services(Settings(database_url=url, data_dir=folder / "data"))
    schema = build_schema()
    try:
        await upgrade(services.engine, services.geography)
        async with services.engine.begin() as conn:
            await conn.execute(text("DELETE FROM directory_entries"))
        entries, localities = build_directory(rng, args.stations, args.others)
        async with services.sessions() as session, session.begin():
            for start in range(0, len(entries), 5000):
                await add_directory_entries(session, entries[start : start + 5000])
        used = sorted({e["name"].split()[0] for e in entries})
        first_search = await _timed(services, schema, SEARCH, {"text": _typo(used[0], rng)})
        timings: dict[str, list[float]] = {"nearest": [], "text search": []}
        districts = [d for d in services.geography.all_districts() if d.latitude is not None]
        for _ in range(args.queries):
            d = rng.choice(districts)
            point = {
                "lat": (d.latitude or 0) + rng.uniform(-0.3, 0.3),
                "lon": (d.longitude or 0) + rng.uniform(-0.3, 0.3),
            }
            timings["nearest"].append(await _timed(services, schema, NEAREST, point))
            word = _typo(rng.choice(used), rng)
            query = f"{word} police" if rng.random() < 0.5 else word
            timings["text search"].append(await _timed(services, schema, SEARCH, {"text": query}))
    finally:
        await services.engine.dispose()
    del localities
    stats = {
        name: {"p50_ms": percentile(sorted(v), 50), "p95_ms": percentile(sorted(v), 95), "max_ms": max(v)}
        for name, v in timings.items()
    }
    return {"backend": url.split(":", 1)[0], "first_search_ms": first_search, "stats": stats}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.directory", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=20_000)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url", help="a database to use instead of a temp SQLite file (its directory is emptied)"
    )
    args = parser.parse_args(argv)
    outcome = asyncio.run(run(args))
    sizes = f"{args.stations} police stations + {args.others} other entries"
    print(f"{sizes}, {outcome['backend']}, {args.queries} queries each")
    print(f"first text search (builds the index): {outcome['first_search_ms']:.0f} ms")
    print(f"{'query':<14}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, s in outcome["stats"].items():
        print(f"{name:<14}{s['p50_ms']:>10.1f}{s['p95_ms']:>10.1f}{s['max_ms']:>10.1f}")
    path = write_results(
        "directory",
        {"command": command("bench.directory", argv), "machine": machine(["rapidfuzz", "sqlalchemy"]), **outcome},
    )
    print(f"full record: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
