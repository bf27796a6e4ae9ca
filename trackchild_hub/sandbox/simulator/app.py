"""``create_simulator``: a state police (CCTNS-style) or WCD system speaking the exchange profile, as an ASGI app.

``/v1/*`` is the profile (CONTRACT.md) and ``POST /graphql`` asks the same questions over GraphQL; both go through
the configured faults and credentials. ``/oauth/token`` is served when client credentials are configured; ``/_sim/*``
steers the simulator and is never faulted or guarded:

- ``GET /_sim/faults`` · ``POST /_sim/faults`` (JSON with any ``Faults`` names, merged) → the faults now in force
- ``POST /_sim/records`` (an exchange record) → adds or replaces it by ``external_id`` (a new one is numbered when
  absent; ``source`` is always the simulator's), ``updated_at`` set later than every other record; 201 or 200
- ``GET /_sim/records/{external_id}`` → the stored exchange record, whatever the dialect
- ``GET /_sim/stats`` → ``requests`` (to /v1/* and /graphql), ``tokens_issued``, ``errors_injected``, ``unauthorized``,
  ``malformed_served``, ``hanging`` (requests held now), ``records``

``GET /v1/cases`` lists in (``updated_at``, ``external_id``) order; ``updated_since`` is inclusive (a record updated
at that instant is listed), so a client may resume from the last ``updated_at`` it saw and dedupe by external id.
``next_cursor`` is an opaque key of the last record listed: it stays valid when records change, and a record updated
meanwhile reappears later in the walk. ``GET /v1/cases/search`` lists the newest ``reported_at`` first (ties: the
greater ``external_id`` first), at most ``limit`` (default 50, held to 200); ``order`` may only be ``reported_at``.
Errors are ``{"error": "..."}`` with 400, 401, 404 or 503.

``POST /graphql`` (``{"query", "variables"?, "operationName"?}``; schema in ``graphql.SDL``) serves
``health { status kind state records }``, ``cases(kind, updatedSince, cursor, limit) { items nextCursor }``,
``search(name, gender, age, district, kind, limit, order) { items }`` and ``case(externalId)``, each as its
``/v1/*`` twin does; records are the ``JSON`` scalar in the simulator's dialect, ``kind`` and ``gender`` enums of
the exchange record's values. A failed query (a bad cursor) answers 200 with ``errors``; faults and credentials
answer as on ``/v1/*``. ``GRAPHQL_TEMPLATES`` is the connector file's ``[connector.graphql]`` table for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...domain.errors import BadUserInput
from ...domain.exchange import parse_exchange_record
from .auth import TokenIssuer, api_key_ok
from .data import (
    KINDS,
    MAX_SEARCH_LIMIT,
    SEARCH_LIMIT,
    SYSTEM_CODES,
    CaseStore,
    SimKind,
    build_records,
    parse_stamp,
    resolve_state,
    sim_kind,
)
from .dialects import DIALECTS, render
from .faults import Faults, FaultState, corruption, is_malformed
from .graphql import graphql_endpoint
from .params import CASE_KINDS, GENDERS, SEARCH_ORDERS, BadRequest, choice, decode_cursor, encode_cursor, integer

DEFAULT_LIMIT = 100
MAX_LIMIT = 500

Endpoint = Callable[[Request], Awaitable[Response]]


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers or None)


class Simulator:
    def __init__(
        self,
        kind: SimKind,
        state: str,
        *,
        seed: int,
        dialect: str,
        faults: Faults,
        api_key: str | None,
        token_url_secret: tuple[str, str] | None,
        records: int,
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}: {', '.join(DIALECTS)}")
        if records < 0:
            raise ValueError("records must not be negative")
        where = resolve_state(state)
        self.kind, self.state, self.dialect, self.api_key = kind, where.code, dialect, api_key
        self.source = f"{kind}-{where.code}"
        self.store = CaseStore(
            build_records(kind, where, seed=seed, records=records), f"{where.abbreviation}-{SYSTEM_CODES[kind]}-"
        )
        self.faults = FaultState(faults, seed)
        self.issuer = TokenIssuer(*token_url_secret) if token_url_secret else None
        self.stats = {"requests": 0, "errors_injected": 0, "unauthorized": 0, "malformed_served": 0}

    def app(self) -> Starlette:
        routes = [
            Route("/v1/health", self._guard(self.health)),
            Route("/v1/cases", self._guard(self.list_cases)),
            Route("/v1/cases/search", self._guard(self.search)),
            Route("/v1/cases/{external_id}", self._guard(self.get_case)),
            Route("/graphql", self._guard(graphql_endpoint(self)), methods=["POST"]),
            Route("/_sim/faults", self.get_faults, methods=["GET"]),
            Route("/_sim/faults", self.set_faults, methods=["POST"]),
            Route("/_sim/records", self.put_record, methods=["POST"]),
            Route("/_sim/records/{external_id}", self.stored_record, methods=["GET"]),
            Route("/_sim/stats", self.get_stats, methods=["GET"]),
        ]
        if self.issuer is not None:
            routes.append(Route("/oauth/token", self.token, methods=["POST"]))
        app = Starlette(routes=routes)
        app.state.simulator = self
        return app

    def _guard(self, handler: Endpoint) -> Endpoint:
        async def guarded(request: Request) -> Response:
            self.stats["requests"] += 1
            if self.faults.current.hang:
                outcome = await self.faults.hold(request.receive)
                if outcome != "released":
                    return _error(503, f"no answer (simulated hang, {outcome})")
            if self.faults.current.latency_ms:
                await asyncio.sleep(self.faults.current.latency_ms / 1000)
            refusal = self._refusal(request)
            if refusal is not None:
                self.stats["unauthorized"] += 1
                return refusal
            if self.faults.fails():
                self.stats["errors_injected"] += 1
                return _error(503, "service unavailable (simulated)", **{"Retry-After": "1"})
            try:
                return await handler(request)
            except BadRequest as exc:
                return _error(400, str(exc))

        return guarded

    def _refusal(self, request: Request) -> Response | None:
        if self.faults.current.auth_failure:
            return _error(401, "authentication failed (simulated)")
        if self.api_key is not None and not api_key_ok(request, self.api_key):
            return _error(401, "a valid X-Api-Key header is required")
        if self.issuer is not None and not self.issuer.valid(request):
            challenge = 'Bearer error="invalid_token"'
            return _error(401, "a valid, unexpired bearer token is required", **{"WWW-Authenticate": challenge})
        return None

    def _render(self, record: dict[str, Any]) -> dict[str, Any]:
        external_id = str(record.get("external_id"))
        broken = is_malformed(external_id, self.faults.current.malformed_rate)
        if broken:
            self.stats["malformed_served"] += 1
        return render(self.dialect, record, corruption(external_id) if broken else None)

    async def health(self, request: Request) -> Response:
        return JSONResponse(self.status())

    async def list_cases(self, request: Request) -> Response:
        page = self.changes(
            kind=choice(request, "kind", CASE_KINDS),
            updated_since=request.query_params.get("updated_since") or None,
            cursor=request.query_params.get("cursor") or None,
            limit=integer(request, "limit", None, 1),
        )
        return JSONResponse(page)

    async def search(self, request: Request) -> Response:
        items = self.find(
            name=request.query_params.get("name") or None,
            gender=choice(request, "gender", GENDERS),
            age=integer(request, "age", None, 0),
            district=request.query_params.get("district") or None,
            kind=choice(request, "kind", CASE_KINDS),
            limit=integer(request, "limit", None, 1),
            order=choice(request, "order", SEARCH_ORDERS),
        )
        return JSONResponse({"items": items})

    async def get_case(self, request: Request) -> Response:
        record = self.record(request.path_params["external_id"])
        if record is None:
            return _error(404, f"no case {request.path_params['external_id']!r} in {self.source}")
        return JSONResponse(record)

    # The answers themselves, in the simulator's dialect, for /v1/* and /graphql alike.

    def status(self) -> dict[str, Any]:
        return {"status": "ok", "kind": self.kind, "state": self.state, "records": len(self.store)}

    def changes(
        self, *, kind: str | None, updated_since: str | None, cursor: str | None, limit: int | None
    ) -> dict[str, Any]:
        try:
            since = parse_stamp(updated_since) if updated_since else None
        except ValueError:
            raise BadRequest(f"updated_since {updated_since!r} is not an ISO 8601 date-time with an offset") from None
        if limit is not None and limit < 1:
            raise BadRequest("limit must be at least 1")
        items, last = self.store.page(
            kind=kind,
            since=since,
            after=decode_cursor(cursor) if cursor else None,
            limit=min(limit or DEFAULT_LIMIT, MAX_LIMIT),
        )
        next_cursor = encode_cursor(last) if last is not None else None
        return {"items": [self._render(r) for r in items], "next_cursor": next_cursor}

    def find(
        self,
        *,
        name: str | None,
        gender: str | None,
        age: int | None,
        district: str | None,
        kind: str | None,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        """Search, newest ``reported_at`` first; ``limit`` defaults to 50 and is held to 200, as the profile says."""
        if age is not None and age < 0:
            raise BadRequest("age must be at least 0")
        if limit is not None and limit < 1:
            raise BadRequest("limit must be at least 1")
        if order is not None and order not in SEARCH_ORDERS:
            raise BadRequest(f"order must be one of {', '.join(SEARCH_ORDERS)}")
        found = self.store.search(
            name=name,
            gender=gender,
            age=age,
            district=district,
            kind=kind,
            limit=min(limit or SEARCH_LIMIT, MAX_SEARCH_LIMIT),
        )
        return [self._render(r) for r in found]

    def record(self, external_id: str) -> dict[str, Any] | None:
        record = self.store.get(external_id)
        return self._render(record) if record is not None else None

    async def token(self, request: Request) -> Response:
        assert self.issuer is not None
        return await self.issuer.token_endpoint(request, self.faults.current.token_ttl_s)

    async def get_faults(self, request: Request) -> Response:
        return JSONResponse(self.faults.current.to_json())

    async def set_faults(self, request: Request) -> Response:
        try:
            return JSONResponse(self.faults.update(await request.json()).to_json())
        except ValueError as exc:  # includes a body that is not JSON
            return _error(400, str(exc))

    async def put_record(self, request: Request) -> Response:
        try:
            record = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        if not isinstance(record, dict):
            return _error(400, "send one exchange record, a JSON object")
        if record.get("kind") not in KINDS[self.kind]:
            return _error(
                400, f"a {self.kind} system holds {' and '.join(KINDS[self.kind])} cases, not {record.get('kind')!r}"
            )
        record["source"] = self.source
        record.setdefault("external_id", None)
        try:
            parse_exchange_record({**record, "external_id": record["external_id"] or "new"})
        except BadUserInput as exc:
            return _error(400, exc.message)
        stored, created = self.store.upsert(record, datetime.now(UTC))
        return JSONResponse(stored, 201 if created else 200)

    async def stored_record(self, request: Request) -> Response:
        record = self.store.get(request.path_params["external_id"])
        return JSONResponse(record) if record is not None else _error(404, "no such record")

    async def get_stats(self, request: Request) -> Response:
        tokens = self.issuer.issued if self.issuer is not None else 0
        extra = {"tokens_issued": tokens, "hanging": self.faults.hanging, "records": len(self.store)}
        return JSONResponse({**self.stats, **extra})


def create_simulator(
    kind: SimKind,
    state: str,
    *,
    seed: int = 1,
    dialect: str = "standard",
    faults: Faults | None = None,
    api_key: str | None = None,
    token_url_secret: tuple[str, str] | None = None,
    records: int = 300,
) -> Starlette:
    """The simulator of ``kind`` ("police" | "wcd") for ``state`` (LGD code or abbreviation) as an ASGI app.

    Its data depend only on (kind, state, seed, records). ``app.state.simulator`` is the ``Simulator`` behind it.
    """
    return Simulator(
        sim_kind(kind),
        state,
        seed=seed,
        dialect=dialect,
        faults=faults or Faults(),
        api_key=api_key,
        token_url_secret=token_url_secret,
        records=records,
    ).app()
