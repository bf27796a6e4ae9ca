"""The access log's rows in full (who, which client, agency, operation, entity, fields, purpose, when, which request)
for a protected read over real HTTP with a token from the embedded issuer's token endpoint; and no protected value
leaves when the log cannot be written (its table gone from the database: a real failure, not a stub)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from tests.conftest import POSTGRES_URL
from tests.factories import data, missing_input, run, seed_catalogue
from tests.live_server import serving
from trackchild_hub.app import build_services, create_app
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import AccessLogRow

REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference child { id } } }"
TRACE = """
query Trace($id: ID!) {
  case(id: $id) {
    reference
    child { gender name guardians { relation phone } }
    ... on MissingCase { reporter { relation phone } }
  }
}"""
TRAIL = """query Trail($id: ID!) { auditTrail(entityId: $id) {
  at requestId subject clientId agency operation entityType entityId fields purpose } }"""
PURPOSE = "tracing FIR 123/2026 at Howrah"
# Every protected value the seeded case holds, as the input gave it and as the hub may normalise it.
SECRETS = ("Rahul Kumar", "Raju", "Suresh Kumar", "98000 00000", "9800000000")


async def _token(client: httpx.AsyncClient, agency: str, **form: str) -> str:
    """A token from the embedded issuer's own endpoint (client credentials), as a partner would get one."""
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", **form},
        auth=(f"demo-{agency}", f"demo-{agency}-secret"),
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def _report(store: Services) -> dict[str, str]:
    await seed_catalogue(store)
    created = data(await run(store, REPORT, {"i": missing_input()}))["reportMissing"]
    return {"case": created["id"], "child": created["child"]["id"], "reference": created["reference"]}


async def _rows(store: Services) -> list[AccessLogRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(AccessLogRow).order_by(AccessLogRow.id)))


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


async def test_a_protected_read_is_logged_with_everything_about_it(store: Services, live_hub: str) -> None:
    ids = await _report(store)
    before = len(await _rows(store))
    request_id = f"req-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        token = await _token(client, "police", purpose=PURPOSE)
        started = datetime.now(UTC)
        response = await client.post(
            "/graphql",
            json={"query": TRACE, "variables": {"id": ids["case"]}, "operationName": "Trace"},
            headers={"Authorization": f"Bearer {token}", "X-Request-Id": request_id},
        )
        finished = datetime.now(UTC)
        assert response.status_code == 200
        body = response.json()
        assert "errors" not in body
        assert body["data"]["case"]["child"]["name"] == "Rahul Kumar"
        assert response.headers["x-request-id"] == request_id
        rows = (await _rows(store))[before:]
        assert [(r.entity_type, r.entity_id, r.fields) for r in rows] == [
            ("Child", ids["child"], ["guardians", "name", "phone"]),
            ("MissingCase", ids["case"], ["phone"]),
        ]
        for row in rows:
            assert (row.subject, row.client_id, row.agency) == ("demo-police", "demo-police", "police")
            assert (row.operation, row.purpose, row.request_id) == ("Trace", PURPOSE, request_id)
            assert started <= row.at <= finished, (started, row.at, finished)
        assert rows[1].prev_hash == rows[0].hash  # one chain, in the order written

        # The same rows through auditTrail, for a national auditor: what an oversight body would read.
        auditor = await _token(client, "cpsu")
        trail = await client.post(
            "/graphql",
            json={"query": TRAIL, "variables": {"id": ids["child"]}},
            headers={"Authorization": f"Bearer {auditor}"},
        )
        entries = trail.json()["data"]["auditTrail"]
        mine = [e for e in entries if e["requestId"] == request_id]
        assert len(mine) == 1
        entry = mine[0]
        assert datetime.fromisoformat(entry.pop("at")) == rows[0].at
        assert entry == {
            "requestId": request_id,
            "subject": "demo-police",
            "clientId": "demo-police",
            "agency": "police",
            "operation": "Trace",
            "entityType": "Child",
            "entityId": ids["child"],
            "fields": ["guardians", "name", "phone"],
            "purpose": PURPOSE,
        }


async def test_no_purpose_claim_is_logged_as_none_and_an_unprotected_read_is_not_logged(
    store: Services, live_hub: str
) -> None:
    ids = await _report(store)
    before = len(await _rows(store))
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        token = await _token(client, "cwc")
        headers = {"Authorization": f"Bearer {token}"}
        plain = "query Plain($id: ID!) { case(id: $id) { reference child { gender } } }"
        served = await client.post("/graphql", json={"query": plain, "variables": {"id": ids["case"]}}, headers=headers)
        assert served.json() == {"data": {"case": {"reference": ids["reference"], "child": {"gender": "MALE"}}}}
        assert len(await _rows(store)) == before
        read = await client.post("/graphql", json={"query": TRACE, "variables": {"id": ids["case"]}}, headers=headers)
        assert "errors" not in read.json()
    rows = (await _rows(store))[before:]
    assert [(r.agency, r.client_id, r.operation, r.purpose) for r in rows] == [("cwc", "demo-cwc", "Trace", None)] * 2


@pytest.fixture(params=["sqlite", "postgresql"])
async def logless(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Services]:
    """A store of its own whose access-log table has been dropped, on each backend (the shared one stays whole)."""
    schema = f"hub_nolog_{os.getpid()}" if request.param == "postgresql" else None
    url = f"sqlite+aiosqlite:///{tmp_path / 'nolog.db'}" if schema is None else POSTGRES_URL
    if schema:
        await _ddl(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
    services = build_services(Settings(database_url=url, database_schema=schema, data_dir=tmp_path / "data"))
    try:
        await upgrade(services.engine, services.geography)
        yield services
    finally:
        await services.engine.dispose()
        if schema:
            await _ddl(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


async def _ddl(*statements: str) -> None:
    engine = create_engine(POSTGRES_URL)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def test_nothing_protected_leaves_when_the_log_cannot_be_written(logless: Services) -> None:
    ids = await _report(logless)
    async with logless.engine.begin() as conn:
        await conn.execute(text("DROP TABLE access_log"))
    with serving(create_app(logless.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            headers = {"Authorization": f"Bearer {await _token(client, 'police', purpose=PURPOSE)}"}
            # Nothing protected asked: nothing to log, so the log's absence changes nothing.
            plain = "query($id: ID!) { case(id: $id) { reference child { gender } } }"
            served = await client.post(
                "/graphql", json={"query": plain, "variables": {"id": ids["case"]}}, headers=headers
            )
            assert served.json()["data"]["case"]["reference"] == ids["reference"]
            # Protected fields asked: they cannot be logged, so none of them (nor anything else) is served.
            read = await client.post(
                "/graphql", json={"query": TRACE, "variables": {"id": ids["case"]}}, headers=headers
            )
            _assert_withheld(read)
            # The same through a mutation's answer: the write may stand, the identity in its answer may not leave.
            wrote = await client.post(
                "/graphql",
                json={
                    "query": "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { child { name } } }",
                    "variables": {"i": missing_input()},
                },
                headers=headers,
            )
            _assert_withheld(wrote)
            federated = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Child { name aliases } } }"
            entities = await client.post(
                "/graphql",
                json={"query": federated, "variables": {"r": [{"__typename": "Child", "id": ids["child"]}]}},
                headers=headers,
            )
            _assert_withheld(entities)


def _assert_withheld(response: httpx.Response) -> None:
    body = response.json()
    raw = json.dumps(body, ensure_ascii=False)
    assert not [s for s in SECRETS if s in raw], raw
    assert body.get("data") is None, body
    assert body["errors"], body
    assert all("access log" in e["message"] for e in body["errors"]), body
