"""The REST adapter: a state system speaking the exchange profile (or a dialect its mapping translates).

``GET /v1/cases``, ``/v1/cases/{external_id}``, ``/v1/cases/search`` and ``/v1/health`` (CONTRACT.md). What every
adapter shares (resilience, upstream credentials, errors mapped at the edge, records mapped, parsed and validated, the
malformed dropped and counted) is ``HttpConnector``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from ..domain.errors import UpstreamUnavailable
from ..domain.records import CaseData
from .http_connector import HttpConnector
from .port import Records, SearchCriteria

T = TypeVar("T")


class RestConnector(HttpConnector):
    async def search(self, criteria: SearchCriteria, *, deadline: float | None = None) -> Records:
        return await self._get("/v1/cases/search", deadline, self._records, params=criteria.as_params())

    async def get(self, external_id: str, *, deadline: float | None = None) -> CaseData | None:
        path = f"/v1/cases/{quote(external_id, safe='')}"
        return await self._get(path, deadline, self._record, missing_ok=True)

    async def changes_since(self, cursor: str | None, *, limit: int = 200, deadline: float | None = None) -> Records:
        return await self._get("/v1/cases", deadline, self._records, params={"cursor": cursor, "limit": limit})

    async def probe(self, deadline: float | None) -> None:
        await self._get("/v1/health", deadline, lambda body: None)

    async def _get(self, path: str, deadline: float | None, unwrap: Callable[[Any], T], **options: Any) -> T:
        return await self._exchange("GET", self.config.base_url + path, deadline, unwrap, **options)

    def _records(self, body: Any) -> Records:
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise UpstreamUnavailable(self.id, "its answer has no list of items")
        return self.intake.take(body["items"], body.get("next_cursor"))

    def _record(self, body: Any) -> CaseData | None:
        return None if body is None else self.intake.take_one(body)
