"""Overload and recovery: the nested case page from many clients at once, then how soon a single request is served.

    python -m bench.overload [--cases 20000] [--clients 64] [--seconds 10] [--timeout 10]
                             [--schema S] [--keep-schema] [--no-seed] [--hub-path DIR] [--env NAME=VALUE ...]

The hub runs as a real process (``python -m trackchild_hub.cli serve``) on PostgreSQL with ``--cases`` demo cases
(``bench._portal_store``: a fresh schema, ``import cases``, ``ANALYZE``), rate limits off, a national ``demo-cpsu``
token; the page (``bench.portal_load.HUB_PAGE``) reads ``child.name``, so every request also writes the access log.
``--clients`` closed-loop clients (``bench._closed_loop``, spread over one process per core) keep one request each
in flight for ``--seconds``; a request unanswered after ``--timeout`` seconds counts as a timeout. Then, the load
gone, one request every 0.2 s until one is served: the seconds that took are the recovery time.

``--hub-path DIR`` serves another checkout of the package (``PYTHONPATH=DIR``, e.g. ``git worktree add /tmp/old
<commit>``) for before/after figures; ``--env`` adds settings (``TRACKCHILD_MAX_IN_FLIGHT=8``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ._closed_loop import Tally, Target, run_round
from ._common import percentile
from ._portal_servers import Server, _spawn, _wait_ready, free_port, hub_env, hub_token
from ._portal_store import create_schema, describe, drop_schema, seed
from .portal_load import DEFAULT_URL, HUB_PAGE, _settings

RECOVERY_LIMIT_S = 120.0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    schema = args.schema or f"bench_overload_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="bench-overload-"))
    hub: Server | None = None
    try:
        if args.no_seed:
            seeded = asyncio.run(describe(args.database_url, schema))
        else:
            asyncio.run(create_schema(args.database_url, schema))
            seeded = asyncio.run(seed(_settings(args.database_url, schema, folder), args.cases))
        print(f"schema {schema}: {seeded.cases:,} cases; the page's state {seeded.state} ({seeded.state_cases:,})")
        env = hub_env(args.database_url, schema, folder / "hub")
        env.update(dict(item.split("=", 1) for item in args.env))
        if args.hub_path:
            env["PYTHONPATH"] = args.hub_path
        port = free_port()
        command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        hub = _spawn("hub", command, env, port, folder, cwd=folder)  # not the current folder: it would shadow DIR
        _wait_ready(hub, lambda client: client.get(f"{hub.url}/healthz"))
        hub.wait_idle()  # the match index is built at start
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {hub_token(env)}"}
        body = json.dumps({"query": HUB_PAGE, "variables": {"state": seeded.state}}).encode()
        target = Target("hub", "127.0.0.1", port, "/graphql", body, headers, "cases", 50)
        loaders = os.cpu_count() or 2
        with multiprocessing.get_context("spawn").Pool(loaders) as pool:
            tally = run_round(pool, loaders, target, args.clients, args.seconds, args.timeout)
        recovery = _recovery(hub.url, body, headers)
        _report(args, tally, recovery)
        return 0
    finally:
        if hub is not None:
            hub.stop()
        if not args.keep_schema and not args.no_seed:
            asyncio.run(drop_schema(args.database_url, schema))
        shutil.rmtree(folder, ignore_errors=True)


def _recovery(url: str, body: bytes, headers: dict[str, str]) -> float | None:
    """Seconds from now until a single request is served (None: not within RECOVERY_LIMIT_S)."""
    started = time.monotonic()
    with httpx.Client(timeout=RECOVERY_LIMIT_S) as client:
        while time.monotonic() - started < RECOVERY_LIMIT_S:
            try:
                response = client.post(f"{url}/graphql", content=body, headers=headers)
                if response.status_code == 200 and "errors" not in response.json():
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    return None


def _report(args: argparse.Namespace, tally: Tally, recovery: float | None) -> None:
    ok, refused = sorted(tally.ok), sorted(tally.refused)
    print(f"{args.clients} clients, {args.seconds:g} s, request timeout {args.timeout:g} s:")
    print(f"  served   {len(ok):6d}  ({tally.ok_in_window / args.seconds:.1f}/s in the window)", end="")
    if ok:
        print(f"  p50 {percentile(ok, 50) * 1000:.0f} ms  p99 {percentile(ok, 99) * 1000:.0f} ms", end="")
    print()
    print(f"  503      {len(refused):6d}", end="")
    if refused:
        print(f"  p50 {percentile(refused, 50) * 1000:.1f} ms  p99 {percentile(refused, 99) * 1000:.1f} ms", end="")
    print()
    print(f"  problems {sum(tally.problems.values()):6d}  {dict(tally.problems.most_common(5))}")
    if recovery is None:
        print(f"  recovery: no single request served within {RECOVERY_LIMIT_S:.0f} s after the load")
    else:
        print(f"  recovery: the next single request served after {recovery:.2f} s")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.overload", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="demo cases to seed (default 20000)")
    parser.add_argument("--clients", type=int, default=64, help="closed-loop clients (default 64)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the load (default 10)")
    parser.add_argument("--timeout", type=float, default=10.0, help="a request's timeout in seconds (default 10)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL (default {DEFAULT_URL})")
    parser.add_argument("--schema", help="schema to create, seed and drop (default bench_overload_<pid>)")
    parser.add_argument("--keep-schema", action="store_true", help="leave the seeded schema for --no-seed runs")
    parser.add_argument("--no-seed", action="store_true", help="use --schema as an earlier run left it")
    parser.add_argument("--hub-path", help="serve the package from this checkout (PYTHONPATH), e.g. an old commit")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the hub's environment")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
