"""Prometheus metrics of the HTTP edge (``/metrics``), on a registry of the app's own (several apps, one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from .admission import Admission

# Labels take the route, never the raw path: ids in paths would make a series per record.
ROUTES = frozenset(
    {
        "/graphql",
        "/healthz",
        "/readyz",
        "/metrics",
        "/oauth/token",
        "/.well-known/jwks.json",
        "/.well-known/openid-configuration",
    }
)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hub_http_requests", "HTTP requests served", ["method", "route", "status"], registry=self.registry
        )
        self.seconds = Histogram(
            "hub_http_request_seconds",
            "Time to serve an HTTP request",
            ["route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

        self.refusals = Counter(
            "hub_http_refused",
            "Requests to /graphql answered 503 at once because the hub was at capacity, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.in_flight = Gauge("hub_graphql_in_flight", "Requests to /graphql executing", registry=self.registry)
        self.queued = Gauge("hub_graphql_queued", "Requests to /graphql waiting to execute", registry=self.registry)

    def refused(self, reason: str) -> None:
        self.refusals.labels(reason).inc()

    def watch(self, admission: Admission) -> None:
        """Read the admission bounds' occupancy at each scrape."""
        self.in_flight.set_function(lambda: admission.in_flight)
        self.queued.set_function(lambda: admission.queued)

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        route = path if path in ROUTES else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.seconds.labels(route).observe(seconds)

    async def endpoint(self, _: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
