"""How the hub proves itself to a state system: an API key header or OAuth 2.0 client-credentials bearer tokens.

Each is an ``httpx.Auth`` the adapters pass with every call (``http.get(..., auth=connector.auth)``), so both adapters
and both kinds of credentials go through this one module. ``upstream_auth(config)`` picks the right one.

Client credentials: authlib's ``AsyncOAuth2Client`` asks the token endpoint (client authentication, scope, the
RFC 6749 error answers); the token is cached and reused across calls, renewed ``renew_before_s`` before it expires
(never more than half its lifetime, so short-lived tokens are still reused), and when a bearer call is answered 401
anyway (the system restarted, or revoked the token) a fresh token is fetched once and that call sent once more.
Token endpoint failures are ``UpstreamUnavailable``/``UpstreamTimeout`` naming the connector. ``aclose()`` closes the
OAuth client's connections; call it on shutdown.
"""

from __future__ import annotations

import asyncio
import math
import time
import warnings
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import authlib.deprecate  # type: ignore[import-untyped]
import httpx

from ..domain.errors import UpstreamTimeout, UpstreamUnavailable
from .config import ApiKeyAuth, ClientCredentialsAuth, ConnectorConfig

# authlib 1.9 warns that its httpx integration will move to httpx2. The hub deliberately keeps one HTTP stack
# (httpx, shared by every adapter and the OIDC key fetcher), so exactly that warning is silenced, only for this
# import. authlib.deprecate is imported first because importing it installs an "always" filter for its warnings
# that would otherwise land in front of ours.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="The httpx module is deprecated", category=authlib.deprecate.AuthlibDeprecationWarning
    )
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError  # type: ignore[import-untyped]


class UpstreamAuth(httpx.Auth):
    """No credentials: requests go out as they are. The base of every kind of upstream credentials."""

    async def aclose(self) -> None:
        """Release what the credentials hold (connections to a token endpoint); nothing here."""


class ApiKeyHeader(UpstreamAuth):
    def __init__(self, auth: ApiKeyAuth) -> None:
        self._header, self._key = auth.header, auth.secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._key
        yield request


class ClientCredentials(UpstreamAuth):
    """Bearer tokens from an OAuth 2.0 token endpoint (client credentials grant), cached until due for renewal."""

    def __init__(
        self,
        source: str,
        auth: ClientCredentialsAuth,
        *,
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source, self.token_url, self.clock = source, auth.token_url, clock
        self.renew_before_s = auth.renew_before_s
        self._oauth: Any = AsyncOAuth2Client(
            client_id=auth.client_id,
            client_secret=auth.secret,
            scope=auth.scope,
            grant_type="client_credentials",
            token_endpoint=auth.token_url,
            timeout=timeout_s,
        )
        self._token: str | None = None
        # Expiry is kept on the monotonic clock here rather than left to authlib, which rounds ``expires_at`` down to
        # a whole second of wall-clock time: a token living a second or two could look expired the moment it came.
        self._renew_at = -math.inf
        self._lock = asyncio.Lock()  # one token request at a time; the others wait and reuse its token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("client credentials fetch tokens asynchronously: use an httpx.AsyncClient")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {await self.token(refused=token)}"
            yield request  # once: a second 401 is the adapter's to report

    async def token(self, *, refused: str | None = None) -> str:
        """The cached token while it is fresh, a new one when it is due for renewal or was ``refused``."""
        async with self._lock:
            fresh = self._token is not None and self.clock() < self._renew_at
            if fresh and self._token != refused:  # a token fetched meanwhile by another call is as good as new
                assert self._token is not None
                return self._token
            return await self._fetch()

    async def aclose(self) -> None:
        await self._oauth.aclose()

    async def _fetch(self) -> str:
        asked_at = self.clock()
        try:
            answer = await self._oauth.fetch_token(self.token_url, grant_type="client_credentials")
        except OAuthError as exc:
            raise UpstreamUnavailable(
                self.source,
                f"its token endpoint refused the hub's client credentials ({exc.error}: {exc.description})",
                retryable=False,
            ) from exc
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(self.source, "its token endpoint timed out") from exc
        except httpx.HTTPStatusError as exc:
            raise UpstreamUnavailable(self.source, f"its token endpoint answered {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable(self.source, f"cannot reach its token endpoint ({type(exc).__name__})") from exc
        except ValueError as exc:
            raise UpstreamUnavailable(self.source, "its token endpoint answered something that is not JSON") from exc
        token, lifetime = _bearer(answer)
        if token is None:
            raise UpstreamUnavailable(self.source, "its token endpoint answered no bearer access token")
        self._token = token
        self._renew_at = asked_at + lifetime - min(self.renew_before_s, lifetime / 2)
        return token


def _bearer(answer: object) -> tuple[str | None, float]:
    """The access token and its lifetime in seconds (infinite when the endpoint gives none) from a token answer."""
    if not isinstance(answer, dict) or str(answer.get("token_type", "bearer")).lower() != "bearer":
        return None, 0.0  # a missing token_type is taken for bearer: some systems leave it out
    token, expires_in = answer.get("access_token"), answer.get("expires_in")
    if not isinstance(token, str) or not token:
        return None, 0.0
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float) or expires_in <= 0:
        return token, math.inf  # RFC 6749 5.1: expires_in is only recommended; renew when the system refuses it
    return token, float(expires_in)


def upstream_auth(config: ConnectorConfig) -> UpstreamAuth:
    """The credentials ``config`` declares for its system (none when it declares none)."""
    if isinstance(config.auth, ApiKeyAuth):
        return ApiKeyHeader(config.auth)
    if isinstance(config.auth, ClientCredentialsAuth):
        return ClientCredentials(config.id, config.auth, timeout_s=config.timeout_ms / 1000)
    return UpstreamAuth()
