"""The REST adapter: a state system speaking the exchange profile (or a dialect its mapping translates).

Every call goes through the connector's ``Resilience``; HTTP failures are mapped here, at the edge, to
``UpstreamUnavailable``/``UpstreamTimeout``. Records are mapped, parsed and validated; the ones that fail are dropped
and counted, never fatal.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from ..domain.errors import BadUserInput, UpstreamTimeout, UpstreamUnavailable
from ..domain.exchange import parse_exchange_record
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..domain.reference import IST
from ..domain.validation import validate_case
from .config import ApiKeyAuth, ConnectorConfig
from .port import Health, Records, SearchCriteria
from .resilience import CircuitBreaker, Resilience


class RestConnector:
    def __init__(self, config: ConnectorConfig, http: httpx.AsyncClient, geography: Geography) -> None:
        self.config, self.http, self.geography = config, http, geography
        self.id, self.kind, self.state = config.id, config.kind, config.state
        self.resilience = Resilience(
            config.id,
            timeout_s=config.timeout_ms / 1000,
            retries=config.retries,
            max_concurrency=config.max_concurrency,
            breaker=CircuitBreaker(),
        )
        self.malformed = 0  # records dropped since start, for `sources` and metrics
        self._headers: dict[str, str] = {"Accept": "application/json"}
        if isinstance(config.auth, ApiKeyAuth):
            self._headers[config.auth.header] = config.auth.secret
        elif config.auth is not None:
            raise BadUserInput(f"connector {config.id}.auth", "client_credentials is not supported by this build yet")

    async def search(self, criteria: SearchCriteria, *, deadline: float | None = None) -> Records:
        params = {
            "name": criteria.name,
            "gender": criteria.gender.value if criteria.gender else None,
            "age": criteria.age,
            "district": criteria.district,
            "kind": criteria.kind.value if criteria.kind else None,
        }
        body = await self._call("/v1/cases/search", params, deadline)
        return self._records(body)

    async def get(self, external_id: str, *, deadline: float | None = None) -> CaseData | None:
        body = await self._call(f"/v1/cases/{external_id}", {}, deadline, missing_ok=True)
        if body is None:
            return None
        records = self._records({"items": [body]})
        return records.items[0] if records.items else None

    async def changes_since(self, cursor: str | None, *, limit: int = 200, deadline: float | None = None) -> Records:
        body = await self._call("/v1/cases", {"cursor": cursor, "limit": limit}, deadline)
        return self._records(body)

    async def health(self, *, deadline: float | None = None) -> Health:
        started = time.monotonic()
        detail = None
        try:
            await self._call("/v1/health", {}, deadline)
        except (UpstreamUnavailable, UpstreamTimeout) as exc:
            detail = f"{exc.code}: {exc.message}"
        latency = (time.monotonic() - started) * 1000
        return Health(detail is None, latency, self.resilience.breaker.state.value, detail)

    async def _call(
        self, path: str, params: Mapping[str, Any], deadline: float | None, *, missing_ok: bool = False
    ) -> Any:
        query = {k: v for k, v in params.items() if v is not None}

        async def attempt() -> Any:
            try:
                response = await self.http.get(self.config.base_url + path, params=query, headers=self._headers)
            except httpx.TimeoutException as exc:
                raise UpstreamTimeout(self.id, "timed out") from exc
            except httpx.HTTPError as exc:
                raise UpstreamUnavailable(self.id, f"cannot reach it ({type(exc).__name__})") from exc
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code in (401, 403):
                raise UpstreamUnavailable(self.id, f"it refused the hub's credentials ({response.status_code})")
            if response.status_code != 200:
                raise UpstreamUnavailable(self.id, f"it answered {response.status_code}")
            try:
                return response.json()
            except ValueError as exc:
                raise UpstreamUnavailable(self.id, "it answered something that is not JSON") from exc

        return await self.resilience.call(attempt, deadline=deadline)

    def _records(self, body: Any) -> Records:
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise UpstreamUnavailable(self.id, "its answer has no list of items")
        today = datetime.now(IST).date()
        items: list[CaseData] = []
        dropped = 0
        for raw in body["items"]:
            try:
                mapped = self.config.mapping.apply(raw) if isinstance(raw, dict) else raw
                if isinstance(mapped, dict):
                    mapped["source"] = self.id  # a connector's records are its own, whatever they claim
                case = parse_exchange_record(mapped)
                validate_case(case, self.geography, today)
            except BadUserInput:
                dropped += 1
                continue
            items.append(case)
        self.malformed += dropped
        cursor = body.get("next_cursor")
        return Records(items=items, dropped=dropped, next_cursor=cursor if isinstance(cursor, str) else None)
