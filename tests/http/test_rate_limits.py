"""Rate limits per IP and per client on /graphql, in memory and shared through Redis; the depth limit over real HTTP.

Redis is the machine's, at 127.0.0.1:6379 (TRACKCHILD_TEST_REDIS_URL overrides); each test counts under a key prefix of
its own, so parallel runs never share counts.
"""

from __future__ import annotations

import logging
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace

import httpx
import pytest
import redis

from tests.factories import hub_client
from tests.live_server import refusing_port, serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import RateLimits, Settings, SettingsError

REDIS_URL = os.environ.get("TRACKCHILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TYPENAME = {"query": "{ __typename }"}
# Rate limits do not touch the database: one backend is enough.
sqlite_only = pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)


@pytest.fixture
def prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    name = f"trackchild-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{name}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def limited(store: Services, per_ip: str | None, per_client: str | None, prefix: str = "trackchild") -> Settings:
    return replace(store.settings, rate_limits=RateLimits(per_ip=per_ip, per_client=per_client, key_prefix=prefix))


def bearer(store: Services, client_id: str) -> dict[str, str]:
    issuer = dev_issuer(store.settings)
    return {"Authorization": f"Bearer {issuer.issue(issuer.clients[client_id])}"}


def assert_rate_limited(response: httpx.Response, window_s: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= window_s
    body = response.json()
    assert set(body) == {"errors"}  # GraphQL-shaped, nothing ran
    [error] = body["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED"}
    assert "too many requests" in error["message"]


@sqlite_only
async def test_per_ip_limit_refuses_with_retry_after(store: Services) -> None:
    async with hub_client(limited(store, "5/minute", None)) as client:
        statuses = [(await client.post("/graphql", json=TYPENAME)).status_code for _ in range(5)]
        assert statuses == [200] * 5
        assert_rate_limited(await client.post("/graphql", json=TYPENAME), 60)
        assert_rate_limited(await client.get("/graphql", params=TYPENAME), 60)
        # A token does not lift the IP's limit: it is checked before the token is.
        assert_rate_limited(await client.post("/graphql", json=TYPENAME, headers=bearer(store, "demo-police")), 60)
        for path in ("/healthz", "/readyz", "/metrics"):  # only /graphql is limited
            assert [(await client.get(path)).status_code for _ in range(10)] == [200] * 10


@sqlite_only
async def test_per_client_limit_counts_each_client_apart(store: Services) -> None:
    police, ngo = bearer(store, "demo-police"), bearer(store, "demo-ngo")
    async with hub_client(limited(store, None, "3/minute")) as client:
        statuses = [(await client.post("/graphql", json=TYPENAME, headers=police)).status_code for _ in range(3)]
        assert statuses == [200] * 3
        assert_rate_limited(await client.post("/graphql", json=TYPENAME, headers=police), 60)
        assert (await client.post("/graphql", json=TYPENAME, headers=ngo)).status_code == 200
        anonymous = [(await client.post("/graphql", json=TYPENAME)).status_code for _ in range(5)]
        assert anonymous == [200] * 5  # no client: the per-IP limit (off here) is the one that applies
        refused_token = {"Authorization": "Bearer not-a-token"}
        assert (await client.post("/graphql", json=TYPENAME, headers=refused_token)).status_code == 401


@sqlite_only
async def test_both_limits_apply_together(store: Services) -> None:
    police = bearer(store, "demo-police")
    async with hub_client(limited(store, "4/minute", "2/minute")) as client:
        statuses = [(await client.post("/graphql", json=TYPENAME, headers=police)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # the client's 2, though the IP has room
        statuses = [(await client.post("/graphql", json=TYPENAME)).status_code for _ in range(3)]
        assert statuses == [200, 429, 429]  # the IP's 4 (the refused third request above counted for the IP)


@sqlite_only
def test_two_hubs_sharing_redis_hold_one_combined_limit(store: Services, prefix: str) -> None:
    shared = replace(limited(store, "6/minute", None, prefix), redis_url=REDIS_URL)
    statuses = alternate(shared, shared, requests=12)
    assert statuses.count(200) == 6, statuses
    assert statuses[6:] == [429] * 6
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert list(client.scan_iter(f"{prefix}:*")), "the counts were not kept in Redis"
    finally:
        client.close()


@sqlite_only
def test_two_hubs_without_redis_count_apart(store: Services) -> None:
    """The control for the test above: in memory each process has its own allowance."""
    alone = limited(store, "6/minute", None)
    assert alternate(alone, alone, requests=12) == [200] * 12


def alternate(first: Settings, second: Settings, requests: int) -> list[int]:
    """Serve two separate hubs over real HTTP and send ``requests`` requests to them in turn."""
    with serving(create_app(first)) as one, serving(create_app(second)) as two:
        return [
            httpx.post(f"{(one, two)[i % 2]}/graphql", json=TYPENAME, timeout=10).status_code for i in range(requests)
        ]


@sqlite_only
async def test_redis_down_serves_and_warns_once(store: Services, caplog: pytest.LogCaptureFixture) -> None:
    with refusing_port() as port, caplog.at_level(logging.WARNING, logger="trackchild_hub.rate_limit"):
        settings = replace(limited(store, "1/minute", "1/minute"), redis_url=f"redis://127.0.0.1:{port}/0")
        async with hub_client(settings) as client:
            statuses = [(await client.post("/graphql", json=TYPENAME)).status_code for _ in range(4)]
    assert statuses == [200] * 4  # fail open: a Redis outage must not become a hub outage
    warnings = [r.getMessage() for r in caplog.records if r.name == "trackchild_hub.rate_limit"]
    assert len(warnings) == 1, warnings
    assert "rate limits not enforced" in warnings[0]


def nested(depth: int) -> str:
    names = ["cases" if level % 2 else "child" for level in range(depth - 1)]
    opening = names[0] + '(id: "1") { ' + "".join(f"{name} {{ " for name in names[1:])
    return "{ " + opening + "id" + " }" * (depth - 1) + " }"


@sqlite_only
def test_depth_30_is_refused_fast_and_healthz_stays_fast(store: Services) -> None:
    """The attack that ran 31 s and stalled /healthz for 24.5 s: medians of repeated samples over real HTTP. The
    bounds are the bug's scale (seconds), not this machine's speed: CI shares its cores, and a 50 ms bound once failed
    at 50.4 ms while other tests ran beside it."""
    attack = {"query": nested(30)}
    with serving(create_app(store.settings)) as base, httpx.Client(base_url=base, timeout=10) as client:
        client.get("/healthz")  # connection and first-request costs out of the samples
        quiet = statistics.median(_timed(lambda: client.get("/healthz")) for _ in range(9))
        refusals: list[float] = []
        for _ in range(9):
            started = time.perf_counter()
            response = client.post("/graphql", json=attack)
            refusals.append(time.perf_counter() - started)
            assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        stop = threading.Event()

        def attacker() -> None:
            with httpx.Client(base_url=base, timeout=10) as own:
                while not stop.is_set():
                    own.post("/graphql", json=attack)

        thread = threading.Thread(target=attacker)
        thread.start()
        try:
            health: list[float] = []
            for _ in range(15):
                started = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                health.append(time.perf_counter() - started)
        finally:
            stop.set()
            thread.join(timeout=30)
    print(
        f"depth-30 refusal median {statistics.median(refusals) * 1000:.1f} ms, "
        f"/healthz median {quiet * 1000:.1f} ms quiet, {statistics.median(health) * 1000:.1f} ms under attack"
    )
    assert statistics.median(refusals) < 1.0  # the bug: 31 s
    assert statistics.median(health) < quiet + 0.5  # the bug: 24.5 s more


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def test_settings_read_rate_limits() -> None:
    settings = Settings.from_env(
        {
            "TRACKCHILD_RATE_LIMIT_PER_IP": "100/second;2000/minute",
            "TRACKCHILD_RATE_LIMIT_PER_CLIENT": "off",
            "TRACKCHILD_RATE_LIMIT_PREFIX": "hub-a",
        }
    )
    assert settings.rate_limits == RateLimits(per_ip="100/second;2000/minute", per_client=None, key_prefix="hub-a")
    assert Settings.from_env({}).rate_limits == RateLimits()


@pytest.mark.parametrize(
    ("name", "value"),
    [("RATE_LIMIT_PER_IP", "lots"), ("RATE_LIMIT_PER_CLIENT", "0/minute"), ("RATE_LIMIT_PREFIX", "a b")],
)
def test_settings_refuse_an_unusable_rate(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"TRACKCHILD_{name}"):
        Settings.from_env({f"TRACKCHILD_{name}": value})
