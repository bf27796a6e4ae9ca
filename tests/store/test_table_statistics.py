"""``LoadStatistics``: during a load only the columns of the load's own lookup are analysed (PostgreSQL), at the end
every column of every table the load grew."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.factories import exchange_record, seed_catalogue, today
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.table_statistics import AnalyzePolicy, LoadStatistics

NO_ANALYZE = AnalyzePolicy(minimum=10**9)


async def _analysed_columns(services: Services, table: str) -> set[str] | None:
    """PostgreSQL: the columns of ``table`` with statistics; SQLite: None."""
    async with services.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return None
        rows = await conn.execute(
            text("SELECT attname FROM pg_stats WHERE tablename = :t AND schemaname = current_schema()"), {"t": table}
        )
        return {r[0] for r in rows}


async def _forget(services: Services) -> None:
    async with services.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.execute(text("ANALYZE sqlite_schema"))
            await conn.execute(text("DELETE FROM sqlite_stat1"))
        else:  # an emptied table keeps its columns' statistics: drop them (the tests connect as a superuser)
            await conn.execute(
                text(
                    "DELETE FROM pg_statistic WHERE starelid IN"
                    " (CAST('cases' AS regclass), CAST('children' AS regclass))"
                )
            )


async def _sqlite_analysed(services: Services, table: str) -> bool:
    async with services.engine.connect() as conn:
        return bool(await conn.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}))


async def test_mid_load_analyses_the_lookup_columns_and_the_end_every_column(store: Services) -> None:
    await _forget(store)
    await seed_catalogue(store)
    lines = [json.dumps(exchange_record(n, ["MISSING", "FOUND", "CARE"][n % 3])) for n in range(30)]
    report = await import_cases(store.sessions, lines, store.geography, today(), analyze=NO_ANALYZE)
    assert report.created == 30
    # As the planner knew them before the load (what earlier tests left in pg_class does not count here).
    known = {"cases": 0, "children": 0}
    statistics = LoadStatistics(store.sessions, AnalyzePolicy(rows=10_000, share=0.10, minimum=10), known=known)

    await statistics.note({"cases": 30, "children": 30})  # cases doubled (from none): its lookup is analysed
    assert statistics.runs == 1
    columns = await _analysed_columns(store, "cases")
    if columns is None:
        assert await _sqlite_analysed(store, "cases")
        assert not await _sqlite_analysed(store, "children")
    else:
        assert columns == {"source", "external_id"}
        assert await _analysed_columns(store, "children") == set()
    assert statistics.known["cases"] == 30
    assert "cases" not in statistics.grown

    assert sorted(await statistics.finish()) == ["cases", "children"]  # the whole tables, once, at the end
    columns = await _analysed_columns(store, "cases")
    if columns is None:
        assert await _sqlite_analysed(store, "children")
    else:
        assert {"source", "external_id", "status", "kind", "reference"} <= columns
        assert "name" in (await _analysed_columns(store, "children") or set())
    assert statistics.known == {"cases": 30, "children": 30}
    assert statistics.changed == {}


async def test_the_end_of_a_load_splits_its_tables_by_size_over_the_connections(store: Services) -> None:
    known = {"cases": 20_000, "children": 20_000, "case_events": 20_000, "guardians": 30_000, "care_cases": 7_000}
    statistics = LoadStatistics(store.sessions, known=known)
    groups = statistics._by_size(sorted(known), 2)  # the split rule alone
    assert sorted(t for g in groups for t in g) == sorted(known)  # every table once
    assert [sum(known[t] for t in g) for g in groups] == [50_000, 47_000]
    assert statistics._by_size(["cases"], 2) == [["cases"]]
