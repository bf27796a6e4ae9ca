"""What the query limits cost on a real page, and how many rate-limit decisions a second the limiter makes.

    python -m bench.limits [--cases 500] [--rounds 7] [--runs 20] [--decisions 20000] [--redis-url URL]

**Query limits.** One demo-seeded SQLite store in a temp folder, two schemas from ``build_schema``: **on** (the
default ``QueryLimits``: tokens, aliases, directives, depth, cost, checked before validation) and **off**
(``query_limits=None``). Each executes the nested case page (``PAGE``: ``cases(first: 50)`` with each case's child,
district, police station and institution) in-process through ``schema.execute`` as a national CPSU principal (no
field refused, so both do the same work, access-log write included). Within a round executions alternate on, off,
on, off… (``--runs`` of each) and the round keeps each target's median. THE FIGURE is median(on) / median(off) over
the rounds. Every response must hold 50 edges and no error. On a loaded machine the rounds spread wider than the
difference, so the limiter's own work (counting and measuring; the parse it does in strawberry's place is not extra)
is also timed alone and reported as a share of the "off" page time.

**Rate-limit decisions.** ``RateLimiter`` as the hub builds it (moving window) over memory, and over Redis at
``--redis-url`` (default redis://127.0.0.1:6379/0; keys under a prefix of this run's own, deleted afterwards).
``admit_ip`` is called ``--decisions`` times for 100 addresses in turn, one at a time and then 16 in flight:
"allowed" with a limit no address reaches, "refused" with a limit of 1/hour every address has used (a refusal also
reads the window for Retry-After: two Redis round trips). Reported as decisions per second. When Redis does not
answer, its rows say so and the memory rows still stand.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import redis.asyncio
from graphql import parse
from strawberry.federation import Schema

from trackchild_hub.app import build_services
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.http.rate_limit import RateLimited, RateLimiter
from trackchild_hub.resolvers.context import Context, Services
from trackchild_hub.schema.build import build_schema
from trackchild_hub.schema.extensions.document_counts import count
from trackchild_hub.schema.extensions.query_cost import measure
from trackchild_hub.settings import QueryLimits, RateLimits, Settings

from ._common import command, machine, write_results
from ._server import seed

PAGE_SIZE = 50
PAGE = f"""{{ cases(first: {PAGE_SIZE}) {{ edges {{ node {{
  reference status eventDate
  child {{ id name gender currentAge }}
  place {{ district {{ code name }} policeStation {{ id name }} }}
  ... on CareCase {{ institution {{ id name occupancy }} }}
  ... on FoundCase {{ institution {{ id name }} }}
}} }} }} }}"""
ADDRESSES = [f"10.0.{i // 250}.{i % 250}" for i in range(100)]
IN_FLIGHT = 16


# --- query limits ---------------------------------------------------------------------------------------------


async def execute_once(services: Services, schema: Schema, principal: Principal) -> float:
    async with services.sessions() as session:
        context = Context(services=services, session=session, principal=principal)
        started = time.perf_counter()
        result = await schema.execute(PAGE, context_value=context)
        elapsed = time.perf_counter() - started
    if result.errors or result.data is None or len(result.data["cases"]["edges"]) != PAGE_SIZE:
        raise SystemExit(f"the page did not come back whole: {result.errors}")
    return elapsed


async def limit_overhead(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-limits-"))
    settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")
    await seed(settings, args.cases)
    services = build_services(settings)
    schemas = {"on": build_schema(), "off": build_schema(query_limits=None)}
    principal = Principal.for_agency(Agency.CPSU)
    rounds: dict[str, list[float]] = {"on": [], "off": []}
    try:
        for schema in schemas.values():  # warm-up: loaders, statement caches, the schema's first run
            for _ in range(3):
                await execute_once(services, schema, principal)
        for _ in range(args.rounds):
            times: dict[str, list[float]] = {"on": [], "off": []}
            for _ in range(args.runs):  # on, off, on, off…: load that comes and goes hits both alike
                for name, schema in schemas.items():
                    times[name].append(await execute_once(services, schema, principal))
            for name, samples in times.items():
                rounds[name].append(statistics.median(samples))
    finally:
        await services.engine.dispose()
    on, off = statistics.median(rounds["on"]), statistics.median(rounds["off"])
    alone = check_alone(schemas["on"])
    return {
        "cases_seeded": args.cases,
        "page_size": PAGE_SIZE,
        "median_ms": {"on": on * 1000, "off": off * 1000},
        "ratio_on_off": on / off,
        "round_ratios": [a / b for a, b in zip(rounds["on"], rounds["off"], strict=True)],
        "check_alone_us": alone,
        "check_share_of_off": alone["count_and_measure_us"] / 1e6 / off,
        "page_cost": measure(schemas["on"]._schema, parse(PAGE), None, None).cost,
    }


def check_alone(schema: Schema, repeats: int = 1000) -> dict[str, float]:
    """Microseconds per ``PAGE`` for the limiter's own work (counting and measuring) and, for scale, the parse.

    The parse is not extra: the limiter parses in strawberry's place (with a token cap), once either way.
    """
    limits = QueryLimits()
    started = time.perf_counter()
    for _ in range(repeats):
        document = parse(PAGE, max_tokens=limits.max_tokens)
    parsed = time.perf_counter()
    for _ in range(repeats):
        count(document)
        measure(schema._schema, document, None, None)
    checked = time.perf_counter()
    return {"parse_us": (parsed - started) / repeats * 1e6, "count_and_measure_us": (checked - parsed) / repeats * 1e6}


# --- rate-limit decisions ---------------------------------------------------------------------------------------


async def decisions_per_second(check: Callable[[str], Awaitable[bool]], total: int, in_flight: int) -> float:
    """``check`` answers True when admitted; every decision must be the expected one, or the figure means nothing."""
    outcomes: list[bool] = []

    async def worker(offset: int) -> None:
        for i in range(offset, total, in_flight):
            outcomes.append(await check(ADDRESSES[i % len(ADDRESSES)]))

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(in_flight)))
    elapsed = time.perf_counter() - started
    if len(set(outcomes)) != 1:
        raise SystemExit("the limiter's decisions were mixed where they should all be alike")
    return total / elapsed


async def rate_limits(args: argparse.Namespace, redis_url: str | None) -> dict[str, float]:
    prefix = f"bench-limits-{uuid.uuid4().hex[:10]}"
    figures: dict[str, float] = {}
    for outcome, rate in (("allowed", "1000000000/hour"), ("refused", "1/hour")):
        limiter = RateLimiter(RateLimits(per_ip=rate, per_client=None, key_prefix=prefix), redis_url)

        async def check(address: str, limiter: RateLimiter = limiter) -> bool:
            try:
                await limiter.admit_ip(address)
            except RateLimited:
                return False
            return True

        try:
            if outcome == "refused":
                await asyncio.gather(*(check(a) for a in ADDRESSES))  # each address uses its one request
            for in_flight in (1, IN_FLIGHT):
                rate_s = await decisions_per_second(check, args.decisions, in_flight)
                figures[f"{outcome}, {in_flight} in flight"] = rate_s
        finally:
            await limiter.aclose()
    if redis_url:
        client = redis.asyncio.Redis.from_url(redis_url)
        try:
            keys = [key async for key in client.scan_iter(f"{prefix}:*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
    return figures


async def redis_answers(url: str) -> bool:
    client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=1)
    try:
        pong: Awaitable[bool] = client.ping()  # type: ignore[assignment]  # the asyncio client's ping awaits
        return await pong
    except (redis.RedisError, OSError):
        return False
    finally:
        await client.aclose()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    overhead = await limit_overhead(args)
    stores: dict[str, dict[str, float] | str] = {"memory": await rate_limits(args, None)}
    if await redis_answers(args.redis_url):
        stores["redis"] = await rate_limits(args, args.redis_url)
    else:
        stores["redis"] = f"not measured: nothing answers at {args.redis_url}"
    return {"query_limits": overhead, "rate_limit_decisions_per_s": stores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.limits", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500, help="demo cases to seed (default 500)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--runs", type=int, default=20, help="executions of each target per round (default 20)")
    parser.add_argument("--decisions", type=int, default=20_000, help="rate-limit decisions per figure")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args(argv)
    outcome = asyncio.run(run(args))
    limits = outcome["query_limits"]
    print(f"nested case page, cases(first: {PAGE_SIZE}), cost {limits['page_cost']}, in-process schema.execute")
    print(f"  limits on  {limits['median_ms']['on']:8.2f} ms (median of {args.rounds} round medians)")
    print(f"  limits off {limits['median_ms']['off']:8.2f} ms")
    spread = ", ".join(f"{r:.3f}" for r in limits["round_ratios"])
    print(f"  ratio on/off {limits['ratio_on_off']:.3f} (rounds: {spread})")
    alone = limits["check_alone_us"]
    print(
        f"  the limiter's own work: {alone['count_and_measure_us']:.0f} µs = {limits['check_share_of_off']:.2%} of "
        f"the page (the parse it does anyway, for scale: {alone['parse_us']:.0f} µs)"
    )
    print("rate-limit decisions per second (RateLimiter.admit_ip, moving window)")
    for store, figures in outcome["rate_limit_decisions_per_s"].items():
        if isinstance(figures, str):
            print(f"  {store:<7}{figures}")
            continue
        for name, value in figures.items():
            print(f"  {store:<7}{name:<24}{value:>10,.0f}")
    packages = ["strawberry-graphql", "graphql-core", "limits", "redis"]
    path = write_results("limits", {"command": command("bench.limits", argv), "machine": machine(packages), **outcome})
    print(f"full record: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
