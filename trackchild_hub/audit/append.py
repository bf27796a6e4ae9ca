"""Writing a batch of reads to the access log in as few round trips as the database allows.

Each row's link is a MAC over the link before it, computed here, so a batch needs the chain's head before its rows
exist. Rather than lock and read the head and then write (two round trips plus BEGIN and COMMIT), the writer guesses
the head (the one its own last batch left) and sends one compare-and-swap: move the head from the guess to the
batch's last link, and insert the rows only if it moved. The statement returns the head it found, so a wrong guess
(another process appended meanwhile) costs one more statement with the head it now knows.

PostgreSQL: the swap and the insert are one statement (a data-modifying CTE, the rows as arrays through ``unnest``:
one prepared statement whatever the batch size), atomic on its own, so it runs without BEGIN/COMMIT: one round trip
per batch. A concurrent swap waits on the head row's lock and then sees the new head (READ COMMITTED re-reads the row
it waited for), so two appenders never both win with the same guess. After a few lost races the batch goes into a
transaction whose first swap leaves the head row locked, so the second one cannot lose.

SQLite (no data-modifying CTE): in a transaction, the swap (which takes the database's write lock) and, when it
moved the head, one ``executemany`` insert; a wrong guess adds one swap, made under the lock already held.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, DateTime, Integer, String, Text, and_, bindparam, case, insert, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..store.engine import is_disconnect
from ..store.models import AccessLogRow, AuditHeadRow
from ..store.models.base import utcnow
from .keys import AuditKey
from .log import Entries, Reader, chained

OPTIMISTIC_TRIES = 3  # one-statement swaps before a batch takes the head's lock (PostgreSQL)


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's length and last link, as ``audit_head`` holds them."""

    length: int
    last_hash: str


UNKNOWN = Head(-1, "")  # a guess that never matches: the first swap of a process only learns the head


def on_postgresql(sessions: async_sessionmaker[AsyncSession]) -> bool:
    bind = sessions().bind  # a session not begun holds no connection
    return bind is not None and bind.dialect.name == "postgresql"


async def append(
    sessions: async_sessionmaker[AsyncSession],
    reads: list[tuple[Reader, Entries]],
    key: AuditKey,
    guess: Head | None,
    *,
    postgresql: bool,
) -> Head | None:
    """Append ``reads`` (one batch: the reads of one or more requests), each row keyed with ``key``, committed when
    this returns. ``guess``: the head as this process last left it (None: not known). Returns the new head (for the
    anchor and the next guess), or None when there was nothing to add.

    A lost connection (a restarted database) is tried again once, on a new one. The lost statement may have committed:
    the retry first learns the head without inserting (``UNKNOWN``), and a head this batch already produced (its last
    link is a MAC over its own rows) means it did."""
    if not any(entries for _, entries in reads):
        return None
    now = utcnow()
    produced: set[Head] = set()  # the heads this batch's attempts would leave: finding one means it is in
    if postgresql and guess is not None:
        try:
            for _ in range(OPTIMISTIC_TRIES):
                rows, wanted = _batch(reads, key, guess, now)
                produced.add(wanted)
                async with sessions() as session:
                    # No BEGIN/COMMIT: the one statement is its own transaction.
                    await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                    found = await _swap_postgresql(session, guess, wanted, rows)
                if found in produced:
                    return found
                guess = found
        except DBAPIError as exc:
            if not is_disconnect(exc):
                raise
            guess = UNKNOWN
    swap = _swap_postgresql if postgresql else _swap_sqlite
    try:
        return await _locked(sessions, swap, reads, key, guess or UNKNOWN, now, produced)
    except DBAPIError as exc:
        if not is_disconnect(exc):
            raise
    return await _locked(sessions, swap, reads, key, UNKNOWN, now, produced)


Swap = Callable[[AsyncSession, Head, Head, list[dict[str, Any]]], Awaitable[Head]]


async def _locked(
    sessions: async_sessionmaker[AsyncSession],
    swap: Swap,
    reads: list[tuple[Reader, Entries]],
    key: AuditKey,
    guess: Head,
    now: datetime,
    produced: set[Head],
) -> Head:
    """In a transaction whose first swap, hit or miss, leaves the head row locked (PostgreSQL) or holds the database's
    write lock (SQLite): a second swap, from the head the first one found, cannot miss."""
    async with sessions() as session, session.begin():
        rows, wanted = _batch(reads, key, guess, now)
        produced.add(wanted)
        found = await swap(session, guess, wanted, rows)
        if found in produced:
            return found
        rows, wanted = _batch(reads, key, found, now)
        produced.add(wanted)
        found = await swap(session, found, wanted, rows)
        if found != wanted:
            raise RuntimeError(f"the access log's head moved while locked ({found} instead of {wanted})")
    return found


