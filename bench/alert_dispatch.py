"""Alert deliveries per second: the dispatcher (claim under a lease, send, record) against a local HTTP SMS sink,
and as the baseline the same POSTs sent straight to the sink, as many in flight as a dispatcher batch. SQLite and
PostgreSQL, rounds interleaved (raw, sqlite, postgresql, raw, ...): compare the ratios, not the absolute numbers.

    .venv/bin/python -m bench.alert_dispatch                       # 3 rounds x 2000 alerts per target
    .venv/bin/python -m bench.alert_dispatch --alerts 500 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import delete, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench._common import command, machine, write_results
from bench._server import ServerThread
from trackchild_hub.app import build_services
from trackchild_hub.domain.alerts import Alert, AlertRule, Channel
from trackchild_hub.gateways.build import gateways
from trackchild_hub.services.alerts import columns
from trackchild_hub.services.dispatch import BATCH, Dispatcher
from trackchild_hub.services.unit import Services
from trackchild_hub.settings import Alerting, Settings
from trackchild_hub.store import outbox
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import OutboxRow

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SCHEMA = "bench_alert_dispatch"
TEXT = "TrackChild: एक बच्चा लापता है, मामला WB-2026-000042। https://hub.example/cases/WB-2026-000042"


def sink_app(seen: set[str]) -> Starlette:
    """The SMS sink: accepts every POST, noting its idempotency key in ``seen``."""

    async def sms(request: Request) -> JSONResponse:
        key = request.headers["Idempotency-Key"]
        orjson.loads(await request.body())
        duplicate = key in seen
        seen.add(key)
        return JSONResponse({"accepted": True, "duplicate": duplicate})

    return Starlette(routes=[Route("/sms", sms, methods=["POST"])])


async def prepared(backend: str, folder: Path) -> Services:
    if backend == "postgresql":
        engine = create_engine(POSTGRES_URL)
        async with engine.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            await conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        await engine.dispose()
        settings = Settings(database_url=POSTGRES_URL, database_schema=SCHEMA, data_dir=folder / "pg")
    else:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}", data_dir=folder / "sqlite")
    services = build_services(settings)
    await upgrade(services.engine, services.geography)
    return services


async def dispatch_round(services: Services, url: str, http: httpx.AsyncClient, n: int, round_no: int) -> float:
    made = [
        Alert(
            AlertRule.NEW_MISSING_CASE,
            f"r{round_no}c{i}",
            f"WB-{round_no}-{i}",
            Channel.SMS,
            f"+9198{i:08d}",
            "hi",
            "s",
            TEXT,
        )
        for i in range(n)
    ]
    async with services.sessions() as session, session.begin():
        await session.execute(delete(OutboxRow))
        await outbox.enqueue(session, [columns(a) for a in made])
    alerting = Alerting(sms_url=url)
    dispatcher = Dispatcher(services.sessions, alerting, gateways(alerting, http))
    started = time.perf_counter()
    delivered = await dispatcher.drain()
    elapsed = time.perf_counter() - started
    assert delivered == n, delivered
    return n / elapsed


async def raw_round(url: str, http: httpx.AsyncClient, n: int, round_no: int) -> float:
    body = orjson.dumps({"to": "+919800000000", "text": TEXT, "unicode": True, "reference": "x"})

    async def one(i: int) -> None:
        response = await http.post(url, content=body, headers={"Idempotency-Key": f"raw{round_no}-{i}"})
        response.raise_for_status()

    started = time.perf_counter()
    for first in range(0, n, BATCH):  # a dispatcher batch's worth in flight, as the dispatcher sends them
        await asyncio.gather(*(one(i) for i in range(first, min(n, first + BATCH))))
    return n / (time.perf_counter() - started)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    with ServerThread(sink_app(set()), "sms-sink") as sink:
        return await _rounds(args, f"{sink.url}/sms")


async def _rounds(args: argparse.Namespace, url: str) -> dict[str, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    stores = {b: await prepared(b, folder) for b in backends}
    rounds: dict[str, list[float]] = {"raw": [], **{b: [] for b in backends}}
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for round_no in range(args.rounds):
                rounds["raw"].append(await raw_round(url, http, args.alerts, round_no))
                for backend in backends:
                    rounds[backend].append(await dispatch_round(stores[backend], url, http, args.alerts, round_no))
    finally:
        for services in stores.values():
            await services.engine.dispose()
    return rounds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.alert_dispatch", description=__doc__)
    parser.add_argument("--alerts", type=int, default=2000, help="alerts per round and target")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    rounds = asyncio.run(main_async(args))
    raw = statistics.median(rounds["raw"])
    print(f"{'target':<12}{'median/s':>10}{'vs raw':>8}   rounds")
    for target, values in rounds.items():
        median = statistics.median(values)
        shown = " ".join(f"{v:.0f}" for v in values)
        print(f"{target:<12}{median:>10.0f}{median / raw:>8.2f}   {shown}")
    path = write_results(
        "alert_dispatch",
        {
            "command": command("bench.alert_dispatch", argv),
            "machine": machine(["sqlalchemy", "httpx"]),
            "alerts": args.alerts,
            "batch": BATCH,
            "rounds": rounds,
        },
    )
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
