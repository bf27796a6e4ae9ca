"""The workflow job (``services.workflow``) with a moved clock: a missing case goes to the state's AHTU at 4 months
from its FIR (not a day before), at once on suspected trafficking; a second run changes nothing; two hubs running
at once never escalate a case twice; the AHTU's overdue progress reports are recorded once per due date."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from tests.factories import HOWRAH, KOLKATA, WB, data, missing_input, run, seed_catalogue, station, today
from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.domain.enums import CaseEventType
from trackchild_hub.domain.workflow_rules import WorkflowRule, add_months
from trackchild_hub.services.unit import Services
from trackchild_hub.services.workflow import run_rules
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import AhtuEscalationRow, CaseEventRow, CaseRow, WorkflowLeaseRow
from trackchild_hub.store.models.base import utcnow
from trackchild_hub.store.workflow_job import take_lease

REPORT = """
mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id version } }
"""
AHTU_KOLKATA = "AHTU-19-315"


def ahtu(entry_id: str = AHTU_KOLKATA, district: str | None = KOLKATA) -> dict[str, Any]:
    return {
        "id": entry_id,
        "kind": "ANTI_HUMAN_TRAFFICKING_UNIT",
        "name": "AHTU Kolkata",
        "state": WB,
        "district": district,
        "phones": ["+919830000001"],
        "latitude": 22.57,
        "longitude": 88.36,
    }


async def seed(store: Services, *units: dict[str, Any]) -> None:
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, list(units) or [ahtu()])


async def report(store: Services, fir_date: date, **overrides: Any) -> str:
    seen = fir_date.isoformat()
    variables = {"input": missing_input(lastSeenDate=seen, fir={"number": "1/2026", "date": seen}, **overrides)}
    return str(data(await run(store, REPORT, variables))["reportMissing"]["id"])


def changed(runs: list[Any]) -> dict[str, int]:
    return {r.rule.value: r.changed for r in runs}


async def escalation_events(store: Services, case_id: str) -> list[CaseEventRow]:
    async with store.sessions() as session:
        query = select(CaseEventRow).where(
            CaseEventRow.case_id == case_id, CaseEventRow.type == CaseEventType.ESCALATED_TO_AHTU.value
        )
        return list(await session.scalars(query))


async def test_a_missing_case_goes_to_the_ahtu_at_four_months_not_a_day_before(store: Services) -> None:
    await seed(store)
    fir = today() - timedelta(days=20)
    case_id = await report(store, fir)
    due = add_months(fir, 4)
    assert (
        changed(await run_rules(store.sessions, today=due - timedelta(days=1)))[WorkflowRule.ESCALATE_UNTRACED.value]
        == 0
    )
    assert await escalation_events(store, case_id) == []
    assert changed(await run_rules(store.sessions, today=due))[WorkflowRule.ESCALATE_UNTRACED.value] == 1
    [event] = await escalation_events(store, case_id)
    assert event.actor == "system:workflow"
    assert "4 months" in (event.note or "")
    assert event.data["to"]["district"] == KOLKATA
    assert event.data["from"]["district"] == HOWRAH
    assert event.data["from"]["policeStation"] == "PS-19-313-001"
    assert event.data["to"]["policeStation"] is None
    async with store.sessions() as session:
        case = await session.get(CaseRow, case_id)
        escalation = await session.get(AhtuEscalationRow, case_id)
    assert case is not None
    assert escalation is not None
    assert (case.district_code, case.police_station_id, case.version) == (KOLKATA, None, 2)
    assert (escalation.ahtu_id, escalation.escalated_on, escalation.report_due_on) == (
        AHTU_KOLKATA,
        due,
        add_months(due, 3),
    )
    # idempotent: the next run, and one months later, transfer nothing again
    assert changed(await run_rules(store.sessions, today=due)) == {r.value: 0 for r in WorkflowRule}
    assert (
        changed(await run_rules(store.sessions, today=due + timedelta(days=40)))[WorkflowRule.ESCALATE_UNTRACED.value]
        == 0
    )
    assert len(await escalation_events(store, case_id)) == 1


async def test_the_ahtu_covering_the_district_keeps_the_case_where_it_is(store: Services) -> None:
    await seed(store, ahtu(), ahtu("AHTU-19-313", HOWRAH))
    case_id = await report(store, today() - timedelta(days=200))
    await run_rules(store.sessions)
    async with store.sessions() as session:
        case = await session.get(CaseRow, case_id)
        escalation = await session.get(AhtuEscalationRow, case_id)
    assert escalation is not None
    assert escalation.ahtu_id == "AHTU-19-313"
    assert case is not None
    assert (case.district_code, case.police_station_id) == (HOWRAH, "PS-19-313-001")


async def test_no_ahtu_in_the_state_leaves_the_case_waiting(store: Services) -> None:
    await seed(store, station(9))  # a directory without any AHTU
    case_id = await report(store, today() - timedelta(days=200))
    assert changed(await run_rules(store.sessions))[WorkflowRule.ESCALATE_UNTRACED.value] == 0
    assert await escalation_events(store, case_id) == []


async def test_two_hubs_running_at_once_escalate_each_case_once(store: Services) -> None:
    await seed(store)
    ids = [await report(store, today() - timedelta(days=150 + i)) for i in range(12)]
    first, second = await asyncio.gather(
        run_rules(store.sessions, holder="hub-a", batch=2), run_rules(store.sessions, holder="hub-b", batch=2)
    )
    total = changed(first)[WorkflowRule.ESCALATE_UNTRACED.value] + changed(second)[WorkflowRule.ESCALATE_UNTRACED.value]
    assert total == 12
    async with store.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(CaseEventRow)
            .where(CaseEventRow.type == CaseEventType.ESCALATED_TO_AHTU.value, CaseEventRow.case_id.in_(ids))
        )
    assert count == 12


def _cli(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)


async def test_two_processes_running_workflow_run_at_once_escalate_each_case_once(
    store: Services, tmp_path: Path
) -> None:
    await seed(store)
    fir = today() - timedelta(days=30)
    ids = [await report(store, fir - timedelta(days=i)) for i in range(20)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env["TRACKCHILD_DATABASE_URL"] = store.settings.database_url
    env["TRACKCHILD_DATA_DIR"] = str(tmp_path)
    if store.settings.database_schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = store.settings.database_schema
    # the clock moved 4 months on: every case is due
    command = [sys.executable, "-m", "trackchild_hub.cli", "workflow", "run", "--today", add_months(fir, 4).isoformat()]
    first, second = await asyncio.gather(asyncio.to_thread(_cli, command, env), asyncio.to_thread(_cli, command, env))
    lines = []
    for done in (first, second):
        assert done.returncode == 0, done.stderr
        assert [line.split(":")[0] for line in done.stdout.splitlines()] == [r.value for r in WorkflowRule]
        lines += done.stdout.splitlines()
    untraced = [line for line in lines if line.startswith("escalate-untraced: ")]
    assert sum(int(line.split()[1]) for line in untraced) == 20  # one of them, or both in turn, never twice
    again = _cli(command, env)
    assert again.stdout.splitlines() == [f"{r.value}: 0 cases" for r in WorkflowRule]
    async with store.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(CaseEventRow)
            .where(CaseEventRow.type == CaseEventType.ESCALATED_TO_AHTU.value, CaseEventRow.case_id.in_(ids))
        )
    assert count == 20
    wrong = _cli([*command[:-1], "tomorrow"], env)
    assert wrong.returncode == 2
    assert "--today" in wrong.stderr


async def test_serve_runs_the_rules_in_the_background(store: Services) -> None:
    await seed(store)
    case_id = await report(store, add_months(today(), -4))  # due today
    with serving(create_app(replace(store.settings, workflow_every_s=1.0))):
        for _ in range(100):
            if await escalation_events(store, case_id):
                break
            await asyncio.sleep(0.1)
    assert len(await escalation_events(store, case_id)) == 1


async def test_a_rule_held_by_a_live_process_is_skipped_and_a_dead_ones_lease_runs_out(store: Services) -> None:
    await seed(store)
    case_id = await report(store, add_months(today(), -4))
    rule = WorkflowRule.ESCALATE_UNTRACED.value
    async with store.sessions() as session, session.begin():
        assert await take_lease(session, rule, "other-hub", utcnow(), timedelta(seconds=60))
    runs = {r.rule: r for r in await run_rules(store.sessions, holder="this-hub")}
    assert runs[WorkflowRule.ESCALATE_UNTRACED].ran is False
    assert runs[WorkflowRule.ESCALATE_TRAFFICKING].ran is True  # each rule has its own lease
    assert await escalation_events(store, case_id) == []
    async with store.sessions() as session, session.begin():  # the other hub died: its lease ran out a second ago
        await session.execute(
            update(WorkflowLeaseRow).where(WorkflowLeaseRow.name == rule).values(until=utcnow() - timedelta(seconds=1))
        )
    runs = {r.rule: r for r in await run_rules(store.sessions, holder="this-hub")}
    assert (runs[WorkflowRule.ESCALATE_UNTRACED].ran, runs[WorkflowRule.ESCALATE_UNTRACED].changed) == (True, 1)
    async with store.sessions() as session:
        lease = await session.get(WorkflowLeaseRow, rule)
    assert lease is not None
    assert (lease.holder, lease.until) == (None, None)  # released at the end of the run
