"""Keys of an external OpenID provider: discovery, then its JWKS, cached; refetched when a token names an unknown
``kid`` (key rotation), at most once per ``refetch_seconds`` so garbage kids cannot hammer the issuer."""

from __future__ import annotations

import asyncio
import time

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

from ..domain.errors import Unauthenticated
from .tokens import PublicKey


class OidcKeys:
    def __init__(self, issuer: str, http: httpx.AsyncClient, *, refetch_seconds: float = 1.0) -> None:
        self.issuer = issuer.rstrip("/")
        self.http, self.refetch_seconds = http, refetch_seconds
        self._keys: dict[str | None, PublicKey] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> PublicKey | None:
        if kid not in self._keys:
            async with self._lock:
                if kid not in self._keys and time.monotonic() - self._fetched_at >= self.refetch_seconds:
                    await self._fetch()
        key = self._keys.get(kid)
        if key is None and kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return key

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            discovery = (await self.http.get(f"{self.issuer}/.well-known/openid-configuration")).raise_for_status()
            document = discovery.json()
            if document.get("issuer", "").rstrip("/") != self.issuer:
                raise Unauthenticated("the issuer's discovery document names another issuer")
            jwks = (await self.http.get(document["jwks_uri"])).raise_for_status().json()
            keys = KeySet.import_key_set(jwks)
        except (httpx.HTTPError, ValueError, KeyError, JoseError) as exc:
            raise Unauthenticated(f"cannot read the issuer's keys ({type(exc).__name__})") from None
        self._keys = {k.kid: k for k in keys.keys if isinstance(k, RSAKey | ECKey | OKPKey)}
