"""64 concurrent clients on issue 13 and 14's read doors while the hub's own loops write, over real HTTP on both
backends: the workflow job escalating a few thousand missing cases (run every second) and the alert-rules loop, with
thousands of children in care behind the institution and e-file lists. Every answer is data or a refusal the API
documents (RATE_LIMITED; SERVICE_UNAVAILABLE, a 503 with Retry-After, when admission
control sheds), never an internal error; /healthz answers throughout; what the workflow job was due to do got done."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from bench.workflow import CASE_COLUMNS, CHILD_COLUMNS, MISSING_COLUMNS, RISK_COLUMNS, _rows
from tests.factories import data, missing_input, run, seed_catalogue, today
from tests.live_server import serving
from tests.schema.test_institution_records import in_care
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import RateLimits
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import AhtuEscalationRow, Base, InstitutionRow

MISSING_CASES = 3000
IN_CARE = 2000
CLIENTS = 64
ROUNDS = 6
READS = {
    "careFile": "query($c: ID!) { careFile(caseId: $c) { counselling { note } followUpsDue { dueOn } } }",
    "overdueCareReviews": "{ overdueCareReviews(first: 50) { edges { node { caseId daysOverdue } } } }",
    "overdueCareFollowUps": "{ overdueCareFollowUps(first: 50) { edges { node { caseId daysOverdue } } } }",
    "staleInstitutions": "{ staleInstitutions(days: 30, first: 20) { edges { node { childrenInCare } } } }",
    "overCapacityInstitutions": "{ overCapacityInstitutions(first: 20) { edges { node { childrenInCare } } } }",
    "overdueAhtuReports": "{ overdueAhtuReports(first: 100) { edges { node { caseId daysOverdue } } } }",
    "institutionRecord": 'query { institutionRecord(institution: "WB/CCI/2020/0001") { inspections { id } } }',
    "case(workflow)": "query($m: ID!) { case(id: $m) { ... on MissingCase { riskAssessment { urgency notes } "
    "checklist { item done } ahtuEscalation { reportDueOn } } } }",
    "caseStatus": 'query { caseStatus(reference: "WB-2026-000001", code: "000000") { status } }',
}


def _json_value(value: Any) -> Any:
    return {"[]": [], "{}": {}}.get(value, value) if isinstance(value, str) else value


async def _seed(store: Services) -> dict[str, str]:
    await seed_catalogue(store)
    async with store.sessions() as session, session.begin():
        states = [s.code for s in store.geography.states]
        await add_directory_entries(
            session,
            [
                {"id": f"AHTU-{s}", "kind": "ANTI_HUMAN_TRAFFICKING_UNIT", "name": f"AHTU {s}", "state": s}
                for s in states
            ],
        )
        homes = list(await session.scalars(select(InstitutionRow.id)))
        tables = Base.metadata.tables
        rows = list(_rows(MISSING_CASES, seed=13))  # bench.workflow's cases: FIRs over three years, a third closed
        for table, columns, index in (
            ("children", CHILD_COLUMNS, 0),
            ("cases", CASE_COLUMNS, 1),
            ("missing_cases", MISSING_COLUMNS, 2),
            ("risk_assessments", RISK_COLUMNS, 3),
        ):
            values = [dict(zip(columns, map(_json_value, r[index]), strict=True)) for r in rows if r[index]]
            await session.execute(insert(tables[table]), values)
    now = datetime.now(UTC)
    await in_care(store, [(homes[i % len(homes)], now - timedelta(days=i % 90)) for i in range(IN_CARE)])
    cwc = Principal.for_agency(Agency.CWC, subject="cwc-load")
    admit = "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }"
    child = {"gender": "MALE", "ageYears": 10}
    i = {"institution": "WB/CCI/2020/0001", "admissionDate": (today() - timedelta(days=30)).isoformat(), "child": child}
    care_case = data(await run(store, admit, {"i": i}, cwc))["admitToInstitution"]["id"]
    report = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
    missing = data(await run(store, report, {"i": missing_input(riskAssessment={"suspectedTrafficking": True})}, cwc))
    return {"c": care_case, "m": missing["reportMissing"]["id"]}


async def test_read_doors_stay_up_under_64_clients_while_the_loops_write(store: Services) -> None:
    ids = await _seed(store)
    settings = replace(
        store.settings,
        workflow_every_s=1.0,
        alerting=replace(store.settings.alerting, rules_every_s=1.0),
        rate_limits=RateLimits(per_ip=None, per_client=None),
    )
    issuer = dev_issuer(settings)
    token = issuer.issue(issuer.clients["demo-cpsu"])  # national: every list over every row
    answers: dict[str, list[str]] = {}
    with serving(create_app(settings)) as base:
        # No keep-alive: a connection idle past uvicorn's keep-alive (5 s) may be closed just as it is reused, an
        # httpx ReadError that is no answer of the hub's.
        limits = httpx.Limits(max_connections=CLIENTS + 8, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

            async def one(n: int) -> None:
                for r in range(ROUNDS):
                    door = list(READS)[(n + r) % len(READS)]
                    headers = {} if door == "caseStatus" else {"Authorization": f"Bearer {token}"}
                    variables = {k: v for k, v in ids.items() if f"${k}" in READS[door]}
                    response = await client.post(
                        "/graphql", json={"query": READS[door], "variables": variables}, headers=headers
                    )
                    body = json.loads(response.content)
                    codes = {e.get("extensions", {}).get("code", "?") for e in body.get("errors", [])}
                    answers.setdefault(door, []).append(f"{response.status_code}:{','.join(sorted(codes)) or 'OK'}")

            async def healthy_throughout(done: asyncio.Event) -> list[int]:
                seen = []
                while not done.is_set():
                    seen.append((await client.get("/healthz")).status_code)
                    await asyncio.sleep(0.2)
                return seen

            done = asyncio.Event()
            health = asyncio.create_task(healthy_throughout(done))
            await asyncio.gather(*(one(n) for n in range(CLIENTS)))
            escalated = await _escalations_reaching(store, MISSING_CASES // 3, seconds=120)
            done.set()
            assert set(await health) == {200}
    assert escalated > MISSING_CASES // 3, escalated  # the job got through its work, load or not
    allowed = {"200:OK", "200:RATE_LIMITED", "503:SERVICE_UNAVAILABLE"}  # caseStatus: its per-IP limit
    for door, seen in answers.items():
        assert set(seen) <= allowed, (door, sorted(set(seen)))
        assert "200:OK" in seen, door


async def _escalations_reaching(store: Services, count: int, seconds: float) -> int:
    """The AHTU escalations written, once they reach ``count`` or ``seconds`` have passed (generous: the job shares
    two cores with the load and the rest of the suite)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        async with store.sessions() as session:
            escalated = int(await session.scalar(select(func.count()).select_from(AhtuEscalationRow)) or 0)
        if escalated > count or asyncio.get_running_loop().time() > deadline:
            return escalated
        await asyncio.sleep(0.5)
