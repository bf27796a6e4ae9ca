"""``/graphql`` over a websocket: subscriptions (``alerts``) in the graphql-transport-ws protocol, strawberry's handler.

The bearer token comes in ``connection_init``'s payload (``{"Authorization": "Bearer …"}``, as browsers cannot set
headers on a websocket) or in the upgrade request's Authorization header; the payload's wins. A bad token: the
upgrade is answered 401 (header) or the socket closed with 4401 (payload), never a silent downgrade to the public
role. No token: the connection is the public's, and ``alerts`` answers UNAUTHENTICATED (schema/extensions/
operation_guard.py); a token without ``alerts:read``: FORBIDDEN.

Only subscriptions: queries and mutations go over HTTP, where admission control, the per-client rate limit and the
public writes' limit stand. A handshake counts against its IP's request allowance (rate_limit.py), and the
admission gate and request log pass websocket scopes through untouched.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.federation import Schema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage, SubscribeMessage
from strawberry.types.unset import UNSET, UnsetType

from ..auth.principal import Principal
from ..domain.errors import Unauthenticated
from ..resolvers.context import Context, Services
from .rate_limit import RateLimited, RateLimiter

AuthenticateHeaders = Callable[[Mapping[str, str]], Awaitable[Principal]]
MAX_SUBSCRIPTIONS = 10  # per connection: a console needs one
INIT_WAIT = timedelta(seconds=10)  # a connection that has not sent connection_init by then is closed (4408)


@dataclass(slots=True)
class SocketContext(Context):
    """One websocket connection's context: the principal is settled at ``connection_init``."""

    connection_params: dict[str, object] | None = None  # connection_init's payload (strawberry sets it)
    upgrade_principal: Principal = field(default_factory=Principal)  # the upgrade request's Authorization header


class _SubscriptionsOnly(BaseGraphQLTransportWSHandler[SocketContext, None]):
    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except Unauthenticated as exc:  # a bad token in the payload (on_ws_connect)
            await self.websocket.close(code=4401, reason=f"Unauthorized: {exc.message}"[:120])

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and not _is_subscription(message):
            error = GraphQLError(
                "this socket serves subscriptions only: send queries and mutations over HTTP (POST /graphql)",
                extensions={"code": "BAD_REQUEST"},
            )
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)


def _is_subscription(message: SubscribeMessage) -> bool:
    """Whether the message asks for a subscription; anything unparsable goes on, to be refused as strawberry does."""
    try:
        payload = message["payload"]
        operation = get_operation_ast(parse(payload["query"]), payload.get("operationName"))
    except Exception:
        return True
    return operation is None or operation.operation is OperationType.SUBSCRIPTION


class AlertsSocket(GraphQL[SocketContext, None]):
    """The websocket side of ``/graphql`` (the HTTP side is ``graphql_endpoint.GraphQLEndpoint``)."""

    graphql_transport_ws_handler_class = _SubscriptionsOnly

    def __init__(
        self,
        schema: Schema,
        services: Services,
        authenticate: AuthenticateHeaders,
        *,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=INIT_WAIT,
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
            # Consoles on any origin (a state's control room, the national portal): nothing here rides on ambient
            # credentials a foreign page could borrow (no cookies; browsers set no Authorization on a websocket),
            # so what strawberry's same-origin default guards against cannot happen; the token decides.
            allowed_origins=("*",),
        )
        self.services, self.authenticate, self.rate_limiter = services, authenticate, rate_limiter

    def decode_json(self, data: str | bytes) -> object:
        """A frame nested past the parser's depth ("[[[[...") is as malformed as any (4400): its RecursionError
        escaped strawberry's JSONDecodeError handling and left the socket open and unserved."""
        try:
            return json.loads(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        socket = WebSocket(scope, receive=receive, send=send)
        try:
            if self.rate_limiter is not None:
                await self.rate_limiter.admit_ip(socket.client.host if socket.client else None)
            principal = await self.authenticate(socket.headers)
        except RateLimited as exc:
            await _deny(socket, 429, "RATE_LIMITED", exc.message, {"Retry-After": str(exc.retry_after_s)})
            return
        except Unauthenticated as exc:
            await _deny(
                socket, 401, "UNAUTHENTICATED", exc.message, {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            )
            return
        async with self.services.sessions() as session:
            context = SocketContext(
                services=self.services,
                session=session,
                principal=principal,
                request_id=socket.headers.get("x-request-id") or Context.new_request_id(),
                upgrade_principal=principal,
            )
            await self.run(socket, context=context)

    async def on_ws_connect(self, context: SocketContext) -> UnsetType | dict[str, object] | None:
        """The payload's token, if it sends one, decides the principal (Unauthenticated: closed with 4401)."""
        params = context.connection_params or {}
        header = next((v for k, v in params.items() if k.lower() == "authorization"), None)
        if header is not None:
            if not isinstance(header, str):
                raise Unauthenticated("connection_init's Authorization must be a string: Bearer <access token>")
            context.principal = await self.authenticate({"authorization": header})
        return cast("UnsetType", UNSET)  # acknowledged without a payload


async def _deny(socket: WebSocket, status: int, code: str, message: str, headers: dict[str, str]) -> None:
    """Refuse the upgrade with an HTTP answer where the server can send one, else close before accepting (403)."""
    if "websocket.http.response" in socket.scope.get("extensions", {}):
        body: dict[str, Any] = {"errors": [{"message": message, "extensions": {"code": code}}]}
        await socket.send_denial_response(JSONResponse(body, status, headers=headers))
    else:
        await socket.close(code=1008)
