"""Federation, in one run: fan-out latency against the slowest upstream alone, and sync throughput on both databases.

**Fan-out.** Three simulator processes (``trackchild-hub simulate``: WB police, Bihar police in the legacy dialect,
Maharashtra WCD), each answering after ``--latency-ms`` (default 100). The hub (``create_app`` on uvicorn, in this
process) is asked for ``cases(sources: [the three])``. Each round times, back to back from the same client, one direct
search call to each simulator (the request the connector makes) and one hub query; the round's ratio is the hub's time
over the slowest of the three direct calls. Goal: median ratio <= 1.15. Each round also times the three searches
issued at once by the client (three threads), without the hub: on a small machine the three simulators then compete
for the CPU, and the hub's ratio over that isolates what the hub itself adds.

**Sync.** For SQLite and then PostgreSQL, a fresh store pulls a latency-free simulator's whole feed with
``sync_connector`` (batches of ``--batch``); records per second, against a walk of the same feed that stores nothing
(the upstream and mapping cost alone), measured right before it.

    python -m bench.federation
    python -m bench.federation --rounds 30 --sync-records 20000 --postgres-url postgresql+asyncpg://...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from trackchild_hub.app import build_services, create_app, dev_issuer
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.enums import DirectoryKind
from trackchild_hub.domain.filters import CaseFilter
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.resolvers.live_rows import search_limit
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.federation import toml_value
from trackchild_hub.sandbox.simulator import LEGACY_MAPPING
from trackchild_hub.sandbox.simulator.data import TODAY
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.sync.runner import sync_connector

from ._common import command, machine, percentile, write_results
from ._server import ServerThread

SIM_RECORDS = 600  # cases each simulator generates
SYSTEMS = [
    ("police-19", "police", "19", "standard"),
    ("police-10", "police", "10", "legacy"),
    ("wcd-27", "wcd", "27", "standard"),
]
QUERY = """{ cases(first: 20, sources: ["police-19", "police-10", "wcd-27"]) {
  edges { node { id reference kind eventDate provenance { source externalId fetchedAt } } }
  sources { source ok latencyMs } } }"""
# The same page showing places (``--with-places``): each node's district, police station and institution by name,
# which a live record names by code and the hub looks up in its directory (seeded with the simulators' own).
PLACED_QUERY = QUERY.replace(
    "provenance {",
    "place { district { name } policeStation { name } } ... on CareCase { institution { name } } "
    "... on FoundCase { institution { name } } provenance {",
)
POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# What the hub's connectors ask each system for the page of 20 above: the direct calls ask the same.
ASKED: dict[str, str | int] = {"limit": search_limit(20, None, CaseFilter()), "order": "reported_at"}


@contextmanager
def simulator(kind: str, state: str, *options: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "trackchild_hub.cli", "simulate", kind, "--state", state, "--port", str(port)]
    process = subprocess.Popen([*argv, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/_sim/stats", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"simulator {kind} {state} did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _connectors_file(folder: Path, urls: dict[str, str]) -> Path:
    tables = []
    for source, kind, state, dialect in SYSTEMS:
        table = f'[[connector]]\nid = "{source}"\nkind = "{kind}"\nstate = "{state}"\nbase_url = "{urls[source]}"\n'
        table += "timeout_ms = 5000\n"
        if dialect == "legacy":
            table += f"mapping = {toml_value(LEGACY_MAPPING)}\n"
        tables.append(table)
    path = folder / "connectors.toml"
    path.write_text("\n".join(tables))
    return path


def fan_out(rounds: int, latency_ms: int, folder: Path, *, with_places: bool = False) -> dict[str, Any]:
    """The page without places each round; with ``with_places``, the page showing places as well, right after it,
    both against the same round's slowest direct call."""
    with ExitStack() as stack:
        urls = {
            source: stack.enter_context(
                simulator(
                    kind, state, "--latency-ms", str(latency_ms), "--records", str(SIM_RECORDS), "--dialect", dialect
                )
            )
            for source, kind, state, dialect in SYSTEMS
        }
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{folder / 'fanout.db'}",
            data_dir=folder / "data",
            connectors=_connectors_file(folder, urls),
            fanout_deadline_ms=5000,
        )
        services = build_services(settings)
        asyncio.run(_migrate(services, with_places))
        hub = stack.enter_context(ServerThread(create_app(settings), "hub"))
        issuer = dev_issuer(settings)
        headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
        client = stack.enter_context(httpx.Client(timeout=30))
        pool = stack.enter_context(ThreadPoolExecutor(len(SYSTEMS)))
        ratios, concurrent_ratios, hub_ms, slowest_ms, concurrent_ms = [], [], [], [], []
        placed_ratios: list[float] = []
        placed_ms: list[float] = []
        over_narrow: list[float] = []  # the page showing places over the page without, the same round

        def search(source: str) -> float:
            started = time.perf_counter()
            client.get(f"{urls[source]}/v1/cases/search", params=ASKED).raise_for_status()
            return (time.perf_counter() - started) * 1000

        for number in range(rounds + 2):  # two warm-up rounds, not recorded
            direct = [search(source) for source, *_ in SYSTEMS]
            started = time.perf_counter()
            list(pool.map(search, [source for source, *_ in SYSTEMS]))
            together = (time.perf_counter() - started) * 1000
            elapsed = _hub_query(client, hub.url, headers, QUERY)
            if with_places:
                placed = _hub_query(client, hub.url, headers, PLACED_QUERY, placed=True)
                if number >= 2:
                    placed_ms.append(placed)
                    placed_ratios.append(placed / max(direct))
                    over_narrow.append(placed / elapsed)
            if number >= 2:
                hub_ms.append(elapsed)
                slowest_ms.append(max(direct))
                concurrent_ms.append(together)
                ratios.append(elapsed / max(direct))
                concurrent_ratios.append(elapsed / together)
    ratios.sort()
    concurrent_ratios.sort()
    placed_ratios.sort()
    places: dict[str, Any] = {}
    if with_places:
        places = {
            "placed_ratio_median": statistics.median(placed_ratios),
            "placed_ratio_p95": percentile(placed_ratios, 95),
            "placed_hub_ms_median": statistics.median(placed_ms),
            "placed_over_narrow_median": statistics.median(over_narrow),
            "placed_ratios": placed_ratios,
        }
    return {
        **places,
        "latency_ms": latency_ms,
        "rounds": rounds,
        "ratio_median": statistics.median(ratios),
        "ratio_p95": percentile(ratios, 95),
        "hub_ms_median": statistics.median(hub_ms),
        "slowest_upstream_ms_median": statistics.median(slowest_ms),
        "three_at_once_ms_median": statistics.median(concurrent_ms),
        "ratio_to_three_at_once_median": statistics.median(concurrent_ratios),
        "ratios": ratios,
    }


