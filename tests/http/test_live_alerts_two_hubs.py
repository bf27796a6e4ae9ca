"""Two ``trackchild-hub serve`` processes sharing one SQLite file and the machine's Redis (127.0.0.1:6379): a case
reported through hub A reaches a console subscribed on hub B (Redis pub/sub), and the public writes' rate limit is
one allowance across both (Redis counts); a one-shot command's alerts (``alerts run``) reach B's consoles too.
Done-when of issue 13: "two hub processes share alerts and rate limits".

Each run uses a live alerts channel and a rate-limit key prefix of its own, so parallel runs never see each other.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import redis

from tests.factories import HOWRAH, WB
from tests.http.live_console import console
from tests.http.test_live_alerts import HOWRAH_PLACE, report
from tests.http.test_serve_port import STARTUP_SECONDS, cli, hub_env
from tests.live_server import demo_police_token, free_port, stop, wait_until_healthy
from tests.schema.test_citizen_reports import SIGHTING, sighting_input
from tests.services.test_alerts import seed_contacts
from trackchild_hub.app import build_services, dev_issuer
from trackchild_hub.domain.reference import IST
from trackchild_hub.settings import Settings

REDIS_URL = os.environ.get("TRACKCHILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PUBLIC_WRITES = 4  # per IP per minute, for both hubs together
# The subscribe message has no acknowledgement in graphql-transport-ws: time for hub B to register the console.
SUBSCRIBED_S = 0.5


@contextmanager
def hub(env: dict[str, str], cwd: Path, port: int, name: str) -> Iterator[str]:
    base = f"http://127.0.0.1:{port}"
    log = cwd / f"{name}.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, base, log, STARTUP_SECONDS)
            yield base
        finally:
            stop(process)


@pytest.fixture
def shared_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    run = uuid.uuid4().hex[:12]
    port_a = free_port()
    env = {
        **hub_env(tmp_path),
        "TRACKCHILD_REDIS_URL": REDIS_URL,
        "TRACKCHILD_LIVE_ALERTS_CHANNEL": f"trackchild-test-{run}:alerts",
        "TRACKCHILD_RATE_LIMIT_PREFIX": f"trackchild-test-{run}",
        "TRACKCHILD_RATE_LIMIT_PUBLIC_WRITES": f"{PUBLIC_WRITES}/minute",
        # One issuer for both (the data folder's key; tokens name A as their issuer), so a token works on either.
        "TRACKCHILD_PUBLIC_URL": f"http://127.0.0.1:{port_a}",
        "PORT_A": str(port_a),
    }
    yield env
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"trackchild-test-{run}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


async def _seed(env: dict[str, str]) -> None:
    services = build_services(Settings.from_env(env))
    try:
        await seed_contacts(services)
    finally:
        await services.engine.dispose()


def sighting(base: str, n: int) -> dict[str, object]:
    body = {"query": SIGHTING, "variables": {"input": sighting_input(contactPhone=f"98300{n:05d}")}}
    answer: dict[str, object] = httpx.post(f"{base}/graphql", json=body, timeout=30).json()
    return answer


@pytest.mark.slow
async def test_two_hubs_share_live_alerts_and_the_public_write_limit(
    tmp_path: Path, shared_env: dict[str, str]
) -> None:
    upgraded = cli("db", "upgrade", env=shared_env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    await _seed(shared_env)
    with ExitStack() as hubs:
        a = hubs.enter_context(hub(shared_env, tmp_path, int(shared_env["PORT_A"]), "a"))
        b = hubs.enter_context(hub(shared_env, tmp_path, free_port(), "b"))
        police = demo_police_token(f"{a}/oauth/token")  # national police: Howrah is within
        issuer = dev_issuer(Settings.from_env(shared_env))
        howrah = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH)

        # A case reported through A reaches a console on B.
        async with console(b, howrah) as on_b:
            await on_b.subscribe()
            await asyncio.sleep(SUBSCRIBED_S)
            sent = time.monotonic()
            reference, _ = await report(a, police, HOWRAH_PLACE, "Rahul Kumar")
            alert = await on_b.alert(seconds=5)
            latency = time.monotonic() - sent
            print(f"\nreported through A, alerted on B {latency * 1000:.0f} ms after the mutation was sent")
            assert (alert["rule"], alert["reference"], alert["district"]) == ("NEW_MISSING_CASE", reference, HOWRAH)
            # Generous (a 2-core machine shared by parallel runs): 120-450 ms seen; the 1 s of issue 13 is asserted for
            # one hub in tests/http/test_live_alerts.py.
            assert latency < 3.0, latency
            await on_b.nothing_within(0.3)  # once: A's own subscribers got it locally, B's through Redis only

        # The public writes' allowance is one for both hubs: split across A and B, then refused on either.
        answers = [sighting(a if n % 2 else b, n) for n in range(PUBLIC_WRITES)]
        assert [("errors" in x) for x in answers] == [False] * PUBLIC_WRITES, answers
        for base, n in ((a, PUBLIC_WRITES), (b, PUBLIC_WRITES + 1)):
            refused = sighting(base, n)
            assert refused["data"] is None, refused
            [error] = refused["errors"]  # type: ignore[misc]
            assert error["extensions"]["code"] == "RATE_LIMITED"
            assert 0 < error["extensions"]["retryAfterSeconds"] <= 60

        # A one-shot command is a process too: tomorrow morning's digest, made by `alerts run`, reaches a national
        # console on B (a digest names a district, not a case: national consoles only, for now).
        tomorrow = datetime.now(IST).date() + timedelta(days=1)
        async with console(b, issuer.issue(issuer.clients["demo-cpsu"]), skip=frozenset()) as national:
            await national.subscribe()
            await asyncio.sleep(SUBSCRIBED_S)
            ran = await asyncio.to_thread(
                cli, "alerts", "run", "--now", f"{tomorrow.isoformat()}T09:00:00+05:30", env=shared_env, cwd=tmp_path
            )
            assert ran.returncode == 0, ran.stderr
            today = (tomorrow - timedelta(days=1)).isoformat()
            async with asyncio.timeout(10):
                while True:
                    alert = await national.alert(seconds=10)
                    if alert["rule"] == "DISTRICT_DIGEST" and today in alert["reference"]:
                        break
