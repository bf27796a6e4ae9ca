"""``import cases``: invalid lines reported by number, valid ones kept, reruns change nothing."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from tests.factories import case_count, exchange_record, seed_catalogue, today
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import CaseEventRow, ChildRow, GuardianRow


def _lines() -> list[str]:
    good = [json.dumps(exchange_record(n, ["MISSING", "FOUND", "CARE"][n % 3])) for n in range(10)]
    lines = list(good)
    lines.insert(2, "{not json")
    lines.insert(5, json.dumps(exchange_record(100, child={"gender": "MALE", "age_years": 25})))
    lines.insert(7, json.dumps(exchange_record(101, place={"state": "19", "district": "212"})))
    lines.insert(9, json.dumps(exchange_record(102, fir=None)))
    lines.insert(11, "")
    lines.append(json.dumps(exchange_record(0)))  # same source + external_id as line 1
    return lines


async def test_bad_lines_reported_good_lines_kept_rerun_idempotent(store: Services) -> None:
    await seed_catalogue(store)
    first = await import_cases(store.sessions, _lines(), store.geography, today())
    assert first.created == 10
    assert [(e.line, e.field) for e in first.errors] == [
        (3, "record"),
        (6, "child.age_years"),
        (8, "place.district"),
        (10, "fir"),
        (16, "external_id"),  # repeats line 1 within the same run
    ]
    assert first.unchanged == 0
    before = await _row_counts(store)
    second = await import_cases(store.sessions, _lines(), store.geography, today())
    assert second.created == 0
    assert second.unchanged == 11  # line 16 now matches the stored record
    assert len(second.errors) == 4
    assert await _row_counts(store) == before


async def test_unknown_fields_are_kept(store: Services) -> None:
    await seed_catalogue(store)
    line = json.dumps(exchange_record(1, demo_truth={"same_child_as": "X"}))
    report = await import_cases(store.sessions, [line], store.geography, today())
    assert report.created == 1
    async with store.sessions() as session:
        from trackchild_hub.store.models import CaseRow

        extra = await session.scalar(select(CaseRow.extra))
    assert extra == {"demo_truth": {"same_child_as": "X"}}


async def test_cli_import_reports_line_numbers(store: Services, tmp_path: Path) -> None:
    await seed_catalogue(store)
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "TRACKCHILD_DATABASE_URL": store.settings.database_url,
        "TRACKCHILD_DATABASE_SCHEMA": store.settings.database_schema or "",
    }
    command = [sys.executable, "-m", "trackchild_hub.cli", "import", "cases", str(path)]
    done = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1, done.stderr  # some lines were invalid
    assert "line 6: child.age_years: 25 is outside 0-17" in done.stderr
    assert "15 lines: 10 created, 0 already present, 5 invalid" in done.stdout
    assert await case_count(store) == 10


async def _row_counts(store: Services) -> tuple[int, ...]:
    async with store.sessions() as session:
        counts = []
        for model in (ChildRow, GuardianRow, CaseEventRow):
            counts.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return (await case_count(store), *counts)


async def test_a_record_listing_more_names_than_a_child_has_is_reported_and_the_rest_kept(store: Services) -> None:
    """Each alias and parent's name word is a key the matcher reaches a case by: an import line with 21 aliases or
    11 guardians is refused naming the list (``domain.validation.MAX_*``), nothing of it stored, the rest kept."""
    await seed_catalogue(store)
    aliases = {"gender": "MALE", "age_years": 9, "aliases": [f"Monu {i}" for i in range(21)]}
    guardians = {"gender": "MALE", "age_years": 9, "guardians": [{"name": f"Ram {i}"} for i in range(11)]}
    within = {"gender": "MALE", "age_years": 9, "aliases": [f"Monu {i}" for i in range(20)]}
    lines = [
        json.dumps(exchange_record(1, child=aliases)),
        json.dumps(exchange_record(2, child=guardians)),
        json.dumps(exchange_record(3, child=within)),
    ]
    report = await import_cases(store.sessions, lines, store.geography, today())
    assert [(e.line, e.field) for e in report.errors] == [(1, "child.aliases"), (2, "child.guardians")]
    assert report.errors[0].reason == "lists 21, at most 20"
    assert report.created == 1
    assert await case_count(store) == 1
