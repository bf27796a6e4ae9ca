"""Upstream client credentials against a real simulator on loopback: tokens reused, renewed, refetched once on 401."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from tests.live_server import refusing_port, serving
from trackchild_hub.connectors.config import ClientCredentialsAuth, ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.port import SearchCriteria
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.connectors.upstream_auth import ClientCredentials
from trackchild_hub.domain.errors import UpstreamUnavailable
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.sandbox.simulator import Faults, create_simulator
from trackchild_hub.sandbox.simulator.auth import TokenIssuer


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextmanager
def simulator(token_ttl_s: float = 60, clock: FrozenClock | None = None) -> Iterator[str]:
    """A simulator on loopback; with ``clock``, its tokens expire on that clock instead of the real one."""
    app = create_simulator(
        "police", "19", records=40, token_url_secret=("hub", "s3cret"), faults=Faults(token_ttl_s=token_ttl_s)
    )
    if clock is not None:
        app.state.simulator.issuer = TokenIssuer("hub", "s3cret", clock=clock)
    with serving(app) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def credentials(url: str, secret: str = "s3cret", **changes: Any) -> ClientCredentialsAuth:
    return ClientCredentialsAuth(token_url=f"{url}/oauth/token", client_id="hub", secret=secret, **changes)


class Connectors:
    """Builds REST connectors with client credentials; closes their token clients when the test ends."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.built: list[RestConnector] = []

    def __call__(
        self, url: str, *, auth: ClientCredentialsAuth | None = None, clock: FrozenClock | None = None
    ) -> RestConnector:
        config = ConnectorConfig(
            id="police-19",
            kind=ConnectorKind.POLICE,
            state="19",
            type=ConnectorType.REST,
            base_url=url,
            timeout_ms=2000,
            retries=0,
            auth=auth or credentials(url),
        )
        assert isinstance(config.auth, ClientCredentialsAuth)
        upstream = ClientCredentials(config.id, config.auth, clock=clock) if clock is not None else None
        self.built.append(RestConnector(config, self.http, load_geography(), auth=upstream))
        return self.built[-1]


@pytest.fixture
async def connector(http: httpx.AsyncClient) -> AsyncIterator[Connectors]:
    factory = Connectors(http)
    yield factory
    for built in factory.built:
        await built.aclose()


async def stats(http: httpx.AsyncClient, url: str) -> dict[str, int]:
    body: dict[str, int] = (await http.get(f"{url}/_sim/stats")).json()
    return body


async def test_one_token_serves_many_calls(http: httpx.AsyncClient, connector: Connectors) -> None:
    # A 10 s token with the default renew_before_s (30) is renewed at half its life, not on every call.
    with simulator(token_ttl_s=10) as url:
        c = connector(url)
        page = await c.changes_since(None, limit=5)
        assert await c.get(page.items[0].external_id or "") is not None
        await c.search(SearchCriteria(name="a"))
        health = await c.health()
        counts = await stats(http, url)
    assert health.ok is True
    assert counts["tokens_issued"] == 1
    assert counts["unauthorized"] == 0


async def test_concurrent_calls_wait_for_one_token(http: httpx.AsyncClient, connector: Connectors) -> None:
    with simulator() as url:
        c = connector(url)
        pages = await asyncio.gather(*(c.changes_since(None, limit=2) for _ in range(8)))
        counts = await stats(http, url)
    assert all(p.items for p in pages)
    assert counts["tokens_issued"] == 1


async def test_an_expired_token_is_renewed_before_the_system_refuses_it(
    http: httpx.AsyncClient, connector: Connectors
) -> None:
    # One clock for the hub and the system, moved past the token's lifetime instead of sleeping through it.
    clock = FrozenClock()
    with simulator(token_ttl_s=10, clock=clock) as url:
        c = connector(url, clock=clock)
        assert (await c.changes_since(None, limit=2)).items
        clock.now += 11
        assert (await c.changes_since(None, limit=2)).items
        counts = await stats(http, url)
    assert counts["tokens_issued"] == 2
    assert counts["unauthorized"] == 0  # renewed ahead of expiry, not after a refusal