def _batch(
    reads: list[tuple[Reader, Entries]], key: AuditKey, head: Head, now: datetime
) -> tuple[list[dict[str, Any]], Head]:
    rows = chained(reads, key, head.last_hash, now)
    return rows, Head(head.length + len(rows), rows[-1]["hash"])


_head = AuditHeadRow.metadata.tables[AuditHeadRow.__tablename__]
_log = AccessLogRow.metadata.tables[AccessLogRow.__tablename__]


def _swapped_head(guess: Head, wanted: Head) -> Any:
    """``UPDATE audit_head``: to ``wanted`` if it holds ``guess``, else unchanged (yet locked); returns its head."""
    matches = and_(_head.c.length == guess.length, _head.c.last_hash == guess.last_hash)
    return (
        update(_head)
        .where(_head.c.id == 1)
        .values(
            length=case((matches, wanted.length), else_=_head.c.length),
            last_hash=case((matches, wanted.last_hash), else_=_head.c.last_hash),
        )
        .returning(_head.c.length, _head.c.last_hash)
    )


async def _swap_sqlite(session: AsyncSession, guess: Head, wanted: Head, rows: list[dict[str, Any]]) -> Head:
    found = _found((await session.execute(_swapped_head(guess, wanted))).first())
    if found == wanted:
        await session.execute(insert(_log), rows)
    return found


_COLUMNS = (
    ("at", "timestamptz", DateTime(timezone=True)),
    ("request_id", "text", String()),
    ("subject", "text", String()),
    ("client_id", "text", String()),
    ("agency", "text", String()),
    ("operation", "text", String()),
    ("entity_type", "text", String()),
    ("entity_id", "text", String()),
    ("fields", "text", Text()),  # JSON text, cast to json per row
    ("purpose", "text", String()),
    ("key_id", "text", String()),
    ("prev_hash", "text", String()),
    ("hash", "text", String()),
)
_MATCHES = "length = :old_length AND last_hash = :old_hash"
_PG_SWAP = text(
    f"""
WITH head AS (
    UPDATE audit_head
    SET length = CASE WHEN {_MATCHES} THEN :new_length ELSE length END,
        last_hash = CASE WHEN {_MATCHES} THEN :new_hash ELSE last_hash END
    WHERE id = 1
    RETURNING length, last_hash
), added AS (
    INSERT INTO access_log ({", ".join(name for name, _, _ in _COLUMNS)})
    SELECT {", ".join("r.fields::json" if name == "fields" else f"r.{name}" for name, _, _ in _COLUMNS)}
    FROM unnest({", ".join(f"CAST(:{name} AS {sql}[])" for name, sql, _ in _COLUMNS)})
        WITH ORDINALITY AS r({", ".join(name for name, _, _ in _COLUMNS)}, position)
    WHERE EXISTS (SELECT FROM head WHERE head.length = :new_length AND head.last_hash = :new_hash)
    ORDER BY r.position
)
SELECT length, last_hash FROM head"""
).bindparams(
    bindparam("old_length", type_=Integer()),
    bindparam("old_hash", type_=String()),
    bindparam("new_length", type_=Integer()),
    bindparam("new_hash", type_=String()),
    *(bindparam(name, type_=ARRAY(kind)) for name, _, kind in _COLUMNS),
)


async def _swap_postgresql(session: AsyncSession, guess: Head, wanted: Head, rows: list[dict[str, Any]]) -> Head:
    columns: dict[str, list[Any]] = {name: [row[name] for row in rows] for name, _, _ in _COLUMNS}
    columns["fields"] = [json.dumps(fields) for fields in columns["fields"]]
    heads = {"old_length": guess.length, "old_hash": guess.last_hash}
    heads |= {"new_length": wanted.length, "new_hash": wanted.last_hash}
    return _found((await session.execute(_PG_SWAP, heads | columns)).first())


def _found(row: Any) -> Head:
    if row is None:
        raise RuntimeError("the access log has no head row: run `trackchild-hub db upgrade`")
    return Head(int(row[0]), str(row[1]))
