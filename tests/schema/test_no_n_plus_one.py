"""A page of cases with its relations costs the same number of SQL statements whatever its size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.factories import data, exchange_record, missing_input, run, seed_catalogue, today
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services

NESTED_PAGE = """
query($first: Int!) {
  cases(first: $first) {
    edges { node {
      reference
      place { district { name } policeStation { name cctnsCode } }
      child { name currentAge guardians { name phone } aliases cases { reference } }
      events { type at }
      ... on CareCase { institution { name occupancy } }
      ... on FoundCase { institution { name occupancy } }
    } }
  }
}"""


@contextmanager
def counting(services: Services) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(services.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(services.engine.sync_engine, "before_cursor_execute", record)


async def test_statement_count_does_not_grow_with_page_size(store: Services) -> None:
    await seed_catalogue(store)
    kinds = ["MISSING", "FOUND", "CARE"]
    lines = [json.dumps(exchange_record(n, kinds[n % 3])) for n in range(60)]
    report = await import_cases(store.sessions, lines, store.geography, today())
    assert report.created == 60
    # The access log's first batch after the store was emptied finds the head moved under its guess: one more swap.
    data(await run(store, NESTED_PAGE, {"first": 1}))
    counts = {}
    for first in (5, 50):
        with counting(store) as statements:
            page = data(await run(store, NESTED_PAGE, {"first": first}))
        assert len(page["cases"]["edges"]) == first
        counts[first] = len(statements)
    print("SQL statements per page:", counts)
    assert counts[5] == counts[50], counts
    # The page with its child, station and institution (1), guardians, aliases, the child's cases, events and
    # occupancy (1 each), plus the access log's batched write.
    assert counts[50] <= 10, counts


FIND_POOJA = """query($first: Int!) {
  findMatches(description: {name: "Pooja", gender: FEMALE, ageYears: 9}, first: $first) { case { id reference } }
}"""
REPORT_MISSING_FOR_MATCHES = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id } }"


async def test_find_matches_statement_count_does_not_grow_with_candidates(store: Services) -> None:
    await seed_catalogue(store)
    for n in range(30):
        child = {"name": f"Pooja {n}", "gender": "FEMALE", "ageYears": 9, "guardians": []}
        data(await run(store, REPORT_MISSING_FOR_MATCHES, {"input": missing_input(child=child)}))
    assert store.matcher is not None
    await store.matcher.index(force=True)
    query = FIND_POOJA
    counts = {}
    for first in (2, 20):
        with counting(store) as statements:
            found = data(await run(store, query, {"first": first}))
        assert len(found["findMatches"]) == first
        counts[first] = len(statements)
    assert counts[2] == counts[20], counts
