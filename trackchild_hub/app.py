"""The composition root: ``create_app(settings)`` wires store, auth, schema and routes; nothing connects at import."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import replace

import httpx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from .audit.writer import AccessLogWriter
from .auth.bearer import principal_from_headers
from .auth.dev_issuer import DevIssuer
from .auth.oidc import OidcKeys
from .auth.principal import Principal
from .auth.tokens import JwtVerifier
from .connectors.config import ConnectorType, load_connectors
from .connectors.graphql import GraphQLConnector
from .connectors.port import Connector
from .connectors.rest import RestConnector
from .domain.geography import load_geography
from .gateways.alert_bus import AlertBus
from .gateways.build import gateways
from .http.admission import Admission
from .http.admission_gate import AdmissionGate
from .http.alerts_socket import AlertsSocket
from .http.case_page import case_page_routes
from .http.citizen_report_page import citizen_report_page_routes
from .http.graphiql import graphiql_routes
from .http.graphql_endpoint import GraphQLEndpoint
from .http.issuer_routes import issuer_routes
from .http.metrics import Metrics
from .http.photos import photo_routes
from .http.rate_limit import RateLimiter
from .http.reports import ReportRoutes
from .http.request_log import RequestLog
from .resolvers.context import Services
from .schema.build import build_schema
from .services import live_alerts
from .services.alert_jobs import alert_rules_forever
from .services.alerts import arrival_alerter
from .services.dispatch import Dispatcher, dispatch_forever
from .services.match_service import MatchService
from .services.match_snapshot_build import ChildBuilder, snapshot_file, store_key
from .services.proposals import propose_forever, proposer
from .services.public_notices import warm_notice_search
from .services.workflow import workflow_forever
from .settings import Settings, SettingsError
from .store.engine import engine_for, session_factory
from .store.file_store import photo_shelf
from .sync.worker import sync_forever


def build_services(settings: Settings) -> Services:
    engine = engine_for(settings)
    sessions = session_factory(engine)
    geography = load_geography()
    alert_bus = AlertBus(settings.redis_url, settings.live_alerts_channel)
    live_alerts.connect(sessions, settings, alert_bus)  # what commits to the outbox reaches subscribed consoles
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        geography=geography,
        access_log=AccessLogWriter.for_settings(settings, sessions),
        matcher=MatchService(
            sessions, geography, snapshot_file(settings), store_key(settings), child_build=ChildBuilder(settings)
        ),
        photos=photo_shelf(settings),
        alert_bus=alert_bus,
    )


def dev_issuer(settings: Settings) -> DevIssuer:
    if settings.production:
        raise SettingsError("the embedded dev issuer is refused when TRACKCHILD_ENV=production")
    return DevIssuer.load_or_create(settings.data_dir / "issuer", settings.public_url, settings.audience)


def build_connectors(settings: Settings, http: httpx.AsyncClient, secrets: Mapping[str, str]) -> tuple[Connector, ...]:
    """The connectors file's systems; ``secrets`` is the environment their ``secret_env`` names point into.

    They share ``http``; each may hold connections of its own (a token endpoint's): ``aclose()`` each on shutdown.
    """
    if settings.connectors is None:
        return ()
    geography = load_geography()
    adapters: dict[ConnectorType, type[RestConnector | GraphQLConnector]] = {
        ConnectorType.REST: RestConnector,
        ConnectorType.GRAPHQL: GraphQLConnector,
    }
    configs = load_connectors(settings.connectors, secrets, geography)
    return tuple(adapters[config.type](config, http, geography) for config in configs)


STOP_GRACE_S = 0.5  # a shutdown waits this long for background work (a proposal round, a sync) to reach a pause


def freeze_startup_heap() -> None:
    """Put what startup built (modules, the schema, the app: ~150,000 objects) out of the cyclic collector's reach.

    They live as long as the process, yet each full collection walked them all: measured on the nested case page
    (2,000 requests, PostgreSQL), 25 full collections of up to 128 ms each, every request stopped meanwhile (p99 133
    ms); frozen, the longest 16 ms (p99 39 ms) and 5% less CPU per request. Once per process: a later app (tests
    build many) would pin whatever earlier ones left alive."""
    global _heap_frozen
    if not _heap_frozen:
        gc.collect()
        gc.freeze()
        _heap_frozen = True


_heap_frozen = False


def quiet_http_client_logs() -> None:
    """httpx logs each request's URL at INFO, and a connector's search URL carries the name searched for."""
    logging.getLogger("httpx").setLevel(logging.WARNING)


def create_app(
    settings: Settings,
    *,
    secrets: Mapping[str, str] | None = None,
    sync_every_s: float | None = None,
    mounts: Sequence[BaseRoute] = (),
) -> Starlette:
    """The hub. ``sync_every_s``: pull every connector's changes in the background, pausing that long between
    rounds. ``mounts``: extra ASGI apps (the demo's in-process state-system simulators)."""
    quiet_http_client_logs()
    http = httpx.AsyncClient(timeout=10.0)
    services = replace(build_services(settings), connectors=build_connectors(settings, http, secrets or {}))
    schema = build_schema(
        mask_internal_errors=settings.production,
        public_may_introspect=not settings.production,
        query_limits=settings.query_limits,
    )
    routes: list[BaseRoute] = []
    if settings.oidc_issuer:
        keys = OidcKeys(
            settings.oidc_issuer,
            http,
            min_refresh_s=settings.jwks_refresh_min_s,
            max_refresh_s=settings.jwks_refresh_max_s,
            retry_s=settings.jwks_retry_s,
        )
        verifier = JwtVerifier(keys, settings.audience)
    else:
        issuer = dev_issuer(settings)
        verifier = JwtVerifier(issuer, settings.audience)
        routes += issuer_routes(issuer)

    async def authenticate(request: Request) -> Principal:
        return await principal_from_headers(request.headers, verifier)

    metrics = Metrics()
    rate_limiter = RateLimiter(settings.rate_limits, settings.redis_url)
    admission = Admission.for_capacity(settings.process_capacity, on_refused=metrics.refused)
    metrics.watch(admission)
    graphql = GraphQLEndpoint(
        schema, services, authenticate, ide=not settings.production, rate_limiter=rate_limiter, admission=admission
    )
    socket = AlertsSocket(
        schema, services, lambda headers: principal_from_headers(headers, verifier), rate_limiter=rate_limiter
    )
    if not settings.production:
        routes += graphiql_routes()
    routes += case_page_routes()  # where alerts link to (<public url>/cases/<reference>), production too
    routes += citizen_report_page_routes()  # overdue citizen reports' alerts (<public url>/citizen-reports/<ref>)
    if services.photos is not None:
        routes += photo_routes(services.photos)
    # /reports/stats.csv ... /reports/progress.pdf: the same token, scope, rate limits and admission bound as /graphql
    routes += ReportRoutes(services, authenticate, rate_limiter=rate_limiter, admission=admission).routes()

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> Response:
        try:
            async with services.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            return JSONResponse({"ready": False, "database": type(exc).__name__}, 503)
        return JSONResponse({"ready": True})

    stop_workers = asyncio.Event()
    workers: list[asyncio.Task[None]] = []

    async def shutdown() -> None:
        stop_workers.set()
        if workers:  # each ends at its next pause; one in the middle of a round is cancelled after the grace period
            _, busy = await asyncio.wait(workers, timeout=STOP_GRACE_S)
            for task in busy:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if services.matcher is not None:
            services.matcher.close()
        for connector in services.connectors:
            await connector.aclose()
        await http.aclose()
        await rate_limiter.aclose()
        await services.alert_bus.aclose()
        await services.engine.dispose()

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        workers.append(asyncio.create_task(propose_forever(services, settings.propose_every_s, stop_workers)))
        workers.append(asyncio.create_task(warm_notice_search(services)))  # public text search ready before asked
        # overdue citizen reports, the daily digest (every process may run them: each is done once)
        rules = alert_rules_forever(services.sessions, settings, services.geography, stop_workers)
        workers.append(asyncio.create_task(rules))
        # the case workflow (AHTU escalations, overdue reports): every worker runs it; the leases let one at a time
        workflow = workflow_forever(services.sessions, settings.workflow_every_s, stop_workers, settings)
        workers.append(asyncio.create_task(workflow))
        if ways := gateways(settings.alerting, http):  # alerts from the outbox, while the hub serves
            dispatcher = Dispatcher(services.sessions, settings.alerting, ways)
            workers.append(asyncio.create_task(dispatch_forever(dispatcher, settings.alerting.every_s, stop_workers)))
        if sync_every_s is not None and services.connectors:
            connectors = services.connectors
            syncing = sync_forever(
                services.sessions,
                services.geography,
                connectors,
                sync_every_s,
                stop_workers,
                proposer(services),
                arrival_alerter(settings, services.geography),
            )
            workers.append(asyncio.create_task(syncing))
        services.alert_bus.start()  # subscribed to the other hubs' live alerts from the start
        freeze_startup_heap()
        yield
        await shutdown()

    app = Starlette(
        routes=[
            Route("/graphql", graphql.handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            WebSocketRoute("/graphql", socket),  # subscriptions (graphql-transport-ws)
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            *routes,
            *mounts,
        ],
        lifespan=lifespan,
        # The gate first: a refusal under overload costs nothing of routing or the request log (admission_gate.py).
        middleware=[
            Middleware(AdmissionGate, admission=admission, metrics=metrics),
            Middleware(RequestLog, metrics=metrics),
        ],
    )
    app.state.services = services
    app.state.schema = schema
    app.state.shutdown = shutdown  # for hosts that skip the ASGI lifespan (in-process test clients)
    return app