def _hub_query(client: httpx.Client, url: str, headers: dict[str, str], query: str, *, placed: bool = False) -> float:
    """One hub query's time in ms; stops the run unless the page came in full (with places: stations named)."""
    started = time.perf_counter()
    response = client.post(f"{url}/graphql", json={"query": query}, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    if "errors" in body or len(body["data"]["cases"]["edges"]) != 20:
        raise SystemExit(f"the hub did not answer in full: {str(body)[:300]}")
    nodes = [e["node"] for e in body["data"]["cases"]["edges"]]
    if placed and not any(n["place"]["policeStation"] for n in nodes):  # not every record names one
        raise SystemExit(f"no police station named: the directory is not the simulators' ({str(nodes)[:300]})")
    return elapsed


async def _migrate(services: Any, with_places: bool) -> None:
    """A migrated store; with places, holding the directory and institutions the simulators' records name."""
    await upgrade(services.engine, services.geography)
    if with_places:
        stations: dict[str, dict[str, Any]] = {}
        institutions: dict[str, dict[str, Any]] = {}
        for _, _, state, _ in SYSTEMS:  # what each simulator generates from (its default seed, today, records)
            demo = generate_demo(services.geography, seed=1, today=TODAY, states=(state,), cases=SIM_RECORDS)
            stations.update((e["id"], e) for e in demo.directory if e["kind"] == DirectoryKind.POLICE_STATION.value)
            institutions.update((i["registration_number"], i) for i in demo.institutions)
        async with services.sessions() as session, session.begin():
            await add_institutions(session, list(institutions.values()))
            await add_directory_entries(session, list(stations.values()))
    await services.engine.dispose()


async def _walk(connector: RestConnector, batch: int) -> tuple[int, float]:
    started, count, cursor = time.perf_counter(), 0, None
    while True:
        page = await connector.changes_since(cursor, limit=batch)
        count += len(page.items)
        if page.next_cursor is None:
            return count, time.perf_counter() - started
        cursor = page.next_cursor


async def sync_rate(url: str, database_url: str, schema: str | None, folder: Path, batch: int) -> dict[str, Any]:
    settings = Settings(database_url=database_url, database_schema=schema, data_dir=folder / "data")
    if schema:
        admin = build_services(Settings(database_url=database_url))
        async with admin.engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {schema}"))
    services = build_services(settings)
    try:
        await upgrade(services.engine, services.geography)
        async with httpx.AsyncClient(timeout=30) as http:
            config = ConnectorConfig("police-19", ConnectorKind.POLICE, "19", ConnectorType.REST, url)
            connector = RestConnector(config, http, load_geography())
            walked, walk_s = await _walk(connector, batch)
            report = await sync_connector(services.sessions, services.geography, connector, batch=batch)
    finally:
        await services.engine.dispose()
        if schema:
            async with admin.engine.begin() as conn:
                await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            await admin.engine.dispose()
    if report.created != walked:
        raise SystemExit(f"sync stored {report.created} of {walked} records")
    return {
        "records": report.created,
        "seconds": report.seconds,
        "records_per_s": report.created / report.seconds,
        "walk_only_records_per_s": walked / walk_s,
        "ratio_to_walk": (report.created / report.seconds) / (walked / walk_s),
    }


def sync_rates(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    syncs = {}
    with simulator("police", "19", "--records", str(args.sync_records)) as url:
        for name, database_url, schema in (
            ("sqlite", f"sqlite+aiosqlite:///{folder / 'sync.db'}", None),
            ("postgresql", args.postgres_url, f"bench_sync_{os.getpid()}"),
        ):
            syncs[name] = asyncio.run(sync_rate(url, database_url, schema, folder, args.batch))
            s = syncs[name]
            print(
                f"sync on {name}: {s['records']} records in {s['seconds']:.1f} s = {s['records_per_s']:.0f}/s "
                f"(walk alone {s['walk_only_records_per_s']:.0f}/s, ratio {s['ratio_to_walk']:.2f})"
            )
    return syncs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.federation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--sync-records", type=int, default=9000, help="cases generated (police keeps about 2/3)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--postgres-url", default=os.environ.get("TRACKCHILD_TEST_POSTGRES_URL", POSTGRES_URL))
    parser.add_argument("--fan-out-only", action="store_true", help="skip the sync figures")
    parser.add_argument(
        "--with-places",
        action="store_true",
        help="also time the page showing each case's district, police station and institution (names)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fan = fan_out(args.rounds, args.latency_ms, folder, with_places=args.with_places)
        print(
            f"fan-out to 3 upstreams at {args.latency_ms} ms: hub {fan['hub_ms_median']:.1f} ms, slowest upstream "
            f"alone {fan['slowest_upstream_ms_median']:.1f} ms, ratio median {fan['ratio_median']:.3f} "
            f"p95 {fan['ratio_p95']:.3f} (goal <= 1.15); the same three searches at once, without the hub: "
            f"{fan['three_at_once_ms_median']:.1f} ms, hub over that {fan['ratio_to_three_at_once_median']:.3f}"
        )
        if args.with_places:
            print(
                f"the page showing places: hub {fan['placed_hub_ms_median']:.1f} ms, ratio median "
                f"{fan['placed_ratio_median']:.3f} p95 {fan['placed_ratio_p95']:.3f} (goal <= 1.15); over the page "
                f"without places, the same round: {fan['placed_over_narrow_median']:.3f}"
            )
        syncs: dict[str, Any] = {} if args.fan_out_only else sync_rates(args, folder)
    path = write_results(
        "federation",
        {
            "command": command("bench.federation", argv),
            "machine": machine(["strawberry-graphql", "sqlalchemy", "httpx", "uvicorn"]),
            "fan_out": fan,
            "sync": syncs,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
