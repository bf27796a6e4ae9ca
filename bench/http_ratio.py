"""Requests per second of the hub's nested case query against a bare strawberry "hello", over real HTTP.

    python -m bench.http_ratio [--seconds S] [--concurrency C] [--rounds R]

One process: each app is served by its own uvicorn server (127.0.0.1, a free port, a background thread with its
own event loop); an ``httpx.AsyncClient`` in the main thread keeps ``C`` requests in flight for ``S`` seconds (or
``--max-requests``, whichever comes first) per round. Targets alternate every round (hello, hub, raw, hello, hub,
raw, ...) so that machine noise hits them alike. THE FIGURE is median hub RPS / median hello RPS.

The "raw" target (a plain ASGI callable answering a fixed JSON body) is context, not part of the figure: it is
the ceiling that uvicorn + h11 + the in-process client allow on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import strawberry
from strawberry.asgi import GraphQL

from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.settings import Settings

from ._common import command as _command
from ._common import machine, write_results
from ._load import Check, RoundResult, drive, per_round_ratios, target_stats
from ._server import ServerThread, seed

PAGE = 20
HELLO_QUERY = "{ hello }"
HUB_QUERY = f"""{{ cases(first: {PAGE}) {{ edges {{ node {{ reference kind status eventDate
  place {{ state {{ name }} district {{ name }} policeStation {{ name }} }}
  child {{ gender currentAge identifyingMarks }} events {{ type at }}
  ... on CareCase {{ institution {{ name occupancy }} }}
  ... on MissingCase {{ fir {{ number }} daysMissing }} }} }} }} }}"""
# A national principal that holds every read scope, so no field is refused (CPSU: all scopes but care:write).
HEADERS = {"content-type": "application/json", "accept": "application/json"}

ASGIApp = Callable[..., Awaitable[None]]


# --- the apps ------------------------------------------------------------------------------------------------


@strawberry.type
class HelloQuery:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def hello_app() -> GraphQL[Any, Any]:
    return GraphQL(strawberry.Schema(query=HelloQuery))


RAW_BODY = b'{"data":{"hello":"world"}}'


async def raw_app(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
    """The least an ASGI app can do for a POST: drain the body, answer fixed JSON."""
    if scope["type"] != "http":
        return  # lifespan: accepted by not answering (uvicorn "auto" mode)
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(RAW_BODY)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": RAW_BODY})


# --- serving -------------------------------------------------------------------------------------------------


# --- load ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    body: bytes
    check: Check
    headers: dict[str, str] = field(default_factory=lambda: dict(HEADERS))


def _graphql_check(expect: Callable[[Any], str | None]) -> Check:
    def check(response: httpx.Response) -> str | None:
        if response.status_code != 200:
            return f"HTTP {response.status_code}: {response.text[:300]}"
        try:
            body = response.json()
        except ValueError:
            return f"not JSON: {response.text[:300]}"
        if not isinstance(body, dict):
            return f"not a JSON object: {response.text[:300]}"
        if "errors" in body:
            return f"errors: {json.dumps(body['errors'])[:300]}"
        return expect(body.get("data"))

    return check


def _hello_data(data: Any) -> str | None:
    return None if data == {"hello": "world"} else f"unexpected data: {json.dumps(data)[:300]}"


def _hub_data(data: Any) -> str | None:
    try:
        edges = data["cases"]["edges"]
    except (KeyError, TypeError):
        return f"unexpected data: {json.dumps(data)[:300]}"
    return None if len(edges) == PAGE else f"expected {PAGE} edges, got {len(edges)}"


async def _drive(client: httpx.AsyncClient, target: Target, **options: Any) -> RoundResult:
    return await drive(client, target.url, target.body, target.headers, target.check, name=target.name, **options)


async def measure(targets: list[Target], args: argparse.Namespace) -> list[RoundResult]:
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    timeout = httpx.Timeout(30.0)
    results: list[RoundResult] = []
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        for target in targets:  # warm-up: connections, caches, the hub's first queries; not recorded
            warm = await _drive(
                client, target, concurrency=args.concurrency, seconds=args.warmup, max_requests=10**9, round_=0
            )
            if warm.failures:
                _print_failures(warm.target, warm.failures)
                raise SystemExit(f"{target.name}: warm-up failed, not measuring")
        for round_ in range(1, args.rounds + 1):
            for target in targets:
                result = await _drive(
                    client,
                    target,
                    concurrency=args.concurrency,
                    seconds=args.seconds,
                    max_requests=args.max_requests,
                    round_=round_,
                )
                results.append(result)
                s = result.summary()
                print(
                    f"  round {round_} {target.name:<6} {s['rps']:9.1f} req/s  p50 {s['p50_ms']:7.2f} ms  "
                    f"p95 {s['p95_ms']:7.2f} ms  ok {s['ok']:6d}  failures {s['failures']}",
                    flush=True,
                )
    return results


# --- report --------------------------------------------------------------------------------------------------


def _print_failures(name: str, failures: list[str]) -> None:
    print(f"{name}: {len(failures)} failed requests; most common:", file=sys.stderr)
    for text, count in Counter(failures).most_common(5):
        print(f"  {count:6d} x {text}", file=sys.stderr)


def summarise(results: list[RoundResult], names: list[str]) -> dict[str, Any]:
    per_target = {name: target_stats(results, name) for name in names}
    hub, hello = per_target["hub"], per_target["hello"]
    pairs = per_round_ratios(results, "hub", "hello")
    return {
        "targets": per_target,
        "ratio_hub_over_hello": hub["median_rps"] / hello["median_rps"] if hello["median_rps"] else math.nan,
        "ratio_per_round": pairs,
    }


def print_table(summary: dict[str, Any]) -> None:
    print()
    print(
        f"{'target':<7} {'rounds':>6} {'median RPS':>11} {'min..max RPS':>17} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'ok':>8} {'failed':>7}"
    )
    for name, t in summary["targets"].items():
        spread = f"{t['min_rps']:.0f}..{t['max_rps']:.0f}"
        print(
            f"{name:<7} {t['rounds']:>6} {t['median_rps']:>11.1f} {spread:>17} {t['p50_ms']:>8.2f} "
            f"{t['p95_ms']:>8.2f} {t['ok']:>8} {t['failures']:>7}"
        )
    pairs, ratio = summary["ratio_per_round"], summary["ratio_hub_over_hello"]
    spread = f"per-round ratios {min(pairs):.4f}..{max(pairs):.4f}" if pairs else "no per-round ratios"
    one_in = f"1 in {1 / ratio:.1f}" if ratio > 0 else "hub served nothing"
    print()
    print(f"THE FIGURE  hub RPS / hello RPS = {ratio:.4f}  ({one_in}; {spread})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_ratio", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured round (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests kept in flight (default 8)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per target, alternating (default 5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded warm-up per target (default 2 s)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap on requests per round")
    parser.add_argument("--cases", type=int, default=2000, help="demo cases to seed (default 2000)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw ASGI ceiling target")
    args = parser.parse_args(argv)
    if min(args.seconds, args.concurrency, args.rounds, args.max_requests, args.cases) <= 0:
        parser.error("--seconds, --concurrency, --rounds, --max-requests and --cases must be positive")

    with tempfile.TemporaryDirectory(prefix="trackchild-bench-") as tmp:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'hub.db'}", data_dir=Path(tmp))
        started = time.perf_counter()
        seeded = asyncio.run(seed(settings, args.cases))
        print(f"seeded {seeded} demo cases into {settings.database_url} in {time.perf_counter() - started:.1f} s")
        apps: dict[str, Any] = {"hello": hello_app(), "hub": create_app(settings)}
        issuer = dev_issuer(settings)  # a national CPSU token: the hub verifies it on every request, as in production
        hub_headers = {**HEADERS, "authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
        if not args.no_raw:
            apps["raw"] = raw_app
        with contextlib.ExitStack() as running:
            servers = {name: running.enter_context(ServerThread(app, name)) for name, app in apps.items()}
            targets = [
                Target("hello", servers["hello"].url + "/graphql", _body(HELLO_QUERY), _graphql_check(_hello_data)),
                Target(
                    "hub", servers["hub"].url + "/graphql", _body(HUB_QUERY), _graphql_check(_hub_data), hub_headers
                ),
            ]
            if "raw" in servers:
                targets.append(Target("raw", servers["raw"].url + "/", _body(HELLO_QUERY), _graphql_check(_hello_data)))
            print(
                f"{args.rounds} rounds x {args.seconds:g} s per target, concurrency {args.concurrency}, "
                f"order {', '.join(t.name for t in targets)}, ..."
            )
            config = servers["hub"].server.config
            server_stack = {
                "http": getattr(config.http_protocol_class, "__name__", str(config.http_protocol_class)),
                "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
                "client": f"httpx.AsyncClient, same process, main thread; servers in {len(servers)} threads",
            }
            environment = machine(["strawberry-graphql", "starlette", "uvicorn", "h11", "httpx", "sqlalchemy"])
            results = asyncio.run(measure(targets, args))  # leaving the stack stops the servers (hub: lifespan)

    failed = 0
    for target in targets:
        failures = [f for r in results if r.target == target.name for f in r.failures]
        if failures:
            failed += len(failures)
            _print_failures(target.name, failures)
    summary = summarise(results, [t.name for t in targets])
    print_table(summary)
    path = write_results(
        "http_ratio",
        {
            "benchmark": "http_ratio",
            "command": _command("bench.http_ratio", argv),
            "settings": {
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "rounds": args.rounds,
                "warmup": args.warmup,
                "max_requests": args.max_requests,
                "cases": args.cases,
                "page": PAGE,
                "server": server_stack,
            },
            "machine": environment,
            "queries": {"hello": HELLO_QUERY, "hub": HUB_QUERY},
            "summary": summary,
            "rounds": [r.summary() for r in results],
        },
    )
    print(f"\nresults written to {path}")
    return 1 if failed else 0


def _body(query: str) -> bytes:
    return json.dumps({"query": query}).encode()


if __name__ == "__main__":
    raise SystemExit(main())
