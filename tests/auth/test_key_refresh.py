"""JWKS refresh against the real oidc-provider: a withdrawn key stops working within the refresh interval, a kid
reused with new material works after one failed verification, and neither a crowd nor a flood hammers the issuer.

The provider is this module's own (rotations and hit counts must not leak into other tests); the hub runs without a
database, since `me` reads none.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.factories import hub_client
from tests.oidc.harness import OidcProvider, running_provider
from trackchild_hub.settings import Settings

ME = "{ me { subject } }"


@pytest.fixture(scope="module")
def shared_provider() -> Iterator[OidcProvider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def provider(shared_provider: OidcProvider) -> Iterator[OidcProvider]:
    """The module's provider, with the keys of before put back after each test (two of them rotate)."""
    with shared_provider.keys_restored():
        yield shared_provider


@asynccontextmanager
async def _hub(
    provider: OidcProvider, folder: Path, *, min_s: float = 30, max_s: float = 300, retry_s: float = 10
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}",
        data_dir=folder,
        oidc_issuer=provider.issuer,
        audience=provider.audience,
        jwks_refresh_min_s=min_s,
        jwks_refresh_max_s=max_s,
        jwks_retry_s=retry_s,
    )
    async with hub_client(settings) as client:
        yield client


async def _status(hub: httpx.AsyncClient, token: str) -> int:
    response = await hub.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def _call(provider: OidcProvider, method: str, path: str, **body: object) -> dict[str, object]:
    response = httpx.request(method, f"{provider.issuer}{path}", json=body if method == "POST" else None, timeout=10)
    response.raise_for_status()
    result: dict[str, object] = response.json()
    return result


async def _hits(provider: OidcProvider) -> int:
    return int(str((await asyncio.to_thread(_call, provider, "GET", "/_test/jwks-hits"))["hits"]))


def _unknown_kid_token(provider: OidcProvider) -> str:
    """Well-formed, right issuer and audience, signed by a key the provider never had, under a kid it never used."""
    key = RSAKey.generate_key(2048, parameters={"kid": f"nobody-{secrets.token_hex(4)}"})
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": provider.audience, "sub": "x", "iat": now, "exp": now + 300}
    return jwt.encode({"alg": "RS256", "kid": str(key.kid)}, claims, key)


async def test_a_withdrawn_key_is_refused_within_the_cache_control_max_age(
    provider: OidcProvider, tmp_path: Path
) -> None:
    await asyncio.to_thread(_call, provider, "POST", "/_test/jwks-cache", cache_control="public, max-age=1")
    try:
        # The hub's upper bound is 60 s and on-demand refetches are throttled to one a minute: only the issuer's
        # max-age of 1 s can make the hub notice the rotation within seconds.
        async with _hub(provider, tmp_path, min_s=0.1, max_s=60, retry_s=60) as hub:
            old = await asyncio.to_thread(provider.token, "ext-police")
            assert await _status(hub, old) == 200
            hits = await _hits(provider)
            await asyncio.to_thread(provider.rotate, keep_old=False)
            withdrawn_at = time.monotonic()
            statuses = []
            while time.monotonic() - withdrawn_at < 10:
                statuses.append(await _status(hub, old))
                if statuses[-1] == 401:
                    break
                await asyncio.sleep(0.05)
            refused_after = time.monotonic() - withdrawn_at
            assert statuses[-1] == 401, f"the withdrawn key still verified after {refused_after:.1f} s"
            assert refused_after < 1 + 3  # max-age plus a generous margin for a loaded machine
            new = await asyncio.to_thread(provider.token, "ext-police")
            assert await _status(hub, new) == 200
            # Polling every 50 ms for about a second cost the issuer about one fetch, not one per request.
            assert len(statuses) > 3
            assert await _hits(provider) - hits <= 3
    finally:
        await asyncio.to_thread(_call, provider, "POST", "/_test/jwks-cache", cache_control=None)


async def test_a_reused_kid_with_new_material_is_accepted_after_a_failed_verification(
    provider: OidcProvider, tmp_path: Path
) -> None:
    # No scheduled refresh for five minutes: only the failed signature can make the hub look again.
    async with _hub(provider, tmp_path, min_s=300, max_s=300, retry_s=0.2) as hub:
        before = await asyncio.to_thread(provider.token, "ext-police")
        assert await _status(hub, before) == 200
        kid = await asyncio.to_thread(provider.current_kid)
        await asyncio.sleep(0.3)  # past the on-demand throttle
        await asyncio.to_thread(_call, provider, "POST", "/_test/rotate", reuse_kid=True, keep_old=False)
        assert await asyncio.to_thread(provider.current_kid) == kid
        after = await asyncio.to_thread(provider.token, "ext-police")
        hits = await _hits(provider)
        assert await _status(hub, after) == 200
        assert await _hits(provider) == hits + 1
        assert await _status(hub, before) == 401  # the old material under that kid is gone with it


async def test_concurrent_first_requests_share_one_fetch(provider: OidcProvider, tmp_path: Path) -> None:
    token = await asyncio.to_thread(provider.token, "ext-cwc")
    hits = await _hits(provider)
    async with _hub(provider, tmp_path) as hub:
        statuses = await asyncio.gather(*(_status(hub, token) for _ in range(20)))
    assert statuses == [200] * 20
    assert await _hits(provider) == hits + 1


async def test_a_flood_of_bad_tokens_costs_the_issuer_at_most_a_fetch_per_retry_interval(
    provider: OidcProvider, tmp_path: Path
) -> None:
    async with _hub(provider, tmp_path, retry_s=1.0) as hub:
        assert await _status(hub, await asyncio.to_thread(provider.token, "ext-police")) == 200
        rogue = await asyncio.to_thread(provider.rogue_token)  # the current kid, a key never published
        unknown = [await asyncio.to_thread(_unknown_kid_token, provider) for _ in range(5)]
        await asyncio.sleep(1.05)  # past the throttle: the flood may cause one fetch
        hits = await _hits(provider)
        statuses = await asyncio.gather(*(_status(hub, t) for t in [rogue] * 60 + unknown * 12))
        assert statuses == [401] * 120
        assert 1 <= await _hits(provider) - hits <= 2  # 120 bad tokens; 2 only if the flood outlasted the second
