"""The hub with a real external OpenID provider (oidc-provider on Node): discovery, JWKS, rotation, rejections."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from tests.factories import hub_client
from tests.oidc.harness import OidcProvider
from trackchild_hub.resolvers.context import Services

ME = "{ me { subject agency scopes state district } }"


# On-demand JWKS refetches at most once per RETRY_S (default 10 s), so the rotation test waits a fraction of a second.
RETRY_S = 0.2


@pytest.fixture
async def hub(store: Services, oidc_provider: OidcProvider) -> AsyncIterator[httpx.AsyncClient]:
    settings = replace(
        store.settings, oidc_issuer=oidc_provider.issuer, audience=oidc_provider.audience, jwks_retry_s=RETRY_S
    )
    async with hub_client(settings) as client:
        yield client


async def _me(hub: httpx.AsyncClient, token: str) -> httpx.Response:
    return await hub.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})


async def test_accepts_the_providers_tokens(hub: httpx.AsyncClient, oidc_provider: OidcProvider) -> None:
    token = await asyncio.to_thread(oidc_provider.token, "ext-cwc")
    response = await _me(hub, token)
    assert response.status_code == 200, response.text
    me = response.json()["data"]["me"]
    assert (me["subject"], me["agency"], me["state"], me["district"]) == ("ext-cwc", "cwc", "19", "313")
    assert "child:sensitive" in me["scopes"]
    national = (await _me(hub, await asyncio.to_thread(oidc_provider.token, "ext-cpsu"))).json()["data"]["me"]
    assert national["state"] is None


async def test_the_embedded_issuer_is_off(hub: httpx.AsyncClient) -> None:
    assert (await hub.get("/.well-known/jwks.json")).status_code == 404
    assert (await hub.post("/oauth/token", data={"grant_type": "client_credentials"})).status_code in (404, 405)


async def test_rejects_expired_foreign_tampered_and_unsigned(
    hub: httpx.AsyncClient, oidc_provider: OidcProvider
) -> None:
    bad = {
        "expired": oidc_provider.expired_token(),
        "wrong audience": oidc_provider.wrong_audience_token(),
        "bad signature": oidc_provider.rogue_token(),
        "alg none": oidc_provider.unsigned_token(),
    }
    for name, token in bad.items():
        response = await _me(hub, token)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"].startswith("Bearer"), name


async def test_follows_key_rotation(hub: httpx.AsyncClient, oidc_provider: OidcProvider) -> None:
    with oidc_provider.keys_restored():  # the session's provider: later tests see the keys of before
        before = await asyncio.to_thread(oidc_provider.token, "ext-police")
        assert (await _me(hub, before)).status_code == 200  # keys fetched and cached now
        await asyncio.to_thread(oidc_provider.rotate, keep_old=True)
        after = await asyncio.to_thread(oidc_provider.token, "ext-police")
        await asyncio.sleep(RETRY_S * 1.5)  # asyncio sleeps at least this long: past the hub's refetch throttle
        assert (await _me(hub, after)).status_code == 200
        assert (await _me(hub, before)).status_code == 200  # the old key is still published
