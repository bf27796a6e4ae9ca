"""The hub recovers when PostgreSQL drops its connections (a restart, a failover, an administrator's
``pg_terminate_backend``) without pinging every connection it checks out (store/engine.py pings only idle ones):

- a connection idle past ``idle_ping_s`` is pinged and replaced before use;
- one used a moment ago fails its first statement: the read runs again once on a new connection, and so does the
  access log's batch, which never lands twice even when the lost statement had committed.

Only this test's connections are terminated: they carry an application_name of their own.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import POSTGRES_URL
from tests.factories import WB, data, exchange_record, run, seed_catalogue, today
from trackchild_hub.audit import append as append_module
from trackchild_hub.audit.anchor import Anchor
from trackchild_hub.audit.keys import AuditKey, AuditKeys
from trackchild_hub.audit.log import Reader
from trackchild_hub.audit.verify import verify
from trackchild_hub.audit.writer import AccessLogWriter
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.engine import create_engine, session_factory
from trackchild_hub.store.models import AccessLogRow

pytestmark = pytest.mark.parametrize("migrated", ["postgresql"], indirect=True)  # SQLite has no connection to lose

NATIONAL = Principal.for_agency(Agency.CPSU, subject="cpsu-1")
PAGE = """query Page($state: String!) {
  cases(first: 10, filter: {state: $state}) { edges { node { reference child { name } } } }
}"""
KEY = AuditKey("k1", b"1" * 32)


def hub_on_own_connections(store: Services, anchor: Path, name: str, idle_ping_s: float) -> Services:
    """The store's services on an engine of their own, whose connections PostgreSQL lists under ``name``."""
    engine = create_engine(
        POSTGRES_URL, schema=store.settings.database_schema, idle_ping_s=idle_ping_s, application_name=name
    )
    sessions = session_factory(engine)
    keys = AuditKeys([KEY])
    return replace(
        store, engine=engine, sessions=sessions, access_log=AccessLogWriter(sessions, keys, Anchor(anchor, keys))
    )


async def terminate(store: Services, name: str) -> int:
    async with store.engine.connect() as conn:
        query = text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = :name"
        )
        killed = int((await conn.execute(query, {"name": name})).scalar_one())
        await conn.commit()
    return killed


async def logged(store: Services, anchor: Path) -> tuple[bool, int, int | None]:
    keys = AuditKeys([KEY])
    async with store.sessions() as session:
        verdict = await verify(session, keys, Anchor(anchor, keys))
    return verdict.intact, verdict.rows, verdict.anchored


async def seeded(store: Services) -> None:
    await seed_catalogue(store)
    lines = [json.dumps(exchange_record(n, "MISSING")) for n in range(12)]
    assert (await import_cases(store.sessions, lines, store.geography, today())).created == 12


@pytest.mark.parametrize("idle_ping_s", [0.0, 3600.0], ids=["pinged-when-idle", "retried-after-use"])
async def test_pages_are_served_right_after_postgresql_drops_the_connections(
    store: Services, tmp_path: Path, idle_ping_s: float
) -> None:
    await seeded(store)
    name = f"hub-reconnect-{uuid.uuid4().hex[:12]}"
    anchor = tmp_path / "anchor.json"
    hub = hub_on_own_connections(store, anchor, name, idle_ping_s)
    try:
        for round_ in range(3):
            page = data(await run(hub, PAGE, {"state": WB}, principal=NATIONAL))
            assert len(page["cases"]["edges"]) == 10
            assert all(edge["node"]["child"]["name"] for edge in page["cases"]["edges"])
            killed = await terminate(store, name)
            print(f"round {round_}: {killed} connections terminated")
            assert killed >= 1  # the page's pooled connections (read, access log) were there to kill
        page = data(await run(hub, PAGE, {"state": WB}, principal=NATIONAL))  # and once more after the last kill
        assert len(page["cases"]["edges"]) == 10
    finally:
        await hub.engine.dispose()
    assert await logged(store, anchor) == (True, 40, 40)  # every page's ten names logged once


async def test_an_access_log_batch_whose_statement_committed_but_whose_answer_was_lost_lands_once(
    store: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchor = tmp_path / "anchor.json"
    hub = hub_on_own_connections(store, anchor, f"hub-lost-{uuid.uuid4().hex[:12]}", 3600.0)
    writer = hub.access_log
    real_swap = append_module._swap_postgresql
    lost = [0]

    async def committed_then_lost(session: Any, *args: Any) -> Any:
        found = await real_swap(session, *args)
        if not lost[0]:  # the first one commits, then its connection "drops" before the answer arrives
            lost[0] += 1
            raise DBAPIError("swap", {}, ConnectionResetError("connection lost"), connection_invalidated=True)
        return found

    try:
        await writer.write(Reader("warm", "s", "c", "cpsu", "Test", None), [("Child", "c-0", ["name"])])
        monkeypatch.setattr(append_module, "_swap_postgresql", committed_then_lost)
        await writer.write(Reader("lost", "s", "c", "cpsu", "Test", None), [("Child", "c-1", ["name"])])
        await writer.write(Reader("after", "s", "c", "cpsu", "Test", None), [("Child", "c-2", ["name"])])
    finally:
        await hub.engine.dispose()
    assert lost == [1]
    async with store.sessions() as session:
        ids = list(await session.scalars(select(AccessLogRow.request_id).order_by(AccessLogRow.id)))
        assert await session.scalar(select(func.count()).select_from(AccessLogRow)) == 3
    assert ids == ["warm", "lost", "after"]
    assert await logged(store, anchor) == (True, 3, 3)
