"""What one nested case page costs in-process: requests per second and SQL statements per request.

    python -m bench.page_cost [--backend sqlite|postgresql|both] [--cases 2000] [--requests 300] [--page 50]
                              [--folder DIR] [--profile N]

The page the national portal asks for (``PAGE``: ``cases(first: 50, filter: {state})`` with each case's child (name,
gender, ageYears), district, police station and institution) runs through ``schema.execute`` exactly as
``/graphql`` runs it (a session per request, the ``Context``, the access log on) as a national CPSU principal, and
its result is encoded to the response body with the endpoint's encoder. No HTTP and no token check: this measures
the hub's own work per request, the part the issue's profile blamed.

The store is demo-seeded once per backend (SQLite in ``--folder``, default a temp folder; PostgreSQL in the schema
``bench_page_cost`` of ``--postgres-url``, kept between runs; both ``ANALYZE``d after the seed) and the page asks for
the state holding the most cases. Requests run one after another (no concurrency: per-request cost, not queueing).

Reported per backend: requests per second (the median of ``--rounds`` rounds), the median request time, the process's
CPU time per request (steadier than wall time on a shared machine; PostgreSQL's own work is not in it), and the SQL
statements of one request split into the page's reads and the access log's (statements naming ``access_log`` or
``audit_head``), counted with a ``before_cursor_execute`` listener, for a page of 5 and of ``--page`` cases.
``--profile N`` profiles N more requests with cProfile and prints the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, text

from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.http.response_body import encode
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.schema.build import build_schema
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import CaseRow

from ._common import command, machine, write_results

PAGE = """query Page($first: Int!, $state: String!) {
  cases(first: $first, filter: {state: $state}) {
    edges { node {
      id reference kind status
      child { name gender ageYears }
      place { district { name } policeStation { name } }
      ... on FoundCase { institution { name } }
      ... on CareCase { institution { name } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""
PG_SCHEMA = "bench_page_cost"
LOG_TABLES = ("access_log", "audit_head")


async def prepared(backend: str, args: argparse.Namespace) -> Services:
    if backend == "sqlite":
        folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-page-"))
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")
    else:
        admin = create_engine(args.postgres_url)
        async with admin.begin() as conn:
            await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}"))
        await admin.dispose()
        folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-page-pg-"))
        settings = Settings(database_url=args.postgres_url, database_schema=PG_SCHEMA, data_dir=folder / "data")
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    async with services.sessions() as session:
        held = int(await session.scalar(select(func.count()).select_from(CaseRow)) or 0)
    if held != args.cases:
        if held:
            raise SystemExit(f"{backend}: the store holds {held} cases, not {args.cases}: use another --folder/schema")
        report = await seed_demo(services.sessions, services.geography, cases=args.cases)
        if report is None or report.errors:
            raise SystemExit(f"demo seed failed: {report}")
        # Statistics, as the issue measured: without them SQLite reads a big state's cases whole to sort them.
        async with services.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    return services


async def busiest_state(services: Services) -> str:
    async with services.sessions() as session:
        query = select(CaseRow.state_code).group_by(CaseRow.state_code).order_by(func.count().desc()).limit(1)
        return str(await session.scalar(query))


async def request(services: Services, schema: Any, variables: dict[str, Any], principal: Principal) -> bytes:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=principal)
        result = await schema.execute(PAGE, variable_values=variables, context_value=context)
    if result.errors or result.data is None:
        raise SystemExit(f"the page failed: {result.errors}")
    return encode({"data": result.data})


@contextmanager
def counting(services: Services) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(services.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(services.engine.sync_engine, "before_cursor_execute", record)


def split(statements: list[str]) -> dict[str, int]:
    log = sum(1 for s in statements if any(t in s for t in LOG_TABLES))
    return {"read": len(statements) - log, "access_log": log}


async def measure(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    services = await prepared(backend, args)
    schema = build_schema()
    principal = Principal.for_agency(Agency.CPSU)
    state = await busiest_state(services)
    variables = {"first": args.page, "state": state}
    try:
        statements: dict[int, dict[str, int]] = {}
        for first in (5, args.page):
            await request(services, schema, {**variables, "first": first}, principal)  # warm
            with counting(services) as seen:
                body = await request(services, schema, {**variables, "first": first}, principal)
            statements[first] = split(seen)
            if body.count(b'"reference"') != first:
                raise SystemExit(f"expected {first} cases in the page; is state {state} seeded with fewer?")
        for _ in range(20):
            await request(services, schema, variables, principal)
        rates, times, cpu = [], [], []
        for _ in range(args.rounds):
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                t0 = time.perf_counter()
                await request(services, schema, variables, principal)
                times.append(time.perf_counter() - t0)
            rates.append(args.requests / (time.perf_counter() - started))
            cpu.append((time.process_time() - cpu_started) / args.requests)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.profile):
                await request(services, schema, variables, principal)
            profiler.disable()
            print(f"--- {backend}: cProfile of {args.profile} requests, by cumulative time")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
    finally:
        await services.engine.dispose()
    return {
        "state": state,
        "requests_per_s": statistics.median(rates),
        "round_rates": rates,
        "median_ms": statistics.median(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "statements": {str(k): v for k, v in statements.items()},
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    return {b: await measure(b, args) for b in backends}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--folder", help="keep the SQLite store (and data folder) here between runs")
    parser.add_argument("--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--profile", type=int, default=0, help="profile this many more requests (cProfile)")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args))
    print(f"{'backend':<11} {'req/s':>7} {'p50 ms':>7} {'cpu ms':>7}  statements per request (read + access log)")
    for backend, f in figures.items():
        counts = ", ".join(f"{k} cases: {v['read']} + {v['access_log']}" for k, v in f["statements"].items())
        print(f"{backend:<11} {f['requests_per_s']:>7.1f} {f['median_ms']:>7.2f} {f['cpu_ms']:>7.2f}  {counts}")
    path = write_results(
        "page_cost",
        {"command": command("bench.page_cost", argv), "machine": machine(["strawberry-graphql"]), **figures},
    )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