@pytest.mark.parametrize(
    ("renew_before_s", "reused_at", "renewed_at"),
    [(30.0, 29.5, 30.5), (5.0, 54.5, 55.5), (0.0, 59.5, 60.5), (100.0, 29.5, 30.5)],  # capped at half of 60 s
)
async def test_renewal_is_renew_before_s_ahead_of_expiry_at_most_half_the_lifetime(
    http: httpx.AsyncClient, connector: Connectors, renew_before_s: float, reused_at: float, renewed_at: float
) -> None:
    clock = FrozenClock()
    with simulator(token_ttl_s=60) as url:
        c = connector(url, auth=credentials(url, renew_before_s=renew_before_s), clock=clock)
        start = clock.now
        await c.changes_since(None, limit=1)
        clock.now = start + reused_at
        await c.changes_since(None, limit=1)
        before = (await stats(http, url))["tokens_issued"]
        clock.now = start + renewed_at
        await c.changes_since(None, limit=1)
        after = (await stats(http, url))["tokens_issued"]
    assert (before, after) == (1, 2)


async def test_a_refused_token_is_replaced_once_and_the_call_sent_again(
    http: httpx.AsyncClient, connector: Connectors
) -> None:
    # The hub's clock stands still, so only the system knows the token expired: it answers 401 once.
    system_clock = FrozenClock()
    with simulator(token_ttl_s=10, clock=system_clock) as url:
        c = connector(url, clock=FrozenClock())
        assert (await c.changes_since(None, limit=2)).items
        system_clock.now += 11
        page = await c.changes_since(None, limit=2)
        counts = await stats(http, url)
    assert page.items
    assert counts["tokens_issued"] == 2
    assert counts["unauthorized"] == 1


async def test_a_persistent_401_costs_exactly_one_refetch(http: httpx.AsyncClient, connector: Connectors) -> None:
    with simulator() as url:
        c = connector(url)
        await c.changes_since(None, limit=1)
        await http.post(f"{url}/_sim/faults", json={"auth_failure": True})
        before = await stats(http, url)
        with pytest.raises(UpstreamUnavailable, match=r"police-19: it refused the hub's credentials \(401\)"):
            await c.changes_since(None, limit=1)
        after = await stats(http, url)
    assert after["tokens_issued"] - before["tokens_issued"] == 1
    assert after["requests"] - before["requests"] == 2


async def test_a_wrong_secret_is_upstream_unavailable_naming_the_connector(
    http: httpx.AsyncClient, connector: Connectors
) -> None:
    with simulator() as url:
        c = connector(url, auth=credentials(url, secret="wrong"))
        with pytest.raises(UpstreamUnavailable, match="police-19: its token endpoint refused") as caught:
            await c.changes_since(None)
        health = await c.health()
        counts = await stats(http, url)
    assert caught.value.source == "police-19"
    assert "invalid_client" in caught.value.message
    assert health.ok is False
    assert counts["requests"] == 0  # no data call went out without a token


async def test_a_token_endpoint_that_is_not_one_is_upstream_unavailable(
    http: httpx.AsyncClient, connector: Connectors
) -> None:
    with simulator() as url, refusing_port() as port:
        missing = ClientCredentialsAuth(token_url=f"{url}/nowhere", client_id="hub", secret="s3cret")
        dead = ClientCredentialsAuth(token_url=f"http://127.0.0.1:{port}/token", client_id="hub", secret="s")
        with pytest.raises(UpstreamUnavailable, match="police-19: its token endpoint answered 404"):
            await connector(url, auth=missing).changes_since(None)
        with pytest.raises(UpstreamUnavailable, match="police-19: cannot reach its token endpoint"):
            await connector(url, auth=dead).changes_since(None)


async def test_a_closed_connector_fetches_no_more_tokens(http: httpx.AsyncClient, connector: Connectors) -> None:
    with simulator() as url:
        c = connector(url, clock=FrozenClock())
        await c.aclose()
        with pytest.raises(RuntimeError, match="closed"):
            await c.changes_since(None)
        counts = await stats(http, url)
    assert counts["tokens_issued"] == 0
