"""``trackchild-hub match pending``: proposals for cases imported while no hub ran, through the CLI, both backends."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import exchange_record, seed_catalogue, today
from trackchild_hub import cli
from trackchild_hub.app import build_services
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services.match_pending import PendingReport, propose_pending
from trackchild_hub.store.models import CaseRow, MatchProposalRow

# (name, gender, age, father): each a missing child and the same child found a week later in the same district.
PAIRS = [
    ("Rahul Kumar", "MALE", 9, "Suresh Kumar"),
    ("Lakshmi Kumari", "FEMALE", 11, "Ramesh Prasad"),
    ("Anjali Das", "FEMALE", 7, "Bikash Das"),
    ("Imran Ansari", "MALE", 13, "Salim Ansari"),
]


def _records() -> list[dict[str, Any]]:
    records = []
    for n, (name, gender, age, father) in enumerate(PAIRS, start=1):
        missing_on, found_on = today() - timedelta(days=20), today() - timedelta(days=13)
        child = {
            "name": name,
            "gender": gender,
            "age_years": age,
            "languages": ["bn"],
            "guardians": [{"relation": "FATHER", "name": father, "phone": "+919830000000"}],
        }
        missing = exchange_record(n, "MISSING", child=child, event_date=missing_on.isoformat())
        missing["reported_at"] = f"{missing_on.isoformat()}T18:30:00+05:30"
        missing["fir"] = {"number": f"{n}/2026", "date": missing_on.isoformat()}
        found = exchange_record(100 + n, "FOUND", child=child, event_date=found_on.isoformat())
        found["reported_at"] = f"{found_on.isoformat()}T18:30:00+05:30"
        records += [missing, found]
    return records


@pytest.fixture
def cli_env(store: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI pointed at the test's store (its own data folder: snapshot and position file)."""
    monkeypatch.setenv("TRACKCHILD_DATABASE_URL", store.settings.database_url)
    if store.settings.database_schema:
        monkeypatch.setenv("TRACKCHILD_DATABASE_SCHEMA", store.settings.database_schema)
    monkeypatch.setenv("TRACKCHILD_DATA_DIR", str(tmp_path / "cli-data"))
    return tmp_path / "cli-data"


async def _cli(*argv: str) -> int:
    return await asyncio.to_thread(cli.main, list(argv))  # the command runs its own event loop


async def _proposals(store: Services) -> set[str]:
    async with store.sessions() as session:
        return set((await session.execute(select(MatchProposalRow.id))).scalars())


async def _true_pairs(store: Services) -> set[str]:
    """``<missing id>~<found id>`` of each child in ``PAIRS``."""
    async with store.sessions() as session:
        ids = {row.external_id: row.id for row in await session.execute(select(CaseRow.external_id, CaseRow.id))}
    return {f"{ids[f'WB-MISSING-{n:06d}']}~{ids[f'WB-FOUND-{100 + n:06d}']}" for n in range(1, len(PAIRS) + 1)}


async def _imported_with_no_hub(store: Services, tmp_path: Path) -> None:
    await seed_catalogue(store)
    lines = tmp_path / "cases.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    assert await _cli("import", "cases", str(lines), "--no-alerts") == 0


async def test_pending_proposes_for_cases_imported_while_no_hub_ran(
    store: Services, cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _imported_with_no_hub(store, tmp_path)
    assert await _proposals(store) == set()  # nobody proposed: the import ran with no hub

    assert await _cli("match", "pending", "--batch", "3") == 0
    out = capsys.readouterr().out
    proposed = await _proposals(store)
    async with store.sessions() as session:
        rows = (await session.execute(select(MatchProposalRow))).scalars().all()
        assert {r.band for r in rows} <= {"LIKELY", "POSSIBLE"}
    assert await _true_pairs(store) <= proposed
    assert f"{len(proposed)} new proposals" in out
    assert "8 open cases searched in 3 batches" in out  # 8 cases, batches of 3
    assert "batch 1: 3 of 8" in out
    for name, _, _, father in PAIRS:  # counts only: no child's or parent's name
        assert name.split()[0] not in out
        assert father.split()[0] not in out
    assert not (cli_env / "match-pending.json").exists()  # finished: no position left

    assert await _cli("match", "pending") == 0  # idempotent
    assert "0 new proposals" in capsys.readouterr().out
    assert await _proposals(store) == proposed


async def test_pending_for_some_kinds_and_bad_arguments(
    store: Services, cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _imported_with_no_hub(store, tmp_path)
    capsys.readouterr()
    assert await _cli("match", "pending", "--batch", "0") == 2
    assert await _cli("match", "pending", "--kinds", "FOUND,LOST") == 2
    assert "LOST" in capsys.readouterr().err
    assert await _proposals(store) == set()
    assert await _cli("match", "pending", "--kinds", "found") == 0
    assert "(FOUND): 4 open cases searched" in capsys.readouterr().out
    assert await _true_pairs(store) <= await _proposals(store)  # each found child's missing pair, from its side


class Interrupted(Exception):
    pass


async def test_an_interrupted_run_resumes_after_its_last_batch(store: Services, cli_env: Path, tmp_path: Path) -> None:
    await _imported_with_no_hub(store, tmp_path)
    settings = replace(store.settings, data_dir=cli_env)
    services = build_services(settings)
    searched: list[int] = []

    def stop_after_two(report: PendingReport) -> None:
        searched.append(report.searched)
        if report.batches == 2:
            raise Interrupted

    try:
        with pytest.raises(Interrupted):
            await propose_pending(services, batch=3, on_batch=stop_after_two)
        assert (cli_env / "match-pending.json").exists()
        halfway = await _proposals(store)
        report = await propose_pending(services, batch=3)
        assert report.resumed == 6
        assert report.searched == 2  # only what the first run did not reach
        assert report.total == 8
        assert not (cli_env / "match-pending.json").exists()
        everything = await _proposals(store)
        assert report.proposed == len(everything - halfway)
        assert await _true_pairs(store) <= everything

        kinds = frozenset({CaseKind.MISSING})
        again = await propose_pending(services, batch=3, kinds=kinds, restart=True)
        assert (again.searched, again.resumed, again.proposed) == (4, 0, 0)
    finally:
        assert services.matcher is not None
        services.matcher.close()
        await services.engine.dispose()


async def test_a_database_that_fails_midway_stops_the_run_with_its_position_kept(
    store: Services, cli_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose proposals cannot be stored is not counted as done: the next run searches it again."""
    await _imported_with_no_hub(store, tmp_path)
    services = build_services(replace(store.settings, data_dir=cli_env))
    from trackchild_hub.services import match_pending

    real = match_pending.propose
    calls = 0

    async def failing(services: Services, case_ids: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("database went away")
        return await real(services, case_ids)

    monkeypatch.setattr(match_pending, "propose", failing)
    try:
        with pytest.raises(ConnectionError):
            await propose_pending(services, batch=3)
        saved = json.loads((cli_env / "match-pending.json").read_text(encoding="utf-8"))
        assert saved["searched"] == 3  # the first batch only
        report = await propose_pending(services, batch=3)
        assert (report.resumed, report.searched) == (3, 5)
    finally:
        assert services.matcher is not None
        services.matcher.close()
        await services.engine.dispose()


async def test_a_store_that_cannot_be_reached_is_exit_1_and_no_traceback(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACKCHILD_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere")
    monkeypatch.delenv("TRACKCHILD_DATABASE_SCHEMA", raising=False)
    assert await _cli("match", "pending") == 1
    err = capsys.readouterr().err
    assert "run match pending again to resume" in err
    assert "Traceback" not in err
