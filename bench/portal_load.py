"""The national portal's page under load: the hub against PostGraphile 5 on the same PostgreSQL tables and rows.

    python -m bench.portal_load [--cases 20000] [--clients 16,64,256] [--rounds 3] [--seconds 10]

What runs:

1. A fresh schema in ``--database-url`` (default the ``test`` database on 127.0.0.1:5432), the hub's tables migrated
   into it, the demo directory and institutions, ``--cases`` demo cases through ``import cases``, then ``ANALYZE``.
2. The hub as a real process, ``trackchild-hub serve`` (``--workers 1`` when ``serve`` has that option), rate limits
   off (the load comes from one address), called with a national ``demo-cpsu`` token from the embedded dev issuer.
   The page reads ``child.name``, a protected field, so every request also writes the access log. When ``serve``
   has ``--workers``, a second hub with ``--workers N`` (``--workers``, default 2) is measured too.
3. PostGraphile 5 (``bench/peers/postgraphile``: npm ``postgraphile`` on the npm ``node@22`` runtime, installed there
   with ``npm ci`` on the first run) over the same schema, one process, its own pool of ``--peer-pool`` connections.
4. The same page from each: the newest 50 cases of the state holding the most cases, each with its child (name,
   gender, age), district, police station and institution (``HUB_PAGE``; ``PEER_PAGE`` reaches the same columns
   through the foreign keys PostGraphile exposes as relations, ordered as the hub orders). Before the load both
   pages are compared row by row.
5. Closed-loop load (``_closed_loop``): C clients over ``--loaders`` processes, each client keeping one request in
   flight, ``--seconds`` per round, for each C of ``--clients``; rounds interleave the targets (hub, hub xN,
   PostGraphile, hub, ...) so the machine's noise falls on all of them alike. ``--warmup`` unrecorded seconds per
   target first.

Reported per target and client count: served requests per second (HTTP 200, no errors, exactly 50 edges, completed
inside the window; median over rounds), p50/p99 latency of those, 503 refusals (count, their p50: admission control
answering at once is the goal under overload), other problems (statuses, GraphQL errors, timeouts after
``--timeout``), and the server's CPU time per served request (summed over its process group from /proc). THE FIGURE
is hub / PostGraphile requests per second at each client count. The JSON in bench/results/ holds every round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

import httpx

from trackchild_hub.settings import Settings

from ._closed_loop import Tally, Target, check, run_round
from ._common import command, machine, percentile, write_results
from ._portal_servers import (
    Server,
    ensure_postgraphile,
    hub_env,
    hub_has_workers,
    hub_token,
    start_hub,
    start_postgraphile,
)
from ._portal_store import Seeded, access_log_rows, connections, create_schema, describe, drop_schema, seed

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PAGE_SIZE = 50
HUB_PAGE = f"""query Page($state: String!) {{ cases(first: {PAGE_SIZE}, filter: {{state: $state}}) {{ edges {{ node {{
  id reference
  child {{ name gender ageYears }}
  place {{ district {{ name }} policeStation {{ name }} }}
  ... on CareCase {{ institution {{ name }} }}
  ... on FoundCase {{ institution {{ name }} }}
}} }} }} }}"""
PEER_PAGE = f"""query Page($state: String!) {{
  allCases(first: {PAGE_SIZE}, condition: {{stateCode: $state}}, orderBy: [REPORTED_AT_DESC, PRIMARY_KEY_DESC]) {{
    edges {{ node {{
      rowId reference
      childByChildId {{ name gender ageYears }}
      districtByDistrictCode {{ name }}
      directoryEntryByPoliceStationId {{ name }}
      careCaseByCaseId {{ institutionByInstitutionId {{ name }} }}
      foundCaseByCaseId {{ institutionByInstitutionId {{ name }} }}
    }} }}
  }}
}}"""
PEER = "postgraphile"


@dataclass
class Measured:
    """A target under test: its server, the request, and the rounds measured so far."""

    server: Server
    target: Target
    rounds: list[dict[str, Any]] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if any("=" not in item for item in args.hub_env):
        parser.error("--hub-env takes NAME=VALUE")
    clients = [int(c) for c in args.clients.split(",")]
    schema = args.schema or f"bench_portal_{os.getpid()}"
    environment = machine(["sqlalchemy", "asyncpg", "strawberry-graphql", "graphql-core", "starlette", "uvicorn"])
    ensure_postgraphile()
    folder = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    servers: list[Server] = []
    try:
        if args.no_seed:
            seeded = _described(args.database_url, schema)
        else:
            asyncio.run(create_schema(args.database_url, schema))
            seeded = asyncio.run(seed(_settings(args.database_url, schema, folder), args.cases))
        print(
            f"schema {schema}: {seeded.cases:,} cases, page state {seeded.state} ({seeded.state_cases:,} cases); "
            f"seeded in {seeded.seconds:.1f} s"
        )
        most, used = asyncio.run(connections(args.database_url))
        print(
            f"PostgreSQL: max_connections {most}, {used} open before the servers start (each hub may open its "
            f"pool plus overflow, 30 by default, --workers or not; PostGraphile {args.peer_pool})"
        )
        environment["postgres_connections"] = {"max": most, "open_before": used}
        targets = _start(args, schema, seeded, folder, servers)
        same = _compare_pages(targets, lambda: asyncio.run(access_log_rows(args.database_url, schema)))
        loaders = args.loaders or os.cpu_count() or 2
        with multiprocessing.get_context("spawn").Pool(loaders) as pool:
            _measure(pool, loaders, targets, clients, args)
        summary = {name: _summaries(m, clients) for name, m in targets.items()}
        _print_table(summary, clients, list(targets))
        path = write_results(
            "portal_load",
            {
                "command": command("bench.portal_load", argv),
                "machine": environment,
                "load_average_after": list(os.getloadavg()),
                "settings": {**vars(args), "schema": schema, "loaders": loaders},
                "seeded": vars(seeded),
                "hub_page": HUB_PAGE,
                "peer_page": PEER_PAGE,
                "same_page": same,
                "summary": summary,
                "rounds": {name: m.rounds for name, m in targets.items()},
            },
        )
        print(f"\nwritten {path}")
        peer_problems = sum(s["problems"] for s in summary[PEER].values())
        if peer_problems:
            print(f"PostGraphile had {peer_problems} failed requests: the comparison does not hold", file=sys.stderr)
            return 1
        return 0
    finally:
        for server in servers:
            server.stop()
        if not args.keep_schema and not args.no_seed:
            asyncio.run(drop_schema(args.database_url, schema))
        shutil.rmtree(folder, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.portal_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="demo cases to seed (default 20000)")
    parser.add_argument("--clients", default="16,64,256", help="client counts, comma-separated (default 16,64,256)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per target and client count")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a measured round (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds per target first (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="a request's timeout in seconds (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="the multi-process hub's --workers (0: skip it)")
    parser.add_argument("--loaders", type=int, default=0, help="load generator processes (default: CPU count)")
    parser.add_argument(
        "--honour-retry-after",
        action="store_true",
        help="a refused client waits Retry-After seconds before asking again (default: at once)",
    )
    parser.add_argument("--peer-pool", type=int, default=10, help="PostGraphile's pg pool size (default 10)")
    parser.add_argument(
        "--hub-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the hubs, e.g. TRACKCHILD_DB_MAX_OVERFLOW=10 (repeatable)",
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL (default {DEFAULT_URL})")
    parser.add_argument("--schema", help="schema to create, seed and drop (default bench_portal_<pid>)")
    parser.add_argument("--keep-schema", action="store_true", help="leave the seeded schema for --no-seed runs")
    parser.add_argument("--no-seed", action="store_true", help="use --schema as an earlier run left it")
    return parser


def _settings(database_url: str, schema: str, folder: Path) -> Settings:
    return Settings(database_url=database_url, database_schema=schema, data_dir=folder / "seed")


def _described(database_url: str, schema: str) -> Seeded:
    return asyncio.run(describe(database_url, schema))


def _start(
    args: argparse.Namespace, schema: str, seeded: Seeded, folder: Path, servers: list[Server]
) -> dict[str, Measured]:
    """Start every server (appended to ``servers`` as they come up, so the caller stops them) and build targets."""
    variables = {"state": seeded.state}
    workers = hub_has_workers()
    hubs: list[tuple[str, int | None]] = [("hub", 1 if workers else None)]
    if workers and args.workers > 1:
        hubs.append((f"hub x{args.workers}", args.workers))
    elif not workers:
        print("trackchild-hub serve has no --workers option yet: one hub process only")
    targets: dict[str, Measured] = {}
    for name, count in hubs:
        data_dir = folder / name.replace(" ", "-")
        env = hub_env(args.database_url, schema, data_dir)
        env.update(item.split("=", 1) for item in args.hub_env)
        server = start_hub(name, env, folder, count)
        servers.append(server)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {hub_token(env)}"}
        body = json.dumps({"query": HUB_PAGE, "variables": variables}).encode()
        targets[name] = Measured(server, Target(name, "127.0.0.1", server.port, "/graphql", body, headers, "cases", 50))
    peer = start_postgraphile(args.database_url, schema, folder, args.peer_pool)
    servers.append(peer)
    body = json.dumps({"query": PEER_PAGE, "variables": variables}).encode()
    headers = {"Content-Type": "application/json"}
    targets[PEER] = Measured(peer, Target(PEER, "127.0.0.1", peer.port, "/graphql", body, headers, "allCases", 50))
    for name, m in targets.items():
        waited = m.server.wait_idle()
        print(f"{name}: {m.server.url} (pid {m.server.process.pid}), idle after {waited:.0f} s")
    return targets


def _compare_pages(targets: dict[str, Measured], logged: Callable[[], int]) -> bool:
    """Fetch each page once, check it, and compare the hubs' rows with PostGraphile's, field by field.

    Also checks that a hub's page writes the access log (``logged`` counts its rows): the hub is measured with it on.
    """
    pages: dict[str, list[tuple[Any, ...]]] = {}
    with httpx.Client(timeout=60) as client:
        for name, m in targets.items():
            t = m.target
            before = logged()
            response = client.post(f"{m.server.url}{t.path}", content=t.body, headers=t.headers)
            problem = check(response.status_code, response.content, t)
            if problem:
                raise SystemExit(f"{name} does not serve the page: {problem}: {response.text[:500]}")
            if name != PEER:
                written = logged() - before
                print(f"{name}: one page wrote {written} access-log rows")
                if not written:
                    raise SystemExit(f"{name} read child names without writing the access log: not the hub measured")
            edges = response.json()["data"][t.root]["edges"]
            pages[name] = [_peer_row(e["node"]) if name == PEER else _hub_row(e["node"]) for e in edges]
    same = True
    for name, rows in pages.items():
        if name != PEER and rows != pages[PEER]:
            same = False
            differ = next(i for i, (a, b) in enumerate(zip(rows, pages[PEER], strict=True)) if a != b)
            print(f"warning: {name}'s page differs from PostGraphile's at row {differ}:")
            print(f"  {rows[differ]}\n  {pages[PEER][differ]}")
    if same:
        print(f"the pages match: the same {PAGE_SIZE} cases, children, districts, stations and institutions")
    return same


def _hub_row(node: dict[str, Any]) -> tuple[Any, ...]:
    child, place = node["child"], node["place"]
    return (
        node["id"],
        node["reference"],
        child["name"],
        child["gender"],
        child["ageYears"],
        (place["district"] or {}).get("name"),
        (place["policeStation"] or {}).get("name"),
        (node.get("institution") or {}).get("name"),
    )


def _peer_row(node: dict[str, Any]) -> tuple[Any, ...]:
    child = node["childByChildId"]
    detail = node["careCaseByCaseId"] or node["foundCaseByCaseId"] or {}
    return (
        node["rowId"],
        node["reference"],
        child["name"],
        child["gender"],
        child["ageYears"],
        (node["districtByDistrictCode"] or {}).get("name"),
        (node["directoryEntryByPoliceStationId"] or {}).get("name"),
        (detail.get("institutionByInstitutionId") or {}).get("name"),
    )


def _measure(
    pool: Pool, loaders: int, targets: dict[str, Measured], clients: list[int], args: argparse.Namespace
) -> None:
    if args.warmup > 0:
        for name, m in targets.items():
            tally = run_round(pool, loaders, m.target, min(clients), args.warmup, args.timeout)
            print(f"warm-up {name}: {len(tally.ok)} served, {len(tally.refused)} refused, {dict(tally.problems)}")
    for count in clients:
        for round_ in range(1, args.rounds + 1):
            for name, m in targets.items():
                cpu = m.server.cpu_seconds()
                started = time.perf_counter()
                polite = args.honour_retry_after
                tally = run_round(pool, loaders, m.target, count, args.seconds, args.timeout, honour_retry_after=polite)
                record = _round_record(tally, count, round_, args.seconds, time.perf_counter() - started)
                record["server_cpu_s"] = round(m.server.cpu_seconds() - cpu, 3)
                m.rounds.append(record)
                print(
                    f"{count:4} clients, round {round_}, {name:>13}: {record['rps']:8.1f} req/s, "
                    f"p50 {_ms(record['p50_ms']):>6} ms, {record['refused']} refused, {record['problems']} problems",
                    flush=True,
                )


def _round_record(tally: Tally, clients: int, round_: int, seconds: float, wall: float) -> dict[str, Any]:
    ok = sorted(tally.ok)
    return {
        "clients": clients,
        "round": round_,
        "wall_s": round(wall, 3),
        "rps": tally.ok_in_window / seconds,
        "served": len(ok),
        "served_in_window": tally.ok_in_window,
        "p50_ms": _quantile(ok, 50, 1000),
        "p99_ms": _quantile(ok, 99, 1000),
        "refused": len(tally.refused),
        "refused_in_window": tally.refused_in_window,
        "refused_without_retry_after": tally.refused_without_retry_after,
        "refused_latencies_ms": [round(x * 1000, 2) for x in sorted(tally.refused)],
        "problems": sum(tally.problems.values()),
        "problem_reasons": dict(tally.problems),
        "loader_cpu_s": round(tally.loader_cpu_s, 3),
        "latencies_ms": [round(x * 1000, 2) for x in ok],
    }


def _quantile(ordered: list[float], p: float, scale: float = 1.0) -> float | None:
    """A percentile of sorted values, None (not NaN: the results are JSON) when there are none."""
    return percentile(ordered, p) * scale if ordered else None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _summaries(m: Measured, clients: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for count in clients:
        mine = [r for r in m.rounds if r["clients"] == count]
        ok = sorted(x for r in mine for x in r["latencies_ms"])
        refused = sorted(x for r in mine for x in r["refused_latencies_ms"])
        reasons: Counter[str] = Counter()
        for r in mine:
            reasons.update(r["problem_reasons"])
        served = sum(r["served"] for r in mine)
        answered = served + sum(r["refused"] + r["problems"] for r in mine)
        out[count] = {
            "rps": statistics.median(r["rps"] for r in mine),
            "rps_rounds": [round(r["rps"], 1) for r in mine],
            "p50_ms": _quantile(ok, 50),
            "p99_ms": _quantile(ok, 99),
            "served": served,
            "refused": len(refused),
            "refused_p50_ms": _quantile(refused, 50),
            "refused_without_retry_after": sum(r["refused_without_retry_after"] for r in mine),
            "problems": sum(reasons.values()),
            "problem_reasons": dict(reasons.most_common(5)),
            "cpu_ms_per_served": 1000 * sum(r["server_cpu_s"] for r in mine) / served if served else None,
            "loader_cpu_us_per_request": 1e6 * sum(r["loader_cpu_s"] for r in mine) / answered if answered else None,
        }
    return out


def _print_table(summary: dict[str, dict[int, dict[str, Any]]], clients: list[int], names: list[str]) -> None:
    peer = summary[PEER]
    print()
    header = "| clients | target | req/s | p50 ms | p99 ms | 503s (p50 ms) | errors | CPU ms/req | x PostGraphile |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for count in clients:
        for name in names:
            s = summary[name][count]
            ratio = s["rps"] / peer[count]["rps"] if peer[count]["rps"] else float("nan")
            refused = f"{s['refused']} ({_ms(s['refused_p50_ms'])})" if s["refused"] else "0"
            cpu = f"{s['cpu_ms_per_served']:.1f}" if s["cpu_ms_per_served"] else "-"
            print(
                f"| {count} | {name} | {s['rps']:.1f} | {_ms(s['p50_ms'])} | {_ms(s['p99_ms'])} | {refused} | "
                f"{s['problems']} | {cpu} | {'' if name == PEER else f'{ratio:.2f}'} |"
            )
    costs = [s["loader_cpu_us_per_request"] for t in summary.values() for s in t.values()]
    costs = [c for c in costs if c is not None]
    if costs:
        print(f"load generator: {statistics.median(costs):.0f} us of CPU per request (median over targets)")
    for name in names:
        for count in clients:
            bare = summary[name][count]["refused_without_retry_after"]
            if bare:
                print(f"{name} at {count} clients: {bare} 503s without Retry-After")
            reasons = summary[name][count]["problem_reasons"]
            if reasons:
                print(f"{name} at {count} clients, most common problems: {reasons}")


if __name__ == "__main__":
    sys.exit(main())
