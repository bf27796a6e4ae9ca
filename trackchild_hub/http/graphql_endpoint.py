"""``/graphql``: GraphQL over HTTP (GET for queries, POST for everything), per the GraphQL-over-HTTP spec."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.federation import Schema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from ..auth.principal import Principal
from ..domain.errors import Unauthenticated
from ..domain.overload import RETRY_AFTER_S, Overloaded
from ..resolvers.context import Context, Services
from .admission import DATABASE, Admission
from .graphiql import graphiql_page
from .multipart import MultipartError, preflighted, read_multipart
from .negotiation import GRAPHQL_RESPONSE, JSON, negotiate
from .rate_limit import CaseStatusLimit, PublicWriteLimit, RateLimited, RateLimiter
from .response_body import encode

log = logging.getLogger("trackchild_hub.http")
MAX_BODY = 1_000_000
Authenticate = Callable[[Request], Awaitable[Principal]]


class RequestError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class GraphQLEndpoint:
    def __init__(
        self,
        schema: Schema,
        services: Services,
        authenticate: Authenticate,
        *,
        ide: bool,
        rate_limiter: RateLimiter | None = None,
        admission: Admission | None = None,
    ) -> None:
        self.schema, self.services, self.authenticate, self.ide = schema, services, authenticate, ide
        self.rate_limiter = rate_limiter
        self.admission = admission  # None: no bound (in-process tests of other concerns)

    async def handle(self, request: Request) -> Response:
        if request.method == "GET" and self.ide and "query" not in request.query_params and _wants_html(request):
            return graphiql_page()
        media = negotiate(request.headers.get("accept"))
        try:
            if media is None:
                raise RequestError(406, f"accepts neither {GRAPHQL_RESPONSE} nor {JSON}")
            await self._admit(request, None)
            params = await _params(request, self.services.settings.photos.max_bytes)
            principal = await self._principal(request)
            await self._admit(request, principal)
            response = await self._admitted(params, principal, media, request)
        except RequestError as exc:
            body = {"errors": [{"message": exc.message, "extensions": {"code": _code(exc.status)}}]}
            return JSONResponse(body, exc.status, headers=exc.headers, media_type=media or JSON)
        if response.status_code == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    async def _admitted(self, params: dict[str, Any], principal: Principal, media: str, request: Request) -> Response:
        """Executes within the admission bound; refused at once (503, nothing ran) when the hub is at capacity."""
        if self.admission is None:
            return await self._execute(params, principal, media, request)
        try:
            async with self.admission.slot():
                return await self._execute(params, principal, media, request)
        except Overloaded as exc:
            raise RequestError(503, exc.message, {"Retry-After": str(RETRY_AFTER_S)}) from None

    async def _admit(self, request: Request, principal: Principal | None) -> None:
        """Per IP before the body is read and the token verified; per client once it is (see rate_limit.py)."""
        if self.rate_limiter is None:
            return
        try:
            if principal is None:
                await self.rate_limiter.admit_ip(request.client.host if request.client else None)
            else:
                await self.rate_limiter.admit_client(principal)
        except RateLimited as exc:
            raise RequestError(429, exc.message, {"Retry-After": str(exc.retry_after_s)}) from None

    def _public_writes(self, request: Request) -> PublicWriteLimit | None:
        if self.rate_limiter is None:
            return None
        return PublicWriteLimit(self.rate_limiter, request.client.host if request.client else None)

    def _status_guesses(self, request: Request) -> CaseStatusLimit | None:
        if self.rate_limiter is None:
            return None
        return CaseStatusLimit(self.rate_limiter, request.client.host if request.client else None)

    async def _principal(self, request: Request) -> Principal:
        try:
            return await self.authenticate(request)
        except Unauthenticated as exc:
            description = "".join(c for c in exc.message if c.isprintable() and c not in '"\\')
            header = f'Bearer error="invalid_token", error_description="{description}"'
            raise RequestError(401, exc.message, {"WWW-Authenticate": header}) from None

    async def _execute(self, params: dict[str, Any], principal: Principal, media: str, request: Request) -> Response:
        allowed = (StrawberryOperationType.QUERY,) if request.method == "GET" else None
        async with self.services.sessions() as session:
            context = Context(
                services=self.services,
                session=session,
                principal=principal,
                request_id=request.headers.get("x-request-id") or Context.new_request_id(),
                public_writes=self._public_writes(request),
                status_guesses=self._status_guesses(request),
            )
            try:
                result = await self.schema.execute(
                    params["query"],
                    variable_values=params.get("variables"),
                    context_value=context,
                    operation_name=params.get("operationName"),
                    allowed_operation_types=allowed,
                )
            except InvalidOperationTypeError as exc:  # a GET asked for a mutation; checked before validation
                raise RequestError(405, f"{exc.operation_type.value}s need POST", {"Allow": "POST"}) from None
        body: dict[str, Any] = {}
        errors = [e.formatted for e in result.errors or []]
        not_executed = result.data is None and bool(errors) and all(e.path is None for e in result.errors or [])
        if not not_executed:
            body["data"] = result.data
        if errors:
            body["errors"] = errors
        status = 400 if not_executed and media == GRAPHQL_RESPONSE else 200
        if any(isinstance(e.original_error, Overloaded) for e in result.errors or []):
            # No database connection in time (for a read or the access log): 503 as for a refusal (Retry-After is
            # added by handle).
            status = 503
            if self.admission is not None:
                self.admission.refused(DATABASE)
        return Response(encode(body), status, media_type=media, headers={"X-Request-Id": context.request_id})


async def _params(request: Request, max_file_bytes: int) -> dict[str, Any]:
    if request.method == "GET":
        raw: dict[str, Any] = dict(request.query_params)
        for key in ("variables", "extensions"):
            if key in raw:
                raw[key] = _json(raw[key], key)
    elif request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            raw = await _multipart(request, max_file_bytes)
        elif content_type != "application/json":
            raise RequestError(415, "POST needs Content-Type: application/json (or multipart/form-data for files)")
        else:
            raw = _json(await _bounded_body(request), "body")
    else:
        raise RequestError(405, "use GET or POST", {"Allow": "GET, POST"})
    if not isinstance(raw, dict):
        raise RequestError(400, "the request must be a JSON object")
    if not isinstance(raw.get("query"), str) or not raw["query"].strip():
        raise RequestError(400, "'query' must be a non-empty string")
    for key, kind in (("variables", dict), ("operationName", str), ("extensions", dict)):
        if raw.get(key) is not None and not isinstance(raw[key], kind):
            raise RequestError(400, f"'{key}' must be a{'n object' if kind is dict else ' string'}")
    return raw


async def _multipart(request: Request, max_file_bytes: int) -> Any:
    """A GraphQL multipart request (file uploads: ``http/multipart.py``), only with a CSRF preflight header."""
    if not preflighted(request.headers):
        raise RequestError(
            400, "multipart requests need an Apollo-Require-Preflight or GraphQL-Require-Preflight header (CSRF)"
        )
    try:
        return await read_multipart(request.headers["content-type"], request.stream(), max_file_bytes)
    except MultipartError as exc:
        raise RequestError(exc.status, exc.message, _CLOSE if exc.status == 413 else None) from None


# A body cut off is answered and its connection closed: kept open, the server would read the rest to its end.
_CLOSE = {"Connection": "close"}


async def _bounded_body(request: Request) -> bytes:
    """A JSON body, refused (413) as soon as it is known to be over ``MAX_BODY``, by its Content-Length or once that
    much has arrived: never held whole whatever its size (``request.body()`` read all of it before the check)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > MAX_BODY):
        raise RequestError(413, f"request body over {MAX_BODY} bytes", _CLOSE)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RequestError(413, f"request body over {MAX_BODY} bytes", _CLOSE)
    return bytes(body)


def _json(text: str | bytes, what: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # nested past the parser's depth ("[[[[..."): as malformed as any
        raise RequestError(400, f"{what} is not valid JSON") from None


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _code(status: int) -> str:
    codes = {
        401: "UNAUTHENTICATED",
        405: "METHOD_NOT_ALLOWED",
        406: "NOT_ACCEPTABLE",
        429: "RATE_LIMITED",
        503: Overloaded.code,
    }
    return codes.get(status, "BAD_REQUEST")
