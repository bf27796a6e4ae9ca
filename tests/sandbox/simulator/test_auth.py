"""Upstream credentials: an API key header, or client-credentials bearer tokens that expire."""

from __future__ import annotations

import httpx

from trackchild_hub.sandbox.simulator import Faults, create_simulator
from trackchild_hub.sandbox.simulator.auth import TokenIssuer

from .conftest import ClientFor, client_of

CREDENTIALS = ("hub-19", "s3cret:with+odd&chars")


async def test_api_key_is_required_on_v1_only(sim: ClientFor) -> None:
    async with sim(api_key="k-123") as client:
        assert (await client.get("/v1/health")).status_code == 401
        assert (await client.get("/v1/cases", headers={"X-Api-Key": "wrong"})).status_code == 401
        response = await client.get("/v1/cases", headers={"X-Api-Key": "k-123"})
        assert response.status_code == 200
        assert (await client.get("/_sim/stats")).json()["unauthorized"] == 2


async def _token(client: httpx.AsyncClient, *, basic: bool) -> httpx.Response:
    form = {"grant_type": "client_credentials", "scope": "cases:read"}
    if basic:
        return await client.post("/oauth/token", data=form, auth=httpx.BasicAuth(*CREDENTIALS))
    return await client.post(
        "/oauth/token", data={**form, "client_id": CREDENTIALS[0], "client_secret": CREDENTIALS[1]}
    )


async def test_client_credentials_flow_with_basic_or_post_auth(sim: ClientFor) -> None:
    async with sim(token_url_secret=CREDENTIALS) as client:
        assert (await client.get("/v1/health")).status_code == 401
        tokens = []
        for basic in (True, False):
            response = await _token(client, basic=basic)
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["token_type"] == "Bearer"
            assert body["expires_in"] == 60
            assert body["scope"] == "cases:read"
            assert response.headers["cache-control"] == "no-store"
            tokens.append(body["access_token"])
            ok = await client.get("/v1/cases", headers={"Authorization": f"Bearer {body['access_token']}"})
            assert ok.status_code == 200
        assert tokens[0] != tokens[1]
        refused = await client.get("/v1/cases", headers={"Authorization": "Bearer made-up"})
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        assert (await client.get("/_sim/stats")).json()["tokens_issued"] == 2


async def test_token_endpoint_refusals(sim: ClientFor) -> None:
    async with sim(token_url_secret=CREDENTIALS) as client:
        wrong = await client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=httpx.BasicAuth(CREDENTIALS[0], "nope")
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_client"
        grant = await client.post("/oauth/token", data={"grant_type": "password"}, auth=httpx.BasicAuth(*CREDENTIALS))
        assert grant.json()["error"] == "unsupported_grant_type"
        as_json = await client.post("/oauth/token", json={"grant_type": "client_credentials"})
        assert as_json.status_code == 400
        assert (await client.get("/_sim/stats")).json()["tokens_issued"] == 0
    async with sim() as client:  # no client credentials configured: no token endpoint
        assert (await client.post("/oauth/token", data={"grant_type": "client_credentials"})).status_code == 404


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_tokens_expire_after_the_ttl() -> None:
    app = create_simulator("police", "19", token_url_secret=CREDENTIALS, faults=Faults(token_ttl_s=0.3))
    clock = FrozenClock()
    app.state.simulator.issuer = TokenIssuer(*CREDENTIALS, clock=clock)  # expiry on a clock the test moves
    async with client_of(app) as client:
        body = (await _token(client, basic=True)).json()
        assert body["expires_in"] == 0.3
        bearer = {"Authorization": f"Bearer {body['access_token']}"}
        assert (await client.get("/v1/health", headers=bearer)).status_code == 200
        clock.now += 0.29
        assert (await client.get("/v1/health", headers=bearer)).status_code == 200  # just inside its lifetime
        clock.now += 0.01
        assert (await client.get("/v1/health", headers=bearer)).status_code == 401  # at expiry: refused
        await client.post("/_sim/faults", json={"token_ttl_s": 30})
        fresh = (await _token(client, basic=False)).json()
        assert fresh["expires_in"] == 30
        assert (await client.get("/v1/health", headers={"Authorization": f"Bearer {fresh['access_token']}"})).is_success
        assert (await client.get("/_sim/stats")).json()["tokens_issued"] == 2


async def test_api_key_and_token_together_both_count(sim: ClientFor) -> None:
    async with sim(api_key="k", token_url_secret=CREDENTIALS) as client:
        token = (await _token(client, basic=True)).json()["access_token"]
        assert (await client.get("/v1/health", headers={"Authorization": f"Bearer {token}"})).status_code == 401
        both = {"Authorization": f"Bearer {token}", "X-Api-Key": "k"}
        assert (await client.get("/v1/health", headers=both)).status_code == 200
