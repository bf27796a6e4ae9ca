"""The GraphQL adapter: a state system that runs its own GraphQL API.

The connector file says what to ask and where the records are (``[connector.graphql]``, see ``graphql_templates``);
each question is a POST of that query with the REST profile's parameters as variables. An answer with ``errors`` is
``UpstreamUnavailable`` with the first message, even with status 200. Everything else (resilience, upstream
credentials, HTTP errors mapped at the edge, records mapped, parsed and validated, the malformed dropped and counted)
is ``HttpConnector``'s, as for REST.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from ..domain.errors import BadUserInput, UpstreamUnavailable
from ..domain.geography import Geography
from ..domain.records import CaseData
from .config import ConnectorConfig
from .graphql_templates import GraphQLTemplates, at
from .http_connector import HttpConnector
from .port import Records, SearchCriteria
from .upstream_auth import UpstreamAuth

T = TypeVar("T")


class GraphQLConnector(HttpConnector):
    def __init__(
        self,
        config: ConnectorConfig,
        http: httpx.AsyncClient,
        geography: Geography,
        *,
        auth: UpstreamAuth | None = None,
    ) -> None:
        if config.graphql is None:
            raise BadUserInput(f"connector {config.id}.graphql", 'is required for type = "graphql"')
        super().__init__(config, http, geography, auth=auth)
        self.templates: GraphQLTemplates = config.graphql
        self.url = config.base_url + config.graphql.path

    async def search(self, criteria: SearchCriteria, *, deadline: float | None = None) -> Records:
        return await self._query("search", criteria.as_params(), deadline, self._records)

    async def get(self, external_id: str, *, deadline: float | None = None) -> CaseData | None:
        return await self._query("get", {"externalId": external_id}, deadline, self._record)

    async def changes_since(self, cursor: str | None, *, limit: int = 200, deadline: float | None = None) -> Records:
        return await self._query("changes", {"cursor": cursor, "limit": limit}, deadline, self._records)

    async def probe(self, deadline: float | None) -> None:
        await self._query("health", {}, deadline, lambda data: None)

    async def _query(
        self, template: str, values: Mapping[str, Any], deadline: float | None, unwrap: Callable[[Any], T]
    ) -> T:
        body = {"query": getattr(self.templates, template), "variables": self.templates.variables(template, values)}
        return await self._exchange("POST", self.url, deadline, lambda answer: unwrap(self._data(answer)), json=body)

    def _data(self, answer: Any) -> Mapping[str, Any]:
        if not isinstance(answer, Mapping):
            raise UpstreamUnavailable(self.id, "its answer is not a GraphQL response")
        errors = answer.get("errors")
        if errors:
            first = errors[0] if isinstance(errors, list) else None
            message = first.get("message") if isinstance(first, Mapping) else None
            text = message if isinstance(message, str) and message else repr(errors)[:200]
            raise UpstreamUnavailable(self.id, f"its GraphQL answer has errors: {text}")
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise UpstreamUnavailable(self.id, "its GraphQL answer has no data")
        return data

    def _records(self, data: Mapping[str, Any]) -> Records:
        items = at(data, self.templates.items_path)
        if not isinstance(items, list):
            raise UpstreamUnavailable(self.id, f"its answer has no list of items at {self.templates.items_path}")
        return self.intake.take(items, at(data, self.templates.next_cursor_path))

    def _record(self, data: Mapping[str, Any]) -> CaseData | None:
        raw = at(data, self.templates.record_path)
        return None if raw is None else self.intake.take_one(raw)
