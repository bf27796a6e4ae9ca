"""The access log's batch in few statements (audit/append.py), on both databases: one statement and no BEGIN/COMMIT on
PostgreSQL and two on SQLite once the writer knows the head; a wrong guess (another process appended) costs one more
and still leaves one chain; writers racing on one database leave one chain that verifies, with an anchor that agrees.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from trackchild_hub.audit import append as append_module
from trackchild_hub.audit.anchor import Anchor
from trackchild_hub.audit.keys import AuditKey, AuditKeys
from trackchild_hub.audit.log import Reader
from trackchild_hub.audit.verify import verify
from trackchild_hub.audit.writer import AccessLogWriter
from trackchild_hub.resolvers.context import Services

KEY = AuditKey("k1", b"1" * 32)


def _writer(store: Services, anchor: Path) -> AccessLogWriter:
    keys = AuditKeys([KEY])
    return AccessLogWriter(store.sessions, keys, Anchor(anchor, keys))


async def _write(writer: AccessLogWriter, tag: str, entities: int = 3) -> None:
    reader = Reader(tag, "officer-1", "demo-police", "police", "Test", None)
    await writer.write(reader, [("Child", f"child-{tag}-{n}", ["name"]) for n in range(entities)])


@contextmanager
def counted(store: Services) -> Iterator[dict[str, int]]:
    """Statements sent, and transactions begun on a connection that is not in autocommit (a BEGIN and a COMMIT)."""
    seen = {"statements": 0, "transactions": 0}

    def statement(*_: Any) -> None:
        seen["statements"] += 1

    def begin(conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            seen["transactions"] += 1

    engine = store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)


async def _verified(store: Services, anchor: Path) -> tuple[bool, int, int | None]:
    keys = AuditKeys([KEY])
    async with store.sessions() as session:
        verdict = await verify(session, keys, Anchor(anchor, keys))
    return verdict.intact, verdict.rows, verdict.anchored


async def test_a_batch_is_one_statement_on_postgresql_and_two_on_sqlite(store: Services, tmp_path: Path) -> None:
    postgresql = store.engine.dialect.name == "postgresql"
    writer = _writer(store, tmp_path / "anchor.json")
    with counted(store) as first:
        await _write(writer, "first")  # the head is not known yet: learnt by a swap that misses
    counts = []
    for n in range(3):
        with counted(store) as seen:
            await _write(writer, f"next-{n}", entities=1 + 20 * n)  # the same whatever the batch's size
        counts.append(dict(seen))
    print("first batch:", dict(first), "then:", counts)
    assert first["statements"] == (2 if postgresql else 3)
    if postgresql:
        assert counts == [{"statements": 1, "transactions": 0}] * 3  # one round trip: no BEGIN, no COMMIT
    else:
        assert [c["statements"] for c in counts] == [2, 2, 2]
    assert await _verified(store, tmp_path / "anchor.json") == (True, 3 + 1 + 21 + 41, 66)


async def test_a_head_moved_by_another_writer_costs_one_statement_more(store: Services, tmp_path: Path) -> None:
    postgresql = store.engine.dialect.name == "postgresql"
    anchor = tmp_path / "anchor.json"
    mine, other = _writer(store, anchor), _writer(store, anchor)  # as two processes on one database
    await _write(mine, "warm")
    costs = []
    for n in range(4):
        await _write(other, f"other-{n}")  # every time: my guess is wrong
        with counted(store) as seen:
            await _write(mine, f"mine-{n}")
        costs.append(seen["statements"])
    print("statements of a batch after another writer's:", costs)
    assert costs == [2 if postgresql else 3] * 4
    assert await _verified(store, anchor) == (True, 27, 27)


@pytest.mark.parametrize("optimistic_tries", [3, 0])
async def test_writers_racing_leave_one_chain_and_a_true_anchor(
    store: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, optimistic_tries: int
) -> None:
    # 0: every batch whose guess is wrong goes straight to the locked path (what a batch losing many races does).
    monkeypatch.setattr(append_module, "OPTIMISTIC_TRIES", optimistic_tries)
    anchor = tmp_path / "anchor.json"
    writers = [_writer(store, anchor) for _ in range(4)]

    async def appending(index: int, writer: AccessLogWriter) -> None:
        for n in range(8):
            await _write(writer, f"w{index}-{n}", entities=2)

    await asyncio.gather(*(appending(i, w) for i, w in enumerate(writers)))
    assert await _verified(store, anchor) == (True, 4 * 8 * 2, 64)
