"""The bulk import path (COPY / raw executemany) against the row-by-row writer it replaced, on both databases.

Same outcomes with the same line numbers, the same stored rows (in the database's own storage format: SQLite keeps
dates and times as text), the same timeline events; reruns change nothing; a crash between batches loses nothing
already reported and a rerun completes the file; concurrent imports of one file store each record once; the hub
analyses the tables a large load grew.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

import trackchild_hub.imports.cases as importer
from tests.factories import exchange_record, seed_catalogue, today
from trackchild_hub.domain.enums import CaseEventType
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.validation import validate_case
from trackchild_hub.imports.cases import ImportReport, import_cases
from trackchild_hub.imports.line_errors import LineError
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.case_writer import create_cases
from trackchild_hub.store.table_statistics import AnalyzePolicy

CASE_TABLES = ("children", "guardians", "child_aliases", "cases", "missing_cases", "found_cases", "care_cases")
TIMES = {"created_at", "updated_at", "at"}
NO_ANALYZE = AnalyzePolicy(minimum=10**9)


def _mixed_lines() -> list[str]:
    """New records of every kind, invalid lines, in-file repeats, an unknown station and an existing child."""
    kinds = ["MISSING", "FOUND", "CARE"]
    lines = [json.dumps(exchange_record(n, kinds[n % 3])) for n in range(24)]
    lines[3] = "{not json"
    lines[5] = json.dumps(exchange_record(105, child={"gender": "MALE", "age_years": 25}))
    lines[8] = json.dumps(exchange_record(108, place={"state": "19", "district": "999"}))
    lines[11] = ""
    lines[13] = json.dumps(exchange_record(113, place={"state": "19", "district": "313", "police_station": "PS-X"}))
    lines.append(json.dumps(exchange_record(1, "FOUND")))  # repeats line 2 (same source + external id)
    lines.append(json.dumps(exchange_record(200, child={"gender": "FEMALE", "name": "  Ría \t Das ", "aliases": []})))
    lines.append(json.dumps(exchange_record(201, extra_field={"kept": [1, "two"]}, status="CLOSED")))
    lines.append(json.dumps(exchange_record(20, "CARE")))  # repeats line 21, new in the same batch
    return lines


async def _row_by_row(services: Services, lines: Iterable[str], day: date, batch: int = 2000) -> ImportReport:
    """The import as it was before the bulk path: ``create_cases`` (Core executemany) per batch of 2000."""
    report = ImportReport()
    parsed: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = parse_exchange_record(json.loads(line))
            validate_case(case, services.geography, day)
        except json.JSONDecodeError as exc:
            report.errors.append(LineError(number, "record", f"not valid JSON ({exc.msg})"))
            continue
        except BadUserInput as exc:
            report.errors.append(LineError(number, exc.field, exc.reason))
            continue
        parsed.append((number, case))
    for start in range(0, len(parsed), batch):
        chunk = parsed[start : start + batch]
        async with services.sessions() as session, session.begin():
            outcomes = await create_cases(
                session, [c for _, c in chunk], services.geography, event=CaseEventType.IMPORTED, actor="import"
            )
        for (number, _), outcome in zip(chunk, outcomes, strict=True):
            if outcome.error is not None:
                report.errors.append(LineError(number, outcome.error.field, outcome.error.reason))
            elif outcome.created:
                report.created += 1
            else:
                report.unchanged += 1
    report.errors.sort(key=lambda e: e.line)
    return report


async def _snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of the case tables as the database holds it, with random ids replaced by the record's
    external id and times by their storage type and length (they differ between runs, their format must not)."""
    async with services.sessions() as session:
        cases = (await session.execute(text("SELECT id, child_id, external_id FROM cases"))).all()
        label = {case_id: f"case:{ext}" for case_id, _, ext in cases}
        label |= {child_id: f"child:{ext}" for _, child_id, ext in cases}
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in (*CASE_TABLES, "case_events", "reference_counters"):
            result = await session.execute(text(f"SELECT * FROM {table}"))
            keys = list(result.keys())
            rows = []
            for row in result:
                values = []
                for key, value in zip(keys, row, strict=True):
                    if key in TIMES:
                        values.append((type(value).__name__, len(str(value))))
                    elif key == "id" and table in ("guardians", "child_aliases", "case_events"):
                        continue  # numbered by the database
                    else:
                        values.append(label.get(value, value) if isinstance(value, str) else value)
                rows.append(tuple(values))
            out[table] = sorted(rows, key=repr)
    return out


async def _empty(services: Services) -> None:
    async with services.engine.begin() as conn:
        for table in ("case_events", *reversed(CASE_TABLES), "reference_counters"):
            await conn.execute(text(f"DELETE FROM {table}"))


def _outcomes(report: ImportReport) -> tuple[int, int, list[tuple[int, str]]]:
    return report.created, report.unchanged, [(e.line, e.field) for e in report.errors]


