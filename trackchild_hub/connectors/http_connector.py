"""``HttpConnector``: what the REST and GraphQL adapters share.

Every call goes through the connector's ``Resilience`` and carries its upstream credentials (``upstream_auth``);
HTTP failures are mapped here, at the edge, to ``UpstreamUnavailable``/``UpstreamTimeout``; records go through one
``RecordIntake``. An adapter says how to ask (``_exchange``) and how to probe its system (``probe``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
import orjson

from ..domain.errors import UpstreamTimeout, UpstreamUnavailable
from ..domain.geography import Geography
from .config import ConnectorConfig
from .port import Health
from .records import RecordIntake
from .resilience import CircuitBreaker, Resilience
from .upstream_auth import UpstreamAuth, upstream_auth

T = TypeVar("T")


class HttpConnector:
    def __init__(
        self,
        config: ConnectorConfig,
        http: httpx.AsyncClient,
        geography: Geography,
        *,
        auth: UpstreamAuth | None = None,
    ) -> None:
        self.config, self.http, self.geography = config, http, geography
        self.id, self.kind, self.state = config.id, config.kind, config.state
        self.resilience = Resilience(
            config.id,
            timeout_s=config.timeout_ms / 1000,
            retries=config.retries,
            max_concurrency=config.max_concurrency,
            breaker=CircuitBreaker(config.breaker_failures, config.breaker_open_ms / 1000),
        )
        self.auth = auth if auth is not None else upstream_auth(config)
        self.intake = RecordIntake(config.id, config.mapping, geography)

    @property
    def breaker_state(self) -> str:
        return self.resilience.breaker.state.value

    @property
    def malformed(self) -> int:
        """Records dropped since start, for ``sources`` and metrics."""
        return self.intake.malformed

    async def health(self, *, deadline: float | None = None) -> Health:
        started = time.monotonic()
        detail = None
        try:
            await self.probe(deadline)
        except (UpstreamUnavailable, UpstreamTimeout) as exc:
            detail = f"{exc.code}: {exc.message}"
        latency = (time.monotonic() - started) * 1000
        return Health(detail is None, latency, self.breaker_state, detail)

    async def probe(self, deadline: float | None) -> None:
        """Ask the system the cheapest question it answers; raise ``UpstreamError`` when it does not."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Close what the connector holds of its own (a token endpoint client); the shared ``http`` is the caller's."""
        await self.auth.aclose()

    async def _exchange(
        self,
        method: str,
        url: str,
        deadline: float | None,
        unwrap: Callable[[Any], T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        missing_ok: bool = False,
    ) -> T:
        """``unwrap`` of the JSON the system answers (of None for a 404 when ``missing_ok``), under the resilience.

        ``unwrap`` runs inside the attempt, so an answer it rejects (raising ``UpstreamUnavailable``) is a failure
        the breaker counts and a retry may mend.
        """
        query = {k: v for k, v in (params or {}).items() if v is not None}
        headers = {"Accept": "application/json"}

        async def attempt() -> T:
            try:
                response = await self.http.request(
                    method, url, params=query, json=json, headers=headers, auth=self.auth
                )
            except httpx.TimeoutException as exc:
                raise UpstreamTimeout(self.id, "timed out") from exc
            except httpx.HTTPError as exc:
                raise UpstreamUnavailable(self.id, f"cannot reach it ({type(exc).__name__})") from exc
            if response.status_code == 404 and missing_ok:
                return unwrap(None)
            if response.status_code in (401, 403):
                refused = f"it refused the hub's credentials ({response.status_code})"
                raise UpstreamUnavailable(self.id, refused, retryable=False)  # asking again gets the same answer
            if response.status_code != 200:
                raise UpstreamUnavailable(self.id, f"it answered {response.status_code}")
            try:  # orjson: 3-4x faster than ``response.json()`` (stdlib json) on a page of records
                body = orjson.loads(response.content)
            except orjson.JSONDecodeError as exc:
                raise UpstreamUnavailable(self.id, "it answered something that is not JSON") from exc
            return unwrap(body)

        return await self.resilience.call(attempt, deadline=deadline)
