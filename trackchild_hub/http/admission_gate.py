"""The fast refusal: the outermost ASGI layer answers ``/graphql`` with 503 when admission control is full.

Under overload most requests are refused, so what a refusal costs decides how much of the event loop is left for the
admitted ones. Answered inside the endpoint, a refusal first went through Starlette's middleware and routing and the
request log (a ``Request`` object, a log line, a timer); here it is a check of two counters and two prepared
messages, before anything reads the body or verifies a token. Nothing awaits between this check and the endpoint,
so the endpoint does not check again; a request that passes it while the hub fills up is queued or refused by
``Admission.slot`` (after the body is read and the token verified).

Refusals are counted as before (``hub_http_refused_total{reason="queue_full"}`` and the request metrics), but not
logged one line each: under overload that would be thousands of identical lines a second.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send

from ..domain.overload import RETRY_AFTER_S, Overloaded
from .admission import QUEUE_FULL, Admission
from .metrics import Metrics
from .negotiation import negotiate
from .response_body import encode

PATH = "/graphql"


Answer = tuple[dict[str, object], dict[str, object]]  # the ASGI messages: response start, body


def _refusal(media: str) -> Answer:
    """The endpoint's own 503 (graphql_endpoint.RequestError), prepared once per media type."""
    body = encode({"errors": [{"message": Overloaded().message, "extensions": {"code": Overloaded.code}}]})
    headers = [
        (b"content-type", media.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(RETRY_AFTER_S).encode()),
    ]
    start = {"type": "http.response.start", "status": 503, "headers": headers}
    return start, {"type": "http.response.body", "body": body}


class AdmissionGate:
    def __init__(self, app: ASGIApp, admission: Admission, metrics: Metrics) -> None:
        self.app, self.admission, self.metrics = app, admission, metrics
        self._answers: dict[str, Answer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or not self.admission.full:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        media = _accepted(scope)
        if media is None or _asks_for_the_ide(scope):
            await self.app(scope, receive, send)  # 406 and the GraphiQL page are the endpoint's to answer
            return
        self.admission.refused(QUEUE_FULL)
        answer = self._answers.get(media)
        if answer is None:
            answer = self._answers[media] = _refusal(media)
        await send(answer[0])
        await send(answer[1])
        self.metrics.observe(scope["method"], PATH, 503, time.perf_counter() - started)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _accepted(scope: Scope) -> str | None:
    return negotiate(_header(scope, b"accept"))


def _asks_for_the_ide(scope: Scope) -> bool:
    # As GraphQLEndpoint.handle: a browser's GET without a query gets GraphiQL (where the IDE is on), not a refusal.
    if scope["method"] != "GET" or b"query=" in scope.get("query_string", b""):
        return False
    return "text/html" in (_header(scope, b"accept") or "")
