"""The portal's case page reads with one statement whatever its size, and its relations resolve without a task each.

The page (``cases(first:, filter: {state})`` with each case's child, district, police station and institution) joins
its to-one relations into the page's own statement (``store.cases.Joins``, picked from the selection set). The
access log's statements are counted apart: they are the audit writer's, the same for 5 or 50 cases, and with the
page's at most ``PAGE_AND_LOG`` (the issue's goal; BEGIN/COMMIT not counted: the log has none on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.factories import WB, data, exchange_record, run, seed_catalogue, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services

NATIONAL = Principal.for_agency(Agency.CPSU, subject="cpsu-1")
PORTAL_PAGE = """
query Page($first: Int!, $state: String!) {
  cases(first: $first, filter: {state: $state}) {
    edges { node {
      id reference kind
      child { name gender ageYears }
      place { district { name } policeStation { name } }
      ... on FoundCase { institution { name } }
      ... on CareCase { institution { name } }
    } }
    pageInfo { hasNextPage }
  }
}"""
# The same relations through a named fragment and aliases: the look-ahead must find them there too.
FRAGMENT_PAGE = """
query Page($first: Int!) {
  list: cases(first: $first) { edges { node { ...Row } } }
}
fragment Row on Case {
  reference
  kid: child { gender }
  place { station: policeStation { name } }
  ... on CareCase { institution { name } }
}"""
LOG_TABLES = ("access_log", "audit_head")
MAX_READS = 2
PAGE_AND_LOG = 3  # PostgreSQL 1 + 1, SQLite 1 + 2 (audit/append.py), once the writer knows the chain's head


@contextmanager
def statements(services: Services) -> Iterator[dict[str, list[str]]]:
    seen: dict[str, list[str]] = {"read": [], "access_log": []}

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen["access_log" if any(t in statement for t in LOG_TABLES) else "read"].append(statement)

    event.listen(services.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(services.engine.sync_engine, "before_cursor_execute", record)


async def _seed(store: Services, count: int) -> None:
    await seed_catalogue(store)
    kinds = ["MISSING", "FOUND", "CARE"]
    lines = [json.dumps(exchange_record(n, kinds[n % 3])) for n in range(count)]
    report = await import_cases(store.sessions, lines, store.geography, today())
    assert report.created == count


async def test_the_portal_page_reads_with_one_statement_whatever_its_size(store: Services) -> None:
    await _seed(store, 60)
    counts: dict[int, dict[str, int]] = {}
    # The access log's first batch of a process (and of a freshly emptied log) learns the chain's head.
    await run(store, PORTAL_PAGE, {"first": 1, "state": WB}, principal=NATIONAL)
    for first in (5, 50):
        with statements(store) as seen:
            page = data(await run(store, PORTAL_PAGE, {"first": first, "state": WB}, principal=NATIONAL))
        nodes = [e["node"] for e in page["cases"]["edges"]]
        assert len(nodes) == first
        # Every relation was served from the joined row: names (logged), stations, institutions of found/care cases.
        assert all(n["child"]["name"] and n["place"]["district"]["name"] for n in nodes)
        assert all(n["place"]["policeStation"]["name"].startswith("Station ") for n in nodes)
        placed = [n for n in nodes if n["kind"] in ("FOUND", "CARE")]
        assert placed
        assert all(n["institution"]["name"].startswith("Children's Home") for n in placed)
        counts[first] = {kind: len(found) for kind, found in seen.items()}
        assert len(seen["read"]) <= MAX_READS, seen["read"]
        assert len(seen["read"]) + len(seen["access_log"]) <= PAGE_AND_LOG, seen
    print("statements per page (read, access log):", counts)
    assert counts[5] == counts[50], counts
    assert counts[50]["access_log"] > 0  # names were served, so logged: the count above includes the log's work


async def test_relations_found_through_fragments_and_aliases(store: Services) -> None:
    await _seed(store, 12)
    with statements(store) as seen:
        page = data(await run(store, FRAGMENT_PAGE, {"first": 12}))
    nodes = [e["node"] for e in page["list"]["edges"]]
    assert len(nodes) == 12
    assert all(n["kid"]["gender"] and n["place"]["station"]["name"] for n in nodes)
    assert all(n["institution"]["name"] for n in nodes if "institution" in n)
    assert len(seen["read"]) == 1, seen["read"]


async def test_a_page_without_relations_reads_none(store: Services) -> None:
    await _seed(store, 6)
    with statements(store) as seen:
        page = data(await run(store, "{ cases(first: 6) { edges { node { reference } } } }"))
    assert len(page["cases"]["edges"]) == 6
    assert len(seen["read"]) == 1
    # Only the filter's join (confidential children are hidden from this caller), none of the relations.
    assert "directory_entries" not in seen["read"][0]
    assert "institutions" not in seen["read"][0]


@contextmanager
def tasks_created() -> Iterator[list[int]]:
    """Counts the tasks the running loop creates (graphql-core makes one per awaitable field of a list's items)."""
    loop = asyncio.get_running_loop()
    previous = loop.get_task_factory()
    created = [0]

    def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Future[Any]:
        created[0] += 1
        if previous is not None:
            return previous(loop, coro, **kwargs)
        return asyncio.Task(coro, loop=loop, **kwargs)

    loop.set_task_factory(factory)
    try:
        yield created
    finally:
        loop.set_task_factory(previous)


async def test_the_page_makes_no_task_per_case(store: Services) -> None:
    await _seed(store, 60)
    counts = {}
    await run(store, PORTAL_PAGE, {"first": 1, "state": WB}, principal=NATIONAL)  # the access log learns its head
    for first in (5, 50):
        with tasks_created() as created:
            page = data(await run(store, PORTAL_PAGE, {"first": first, "state": WB}, principal=NATIONAL))
        assert len(page["cases"]["edges"]) == first
        counts[first] = created[0]
    print("tasks per page:", counts)
    assert counts[5] == counts[50], counts
