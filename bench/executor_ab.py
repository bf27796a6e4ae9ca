"""The nested case page with and without ``FastFields``: CPU per page and Python calls per page, side by side.

    python -m bench.executor_ab [--backend sqlite|postgresql] [--cases 20000] [--rounds 8] [--requests 40]

Two schemas from ``build_schema`` in one process over the same store (``bench.page_cost``'s, seeded and analysed
once): the hub's, whose plain and direct fields ``FastFields`` completes the short way, and the same schema executed
by strawberry's own execution context (graphql-core's path for every field). Both answer ``bench.page_cost.PAGE``
as a national CPSU principal, access log on; the bodies must be byte-identical. Rounds alternate (A B, B A, ...)
and each keeps the process CPU time per page; the figure is median(fast) / median(graphql-core). The count of
Python function calls per page (cProfile, 20 pages each) does not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import time
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.schema.build import build_schema

from ._common import command, machine, write_results
from .page_cost import busiest_state, prepared, request


async def run(args: argparse.Namespace) -> dict[str, Any]:
    services = await prepared(args.backend, args)
    fast = build_schema()
    plain = build_schema()
    plain.execution_context_class = StrawberryGraphQLCoreExecutionContext
    schemas = {"fast": fast, "graphql-core": plain}
    principal = Principal.for_agency(Agency.CPSU)
    variables = {"first": args.page, "state": await busiest_state(services)}
    try:
        bodies = {name: await request(services, s, variables, principal) for name, s in schemas.items()}
        if bodies["fast"] != bodies["graphql-core"]:
            raise SystemExit("the two executors answered differently")
        cpu: dict[str, list[float]] = {name: [] for name in schemas}
        for round_ in range(args.rounds):
            for name in list(schemas) if round_ % 2 == 0 else list(reversed(schemas)):
                started = time.process_time()
                for _ in range(args.requests):
                    await request(services, schemas[name], variables, principal)
                cpu[name].append(1000 * (time.process_time() - started) / args.requests)
        calls = {}
        for name, schema in schemas.items():
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                await request(services, schema, variables, principal)
            profiler.disable()
            calls[name] = pstats.Stats(profiler).total_calls / 20  # type: ignore[attr-defined]
    finally:
        await services.engine.dispose()
    return {
        "cpu_ms": cpu,
        "median_cpu_ms": {name: statistics.median(values) for name, values in cpu.items()},
        "calls_per_page": calls,
        "bytes": len(bodies["fast"]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="pages per round")
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--folder", help="the SQLite store's folder (as bench.page_cost)")
    parser.add_argument("--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args(argv)
    figures = asyncio.run(run(args))
    median = figures["median_cpu_ms"]
    calls = figures["calls_per_page"]
    print("| executor | CPU ms per page (median of rounds) | rounds | Python calls per page |")
    print("|---|---:|---|---:|")
    for name in median:
        rounds = ", ".join(f"{v:.1f}" for v in figures["cpu_ms"][name])
        print(f"| {name} | {median[name]:.2f} | {rounds} | {calls[name]:,.0f} |")
    print(
        f"fast / graphql-core: CPU {median['fast'] / median['graphql-core']:.3f}, calls "
        f"{calls['fast'] / calls['graphql-core']:.3f}"
    )
    payload = {
        "command": command("bench.executor_ab", argv),
        "machine": machine(["strawberry-graphql", "graphql-core"]),
    }
    write_results("executor_ab", {**payload, "args": vars(args), **figures})


if __name__ == "__main__":
    main()
