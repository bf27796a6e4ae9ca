"""The fast refusal (http/admission_gate.py): with every slot and the queue taken, ``/graphql`` is answered 503 with
``Retry-After`` and the endpoint's GraphQL-shaped body by the outermost layer, before the body is read and without
reaching the app; counted in /metrics as before; other paths, the GraphiQL page and a hub with room pass through."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from trackchild_hub.app import create_app
from trackchild_hub.http.admission import Admission
from trackchild_hub.http.admission_gate import AdmissionGate
from trackchild_hub.http.metrics import Metrics
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Capacity, RateLimits


class Inner:
    """The app behind the gate: records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


async def call(gate: AdmissionGate, path: str, method: str = "POST", **headers: str) -> tuple[list[Message], int]:
    """One request through the gate; returns the messages sent and how often the body was asked for."""
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[Message] = []
    reads = [0]

    async def receive() -> Message:
        reads[0] += 1
        return {"type": "http.request", "body": b'{"query": "{ __typename }"}', "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await gate(scope, receive, send)
    return sent, reads[0]


def full_admission(refusals: list[str]) -> Admission:
    admission = Admission(1, 0, 0.0, on_refused=refusals.append)
    admission.in_flight = 1  # the only slot taken, no queue: full
    return admission


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/json", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json"),
    ],
)
async def test_a_full_hub_refuses_at_the_gate_without_reading_the_body(accept: str, media: str) -> None:
    refusals: list[str] = []
    inner, metrics = Inner(), Metrics()
    gate = AdmissionGate(inner, full_admission(refusals), metrics)
    for _ in range(2):  # the second from the prepared answer
        sent, reads = await call(gate, "/graphql", accept=accept)
        start, body = sent
        headers = {k.decode(): v.decode() for k, v in start["headers"]}
        assert (start["status"], headers["retry-after"], headers["content-type"]) == (503, "1", media)
        answer = json.loads(body["body"])
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["SERVICE_UNAVAILABLE"]
        assert int(headers["content-length"]) == len(body["body"])
        assert reads == 0
    assert inner.paths == []
    assert refusals == ["queue_full", "queue_full"]
    assert metrics.requests.labels("POST", "/graphql", "503")._value.get() == 2


async def test_other_paths_the_ide_and_a_hub_with_room_pass_through() -> None:
    refusals: list[str] = []
    inner = Inner()
    full = AdmissionGate(inner, full_admission(refusals), Metrics())
    assert (await call(full, "/healthz", method="GET"))[0][0]["status"] == 200
    assert (await call(full, "/graphql", method="GET", accept="text/html"))[0][0]["status"] == 200  # GraphiQL
    assert (await call(full, "/graphql", accept="text/plain"))[0][0]["status"] == 200  # the endpoint's 406
    room = AdmissionGate(inner, Admission(1, 0, 0.0, on_refused=refusals.append), Metrics())
    assert (await call(room, "/graphql"))[0][0]["status"] == 200
    assert inner.paths == ["/healthz", "/graphql", "/graphql", "/graphql"]
    assert refusals == []


async def test_the_hub_answers_a_refusal_from_the_gate_and_counts_it(store: Services) -> None:
    settings = replace(
        store.settings,
        capacity=Capacity(db_pool_size=1, db_max_overflow=0, max_in_flight=1, max_queued=0),
        rate_limits=RateLimits(per_ip=None, per_client=None),
    )
    app = create_app(settings)
    gate = next(m for m in app.user_middleware if getattr(m.cls, "__name__", None) == AdmissionGate.__name__)
    admission = gate.kwargs["admission"]
    assert isinstance(admission, Admission)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as client:
            async with admission.slot():  # a request executing: the hub is full
                refused = await client.post("/graphql", json={"query": "{ __typename }"})
                assert (await client.get("/healthz")).status_code == 200
            served = await client.post("/graphql", json={"query": "{ __typename }"})
            metrics = (await client.get("/metrics")).text
    finally:
        await app.state.shutdown()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert served.status_code == 200
    assert served.json() == {"data": {"__typename": "Query"}}
    assert 'hub_http_refused_total{reason="queue_full"} 1.0' in metrics
    assert 'hub_http_requests_total{method="POST",route="/graphql",status="503"} 1.0' in metrics
