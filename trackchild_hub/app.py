"""The composition root: ``create_app(settings)`` wires store, schema and routes; nothing connects at import."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .auth.bearer import principal_without_issuer
from .auth.principal import Principal
from .domain.geography import load_geography
from .http.access_log import AccessLog
from .http.graphql_endpoint import GraphQLEndpoint
from .resolvers.context import Services
from .schema.build import build_schema
from .settings import Settings
from .store.engine import engine_for, session_factory

Authenticate = Callable[[Request], Awaitable[Principal]]


def build_services(settings: Settings) -> Services:
    engine = engine_for(settings)
    return Services(settings=settings, engine=engine, sessions=session_factory(engine), geography=load_geography())


def create_app(settings: Settings, *, authenticate: Authenticate | None = None) -> Starlette:
    services = build_services(settings)
    schema = build_schema(mask_internal_errors=settings.production)

    async def from_headers(request: Request) -> Principal:
        return await principal_without_issuer(request.headers)

    graphql = GraphQLEndpoint(schema, services, authenticate or from_headers, ide=not settings.production)

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> Response:
        try:
            async with services.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            return JSONResponse({"ready": False, "database": type(exc).__name__}, 503)
        return JSONResponse({"ready": True})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await services.engine.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql.handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
        middleware=[Middleware(AccessLog)],
    )
    app.state.services = services
    app.state.schema = schema
    return app
