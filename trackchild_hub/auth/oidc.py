"""Keys of an external OpenID provider: discovery, then its JWKS, cached and refreshed so rotation takes effect.

- **On a schedule.** The keys expire after the JWKS response's ``Cache-Control: max-age``, bounded to
  ``[min_refresh_s, max_refresh_s]`` (no max-age: the upper bound; ``no-store``/``no-cache``: the lower one). The first
  verification after that refetches, so a key the issuer withdrew is refused at most ``max_refresh_s`` later.
- **On demand, throttled.** A token naming an unknown ``kid``, or whose signature fails under the cached key of its
  ``kid`` (a kid reused with new material), refetches at most once per ``retry_s``: a flood of bad tokens costs the
  issuer one fetch per ``retry_s``, not one per token.
- **Coalesced.** One fetch at a time; every verification that needs it waits for that same fetch.
- **Issuer unreachable.** A failed refresh keeps the cached keys (tried again after ``retry_s``), but never for more
  than ``STALE_LIMIT_S`` after the last good fetch: an issuer gone for an hour means no token verifies.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

from ..domain.errors import Unauthenticated
from .tokens import PublicKey

log = logging.getLogger(__name__)

STALE_LIMIT_S = 3600.0
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)", re.IGNORECASE)


class OidcKeys:
    def __init__(
        self,
        issuer: str,
        http: httpx.AsyncClient,
        *,
        min_refresh_s: float = 30.0,
        max_refresh_s: float = 300.0,
        retry_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.http, self.clock = http, clock
        self.min_refresh_s, self.max_refresh_s, self.retry_s = min_refresh_s, max_refresh_s, retry_s
        self.fetches = 0  # successful and failed, for tests and metrics
        self._keys: dict[str | None, PublicKey] = {}
        self._expires_at = float("-inf")  # the scheduled refresh is due then
        self._fetched_at = float("-inf")  # the last fetch that succeeded
        self._attempted_at = float("-inf")  # the last fetch started, for any reason: throttles on-demand ones
        self._inflight: asyncio.Task[None] | None = None

    async def key_for(self, kid: str | None) -> PublicKey | None:
        now = self.clock()
        due = now >= self._expires_at
        if due or (kid not in self._keys and now - self._attempted_at >= self.retry_s):
            await self._refresh()
        return self._lookup(kid)

    async def refreshed_key_for(self, kid: str | None, rejected: PublicKey) -> PublicKey | None:
        """A signature failed under ``rejected``: refetch (throttled) and return the key now published under ``kid``
        if it is different material, else None."""
        if self._inflight is not None or self.clock() - self._attempted_at >= self.retry_s:
            await self._refresh()
        key = self._lookup(kid)
        if key is None or key.thumbprint() == rejected.thumbprint():
            return None
        return key

    def _lookup(self, kid: str | None) -> PublicKey | None:
        key = self._keys.get(kid)
        if key is None and kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return key

    async def _refresh(self) -> None:
        task = self._inflight
        if task is None:
            task = self._inflight = asyncio.get_running_loop().create_task(self._fetch())
            task.add_done_callback(self._fetch_done)
        # Shielded: a caller that gives up (client gone) must not cancel the fetch the others are waiting for.
        await asyncio.shield(task)

    def _fetch_done(self, task: asyncio.Task[None]) -> None:
        self._inflight = None
        if not task.cancelled():
            task.exception()  # every waiter has seen it; do not report it again as "never retrieved"

    async def _fetch(self) -> None:
        self._attempted_at = now = self.clock()
        self.fetches += 1
        try:
            keys, lifetime = await self._download()
        except Unauthenticated as exc:
            if self._keys and now - self._fetched_at < STALE_LIMIT_S:
                log.warning("keeping the cached keys of %s: %s", self.issuer, exc)
                self._expires_at = now + self.retry_s
                return
            self._keys, self._expires_at = {}, now + self.retry_s
            raise
        self._keys, self._fetched_at, self._expires_at = keys, now, now + lifetime

    async def _download(self) -> tuple[dict[str | None, PublicKey], float]:
        try:
            discovery = (await self.http.get(f"{self.issuer}/.well-known/openid-configuration")).raise_for_status()
            document = discovery.json()
            if document.get("issuer", "").rstrip("/") != self.issuer:
                raise Unauthenticated("the issuer's discovery document names another issuer")
            response = (await self.http.get(document["jwks_uri"])).raise_for_status()
            keys = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError, JoseError) as exc:
            raise Unauthenticated(f"cannot read the issuer's keys ({type(exc).__name__})") from None
        published = {k.kid: k for k in keys.keys if isinstance(k, RSAKey | ECKey | OKPKey)}
        return published, self._lifetime(response.headers.get("cache-control", ""))

    def _lifetime(self, cache_control: str) -> float:
        if _NO_CACHE.search(cache_control):
            return self.min_refresh_s
        match = _MAX_AGE.search(cache_control)
        asked = float(match.group(1)) if match else self.max_refresh_s
        return min(max(asked, self.min_refresh_s), self.max_refresh_s)
