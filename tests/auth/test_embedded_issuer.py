"""Tokens from the embedded dev issuer, through real HTTP: accepted when right, 401 for every way of being wrong."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from tests.factories import hub_client, missing_input, seed_catalogue
from trackchild_hub.app import dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Environment, Settings, SettingsError

ME = "{ me { authenticated subject clientId agency scopes state district } }"
REPORT = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { reference child { name } } }"


@pytest.fixture
async def hub(store: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with hub_client(store.settings) as client:
        yield client


async def _token(hub: httpx.AsyncClient, client_id: str, **form: str) -> str:
    response = await hub.post(
        "/oauth/token", data={"grant_type": "client_credentials", **form}, auth=(client_id, f"{client_id}-secret")
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    token: str = response.json()["access_token"]
    return token


async def _graphql(
    hub: httpx.AsyncClient, query: str, token: str | None, variables: dict[str, Any] | None = None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await hub.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


async def test_client_credentials_token_makes_the_principal(hub: httpx.AsyncClient) -> None:
    token = await _token(hub, "demo-police", state="19", district="313")
    me = (await _graphql(hub, ME, token)).json()["data"]["me"]
    assert me["authenticated"] is True
    assert (me["subject"], me["clientId"], me["agency"]) == ("demo-police", "demo-police", "police")
    assert (me["state"], me["district"]) == ("19", "313")
    assert "cases:write" in me["scopes"]
    assert "child:sensitive" not in me["scopes"]
    public = (await _graphql(hub, ME, None)).json()["data"]["me"]
    assert public == {
        "authenticated": False,
        "subject": None,
        "clientId": None,
        "agency": None,
        "scopes": [],
        "state": None,
        "district": None,
    }


async def test_mutations_over_http_follow_the_token(hub: httpx.AsyncClient, store: Services) -> None:
    await seed_catalogue(store)
    police = await _token(hub, "demo-police")
    created = (await _graphql(hub, REPORT, police, {"input": missing_input()})).json()
    assert created["data"]["reportMissing"]["child"]["name"] == "Rahul Kumar"
    ngo = await _token(hub, "demo-ngo")
    refused = (await _graphql(hub, REPORT, ngo, {"input": missing_input()})).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_discovery_and_jwks(hub: httpx.AsyncClient, store: Services) -> None:
    discovery = (await hub.get("/.well-known/openid-configuration")).json()
    assert discovery["issuer"] == store.settings.public_url
    assert discovery["grant_types_supported"] == ["client_credentials"]
    keys = (await hub.get("/.well-known/jwks.json")).json()["keys"]
    assert len(keys) == 1
    assert "d" not in keys[0]  # never the private part
    assert keys[0]["kid"] == dev_issuer(store.settings).kid


async def test_token_endpoint_refuses_bad_clients_and_scopes(hub: httpx.AsyncClient) -> None:
    wrong = await hub.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("demo-police", "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    too_much = await hub.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "audit:read"},
        auth=("demo-police", "demo-police-secret"),
    )
    assert too_much.json()["error"] == "invalid_scope"
    password = await hub.post("/oauth/token", data={"grant_type": "password"}, auth=("demo-police", "x"))
    assert password.json()["error"] == "unsupported_grant_type"


def _claims(store: Services, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": store.settings.public_url,
        "aud": store.settings.audience,
        "sub": "demo-police",
        "client_id": "demo-police",
        "agency": "police",
        "scope": "cases:read child:identity",
        "iat": now,
        "exp": now + 300,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(store: Services, **changes: Any) -> str:
    issuer = dev_issuer(store.settings)
    return jwt.encode({"alg": "RS256", "kid": issuer.kid}, _claims(store, **changes), issuer.key)


def _forged_variants(store: Services) -> dict[str, str]:
    good = _signed(store)
    head, payload, signature = good.split(".")
    tampered_payload = (
        base64.urlsafe_b64encode(
            json.dumps(_claims(store, scope="cases:read child:identity child:sensitive audit:read")).encode()
        )
        .decode()
        .rstrip("=")
    )
    public_jwk = dev_issuer(store.settings).jwks()["keys"][0]
    hs_key = OctKey.import_key(json.dumps(public_jwk).encode())
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    stranger = RSAKey.generate_key(2048, parameters={"kid": dev_issuer(store.settings).kid})
    return {
        "expired": _signed(store, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        "not yet valid": _signed(store, nbf=int(time.time()) + 3600),
        "wrong audience": _signed(store, aud="urn:someone:else"),
        "wrong issuer": _signed(store, iss="https://evil.example"),
        "no expiry": _signed(store, exp=None),
        "unknown agency": _signed(store, agency="army"),
        "tampered": f"{head}.{tampered_payload}.{signature}",
        "alg none": f"{none_header}.{payload}.",
        "HS256 with the public key": jwt.encode({"alg": "HS256"}, _claims(store), hs_key, algorithms=["HS256"]),
        "another key, same kid": jwt.encode({"alg": "RS256", "kid": stranger.kid}, _claims(store), stranger),
        "not a jwt": "hello",
    }


async def test_every_bad_token_is_401_with_www_authenticate(hub: httpx.AsyncClient, store: Services) -> None:
    assert (await _graphql(hub, ME, _signed(store))).status_code == 200  # the baseline is accepted
    for name, token in _forged_variants(store).items():
        response = await _graphql(hub, ME, token)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"'), name
        assert "data" not in response.json(), name
    basic = await hub.post("/graphql", json={"query": ME}, headers={"Authorization": "Basic ZGVtbzp4"})
    assert basic.status_code == 401


def test_production_refuses_the_embedded_issuer(store: Services) -> None:
    with pytest.raises(SettingsError, match="OIDC_ISSUER"):
        Settings.from_env({"TRACKCHILD_ENV": "production"})
    with pytest.raises(SettingsError, match="dev issuer"):
        dev_issuer(replace(store.settings, env=Environment.PRODUCTION))


async def test_token_command_prints_a_token_the_hub_accepts(hub: httpx.AsyncClient, store: Services) -> None:
    import asyncio
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "TRACKCHILD_DATA_DIR": str(store.settings.data_dir),
        "TRACKCHILD_DATABASE_URL": store.settings.database_url,
    }
    command = [
        sys.executable,
        "-m",
        "trackchild_hub.cli",
        "token",
        "--client",
        "demo-cwc",
        "--state",
        "19",
        "--district",
        "313",
    ]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    me = (await _graphql(hub, ME, done.stdout.strip())).json()["data"]["me"]
    assert (me["agency"], me["state"], me["district"]) == ("cwc", "19", "313")
    unknown = await asyncio.to_thread(
        subprocess.run, [*command[:5], "nobody"], env=env, capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode == 2
    assert "demo-police" in unknown.stderr
