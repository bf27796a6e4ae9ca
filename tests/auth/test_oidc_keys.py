"""Unit test of the OIDC key source alone (a fake transport): unknown kids cannot make it hammer the issuer."""

from __future__ import annotations

import json

import httpx
import pytest
from joserfc.jwk import KeySet, RSAKey

from trackchild_hub.auth.oidc import OidcKeys
from trackchild_hub.domain.errors import Unauthenticated

ISSUER = "https://issuer.test"


async def test_unknown_kids_refetch_at_most_once_per_interval() -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"})
        return httpx.Response(200, text=json.dumps(KeySet([key]).as_dict(private=False)))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        keys = OidcKeys(ISSUER, http, retry_s=60)
        assert await keys.key_for("k1") is not None
        for kid in ("nope-1", "nope-2", "nope-3"):
            assert await keys.key_for(kid) is None
        assert calls == ["/.well-known/openid-configuration", "/jwks"]  # one fetch for all of it
        keys_now = OidcKeys(ISSUER, http, retry_s=0)
        await keys_now.key_for("k1")
        await keys_now.key_for("nope")
        assert len(calls) == 6  # with no interval, an unknown kid refetches


async def test_a_discovery_document_naming_another_issuer_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"issuer": "https://evil.test", "jwks_uri": "https://evil.test/jwks"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        with pytest.raises(Unauthenticated, match="another issuer"):
            await OidcKeys(ISSUER, http).key_for("k1")
