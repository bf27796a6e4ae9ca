"""``caseStatus`` over HTTP: limited per IP (RATE_LIMITED, with when to retry), and per reference from every IP together
(the reference is then locked: every answer for it is a wrong pair's bytes, the right code's too, and a reference
that does not exist locks alike). In memory, and shared by two hub processes through Redis.

Redis is the machine's, at 127.0.0.1:6379 (TRACKCHILD_TEST_REDIS_URL overrides), under a key prefix of the test's own.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
import redis

from tests.factories import PUBLIC, data, run, seed_catalogue
from tests.live_server import refusing_port
from tests.schema.test_citizen_reports import SIGHTING, STATUS, sighting_input
from trackchild_hub.app import create_app
from trackchild_hub.services.unit import Services
from trackchild_hub.settings import RateLimits, Settings, SettingsError

REDIS_URL = os.environ.get("TRACKCHILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNKNOWN = b'{"data":{"caseStatus":{"status":"UNKNOWN","contact":{"name":"CHILDLINE","phones":["1098"]}}}}'
Clients = Callable[[str], httpx.AsyncClient]  # an IP address -> a client calling from it


@asynccontextmanager
async def hub(store: Services, limits: RateLimits, redis_url: str | None = None) -> AsyncIterator[Clients]:
    """One hub process (one app, one limiter); clients calling it from the IP addresses asked for."""
    app = create_app(replace(store.settings, rate_limits=limits, redis_url=redis_url))
    opened: list[httpx.AsyncClient] = []

    def client(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        opened.append(httpx.AsyncClient(transport=transport, base_url="http://hub.test"))
        return opened[-1]

    try:
        yield client
    finally:
        for each in opened:
            await each.aclose()
        await app.state.shutdown()


async def status(client: httpx.AsyncClient, reference: str, code: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": STATUS, "variables": {"r": reference, "c": code}})


async def receipt(store: Services, phone: str = "98300 12345") -> dict[str, Any]:
    answer = data(await run(store, SIGHTING, {"input": sighting_input(contactPhone=phone)}, PUBLIC))
    result: dict[str, Any] = answer["reportSighting"]
    return result


async def test_an_ip_past_its_status_allowance_is_rate_limited_and_told_when_to_retry(store: Services) -> None:
    await seed_catalogue(store)
    mine = await receipt(store)
    async with hub(store, RateLimits(case_status_per_ip="3/minute", case_status_per_reference=None)) as clients:
        one, other = clients("203.0.113.7"), clients("203.0.113.8")
        answers = [(await status(one, mine["reference"], mine["statusCode"])).json() for _ in range(4)]
        from_other_ip = (await status(other, mine["reference"], mine["statusCode"])).json()
        # Submitting is not caseStatus: the IP's status allowance does not hold its reports back.
        body = {"query": SIGHTING, "variables": {"input": sighting_input(contactPhone="98300 77777")}}
        submitted = (await one.post("/graphql", json=body)).json()
    assert [a["data"]["caseStatus"]["status"] for a in answers[:3]] == ["RECEIVED"] * 3
    assert answers[3]["data"] is None
    [error] = answers[3]["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < error["extensions"]["retryAfterSeconds"] <= 60
    assert "retry in" in error["message"]
    assert from_other_ip["data"]["caseStatus"]["status"] == "RECEIVED"
    assert submitted["data"]["reportSighting"]["reference"].startswith("CR-")


async def test_many_wrong_codes_from_many_ips_lock_a_reference_as_a_wrong_pair_answers(store: Services) -> None:
    await seed_catalogue(store)
    mine, theirs = await receipt(store), await receipt(store, phone="98300 99999")
    absent = "CR-" + "0" * 10
    limits = RateLimits(case_status_per_ip=None, case_status_per_reference="5/minute")
    bodies: set[bytes] = set()
    async with hub(store, limits) as clients:
        for n in range(5):  # five IPs, one wrong code each, for a reference that exists and for one that does not
            ip = clients(f"198.51.100.{n + 1}")
            for reference in (mine["reference"], absent):
                bodies.add((await status(ip, reference, f"WRONG{n}")).content)
        # Locked now: the right code, from an IP never seen, answers as a wrong pair does.
        fresh = clients("198.51.100.200")
        right_but_locked = await status(fresh, mine["reference"], mine["statusCode"])
        bodies.add(right_but_locked.content)
        bodies.add((await status(fresh, absent, "WRONG9")).content)
        # Typed differently (lower case, spaces): the same reference, the same lock.
        spaced = " ".join(mine["reference"].lower())
        bodies.add((await status(fresh, spaced, mine["statusCode"])).content)
        # Another reference is not held by this one's lock.
        other = (await status(fresh, theirs["reference"], theirs["statusCode"])).json()
    assert bodies == {UNKNOWN}
    assert right_but_locked.status_code == 200
    assert other["data"]["caseStatus"]["status"] == "RECEIVED"


async def test_a_locked_reference_opens_again_when_its_window_moves_on(store: Services) -> None:
    await seed_catalogue(store)
    mine = await receipt(store)
    limits = RateLimits(case_status_per_ip=None, case_status_per_reference="2/2 seconds")
    async with hub(store, limits) as clients:
        client = clients("198.51.100.1")
        for _ in range(2):
            assert (await status(client, mine["reference"], "WRONG")).content == UNKNOWN
        assert (await status(client, mine["reference"], mine["statusCode"])).content == UNKNOWN  # locked
        await asyncio.sleep(2.2)  # the window's length, not a threshold: the lock is over by then
        reopened = (await status(client, mine["reference"], mine["statusCode"])).json()
    assert reopened["data"]["caseStatus"]["status"] == "RECEIVED"


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"trackchild-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(f"{name}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)  # the counts are Redis's: one backend is enough
async def test_two_hub_processes_share_the_ip_allowance_and_the_lock_through_redis(
    store: Services, prefix: str
) -> None:
    await seed_catalogue(store)
    mine = await receipt(store)
    limits = RateLimits(case_status_per_ip="4/minute", case_status_per_reference="3/minute", key_prefix=prefix)
    async with hub(store, limits, REDIS_URL) as first, hub(store, limits, REDIS_URL) as second:
        for n in range(3):  # three wrong codes through the first hub, each from an IP of its own
            assert (await status(first(f"192.0.2.{n + 1}"), mine["reference"], "WRONG")).content == UNKNOWN
        locked = await status(second("192.0.2.50"), mine["reference"], mine["statusCode"])
        # One IP: two calls through each hub; its fifth, through either, is over the shared 4/minute.
        ip = "192.0.2.99"
        calls = [await status(hub_of(ip), "CR-" + "1" * 10, "X") for hub_of in (first, second, first, second)]
        fifth = (await status(second(ip), "CR-" + "1" * 10, "X")).json()
    assert locked.content == UNKNOWN
    assert [c.content for c in calls] == [UNKNOWN] * 4
    assert fifth["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    with redis.Redis.from_url(REDIS_URL) as client:
        keys = client.keys(f"{prefix}:*")
    assert keys
    assert not any(mine["reference"].encode() in k for k in keys)  # the lock's key is a hash, not the reference


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
async def test_with_redis_down_status_is_still_answered(store: Services) -> None:
    """Fail open, as the other limits: a Redis outage must not lock every family out of their status."""
    await seed_catalogue(store)
    mine = await receipt(store)
    limits = RateLimits(case_status_per_ip="1/minute", case_status_per_reference="1/minute")
    with refusing_port() as port:
        async with hub(store, limits, f"redis://127.0.0.1:{port}/0") as clients:
            client = clients("198.51.100.1")
            answers = [(await status(client, mine["reference"], mine["statusCode"])).json() for _ in range(3)]
    assert [a["data"]["caseStatus"]["status"] for a in answers] == ["RECEIVED"] * 3


def test_the_settings_read_both_allowances_from_the_environment() -> None:
    assert Settings.from_env({}).rate_limits.case_status_per_ip == "30/minute;300/hour"
    assert Settings.from_env({}).rate_limits.case_status_per_reference == "20/hour;50/day"
    limits = Settings.from_env(
        {"TRACKCHILD_RATE_LIMIT_CASE_STATUS": "5/minute", "TRACKCHILD_RATE_LIMIT_CASE_STATUS_REFERENCE": "off"}
    ).rate_limits
    assert (limits.case_status_per_ip, limits.case_status_per_reference) == ("5/minute", None)
    with pytest.raises(SettingsError, match="TRACKCHILD_RATE_LIMIT_CASE_STATUS_REFERENCE"):
        Settings.from_env({"TRACKCHILD_RATE_LIMIT_CASE_STATUS_REFERENCE": "often"})