async def test_bulk_path_stores_what_the_row_by_row_path_stores(store: Services) -> None:
    await seed_catalogue(store)
    day = today()
    lines = _mixed_lines()
    present = lines[:7]  # a first file already in: its valid lines are "already present" in the second
    old_first = await _row_by_row(store, present, day)
    old = await _row_by_row(store, lines, day)
    old_rows = await _snapshot(store)

    await _empty(store)
    new_first = await import_cases(store.sessions, present, store.geography, day, batch_size=4)
    new = await import_cases(store.sessions, lines, store.geography, day)
    new_rows = await _snapshot(store)

    assert _outcomes(new_first) == _outcomes(old_first)
    assert _outcomes(new) == _outcomes(old)
    # The file's arithmetic, so that the comparison is not vacuous: lines 1-7 and 25 (a repeat of line 2) are in
    # already, 28 repeats 21 within the batch, 14 names an unknown police station.
    assert (new.created, new.unchanged) == (16, 6)
    assert [(e.line, e.field) for e in new.errors] == [
        (4, "record"),
        (6, "child.age_years"),
        (9, "place.district"),
        (14, "place.police_station"),
        (28, "external_id"),
    ]
    assert new_rows == old_rows
    assert len(new_rows["cases"]) == 21
    assert len(new_rows["case_events"]) == 21
    assert {r[2] for r in new_rows["case_events"]} == {"IMPORTED"}

    rerun = await import_cases(store.sessions, lines, store.geography, day)
    assert _outcomes(rerun) == (0, 23, [(e.line, e.field) for e in new.errors[:4]])
    assert await _snapshot(store) == new_rows


async def test_a_crash_between_batches_loses_nothing_reported_and_a_rerun_completes(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_catalogue(store)
    day = today()
    lines = [json.dumps(exchange_record(n, ["MISSING", "FOUND", "CARE"][n % 3])) for n in range(30)]
    reported: list[int] = []
    real = importer.create_cases_in_bulk
    calls = 0

    async def failing_third_batch(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("power cut")
        return await real(*args, **kwargs)

    monkeypatch.setattr(importer, "create_cases_in_bulk", failing_third_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        await import_cases(
            store.sessions, lines, store.geography, day, batch_size=7, on_batch=lambda r: reported.append(r.created)
        )
    monkeypatch.undo()
    assert reported == [7, 14]
    assert len((await _snapshot(store))["cases"]) == 14  # what was reported is stored, nothing of the failed batch

    rerun = await import_cases(store.sessions, lines, store.geography, day, batch_size=7)
    assert (rerun.created, rerun.unchanged, rerun.errors) == (16, 14, [])
    completed = await _snapshot(store)

    await _empty(store)
    await import_cases(store.sessions, lines, store.geography, day)
    assert await _snapshot(store) == completed  # the same rows and reference numbers as one uninterrupted run


async def test_concurrent_imports_of_one_file_store_each_record_once(store: Services) -> None:
    await seed_catalogue(store)
    lines = [json.dumps(exchange_record(n, ["MISSING", "FOUND", "CARE"][n % 3])) for n in range(40)]
    reports = await asyncio.gather(
        *(import_cases(store.sessions, lines, store.geography, today(), batch_size=5) for _ in range(3))
    )
    assert sum(r.created for r in reports) == 40
    assert all(r.created + r.unchanged == 40 and not r.errors for r in reports)
    rows = await _snapshot(store)
    assert [len(rows[t]) for t in ("cases", "children", "case_events")] == [40, 40, 40]


async def test_the_hub_analyses_tables_a_large_load_grew(store: Services) -> None:
    await seed_catalogue(store)
    policy = AnalyzePolicy(rows=10_000, share=0.10, minimum=20)
    small = [json.dumps(exchange_record(n)) for n in range(5)]
    large = [json.dumps(exchange_record(n, ["MISSING", "FOUND", "CARE"][n % 3])) for n in range(5, 60)]
    await _forget_statistics(store)
    await import_cases(store.sessions, small, store.geography, today(), analyze=policy)
    assert await _analysed(store) is False  # 5 rows: below the policy's minimum, left to autovacuum
    await import_cases(store.sessions, large, store.geography, today(), analyze=policy)
    assert await _analysed(store) is True


async def _forget_statistics(services: Services) -> None:
    async with services.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.execute(text("ANALYZE sqlite_schema"))  # makes sure sqlite_stat1 exists, then empty it
            await conn.execute(text("DELETE FROM sqlite_stat1"))
        else:
            await conn.execute(text("SELECT pg_stat_reset_single_table_counters(CAST('cases' AS regclass))"))


async def _analysed(services: Services) -> bool:
    async with services.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return bool(await conn.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases'")))
        await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        analysed = await conn.scalar(
            text(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables"
                " WHERE relname = 'cases' AND schemaname = current_schema()"
            )
        )
        return bool(analysed)
