"""The OIDC key source's refresh policy on a fake clock and a fake issuer: Cache-Control bounds, throttling,
coalescing, and what happens while the issuer is unreachable."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from joserfc.jwk import KeySet, RSAKey

from trackchild_hub.auth.oidc import STALE_LIMIT_S, OidcKeys
from trackchild_hub.domain.errors import Unauthenticated

ISSUER = "https://issuer.test"


class FakeIssuer:
    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "k1"})]
        self.cache_control: str | None = None
        self.down = False
        self.jwks_fetches = 0
        self.gate: asyncio.Event | None = None  # when set, JWKS answers wait for it

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            return httpx.Response(503)
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"})
        self.jwks_fetches += 1
        if self.gate is not None:
            await self.gate.wait()
        headers = {"cache-control": self.cache_control} if self.cache_control else {}
        return httpx.Response(200, text=json.dumps(KeySet(self.keys).as_dict(private=False)), headers=headers)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def issuer() -> FakeIssuer:
    return FakeIssuer()


def _keys(issuer: FakeIssuer, clock: Clock, http: httpx.AsyncClient) -> OidcKeys:
    return OidcKeys(ISSUER, http, min_refresh_s=30, max_refresh_s=300, retry_s=10, clock=clock)


@pytest.mark.parametrize(
    ("cache_control", "lifetime"),
    [(None, 300), ("public, max-age=120", 120), ("max-age=5", 30), ("max-age=86400", 300), ("no-store", 30)],
)
async def test_keys_live_as_long_as_cache_control_says_within_bounds(
    issuer: FakeIssuer, cache_control: str | None, lifetime: float
) -> None:
    issuer.cache_control, clock = cache_control, Clock()
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as http:
        keys = _keys(issuer, clock, http)
        assert await keys.key_for("k1") is not None
        clock.now += lifetime - 0.01
        await keys.key_for("k1")
        assert issuer.jwks_fetches == 1
        issuer.keys = [RSAKey.generate_key(2048, parameters={"kid": "k2"})]  # k1 withdrawn
        clock.now += 0.02
        assert await keys.key_for("k1") is None
        assert issuer.jwks_fetches == 2


async def test_unknown_kids_and_bad_signatures_refetch_once_per_retry_interval(issuer: FakeIssuer) -> None:
    clock = Clock()
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as http:
        keys = _keys(issuer, clock, http)
        k1 = await keys.key_for("k1")
        assert k1 is not None
        clock.now += 9
        assert await keys.key_for("nope") is None
        assert await keys.refreshed_key_for("k1", k1) is None
        assert issuer.jwks_fetches == 1  # within 10 s of the last fetch: nothing asked
        clock.now += 1
        issuer.keys = [RSAKey.generate_key(2048, parameters={"kid": "k1"})]  # same kid, new material
        fresh = await keys.refreshed_key_for("k1", k1)
        assert fresh is not None
        assert fresh.thumbprint() != k1.thumbprint()
        assert await keys.refreshed_key_for("k1", fresh) is None  # nothing newer, and throttled again
        assert issuer.jwks_fetches == 2


async def test_concurrent_refreshes_share_one_fetch(issuer: FakeIssuer) -> None:
    issuer.gate = asyncio.Event()
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as http:
        keys = _keys(issuer, Clock(), http)
        waiting = [asyncio.create_task(keys.key_for(kid)) for kid in ("k1", "k1", "nope", None)]
        await asyncio.sleep(0.01)
        waiting[0].cancel()  # one caller gives up: the fetch the others wait for goes on
        issuer.gate.set()
        results = await asyncio.gather(*waiting, return_exceptions=True)
    assert isinstance(results[0], asyncio.CancelledError)
    assert [r is not None for r in results[1:]] == [True, False, True]
    assert issuer.jwks_fetches == 1


async def test_an_unreachable_issuer_keeps_cached_keys_for_a_while_only(issuer: FakeIssuer) -> None:
    clock = Clock()
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as http:
        keys = _keys(issuer, clock, http)
        assert await keys.key_for("k1") is not None
        issuer.down = True
        clock.now += 301
        assert await keys.key_for("k1") is not None  # refresh failed: the cached key still serves
        attempts = keys.fetches
        clock.now += 5
        await keys.key_for("k1")
        assert keys.fetches == attempts  # retried after retry_s, not on every request
        clock.now += STALE_LIMIT_S
        with pytest.raises(Unauthenticated, match="cannot read the issuer's keys"):
            await keys.key_for("k1")
        assert await keys.key_for("k1") is None  # dropped; next try after retry_s


async def test_an_issuer_that_never_answered_refuses(issuer: FakeIssuer) -> None:
    issuer.down = True
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as http:
        with pytest.raises(Unauthenticated, match="cannot read the issuer's keys"):
            await _keys(issuer, Clock(), http).key_for("k1")
