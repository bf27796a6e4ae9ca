"""Every protected field served is logged once per request, by any query shape; the chain detects tampering."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import BIHAR, NGO, POLICE, data, error_codes, missing_input, run, seed_catalogue
from trackchild_hub.audit.verify import Verdict, verify
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import AccessLogRow

REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id child { id } } }"
SHAPES = """
query Shapes($id: ID!) {
  case(id: $id) {
    ... on MissingCase { reporter { phone } }
    child { first: name again: name ...Identity }
  }
}
fragment Identity on Child { name guardians { name phone } }"""
ENTITIES = "query Federated($reps: [_Any!]!) { _entities(representations: $reps) { ... on Child { name aliases } } }"
TRAIL = "query($id: ID!) { auditTrail(entityId: $id) { subject agency operation entityType fields requestId } }"
FIND = "query($d: ChildDescriptionInput!) { findMatches(description: $d) { case { id } } }"
BIHAR_OFFICER = Principal.for_agency(Agency.POLICE, subject="br-1", state=BIHAR)
AUDITOR = Principal.for_agency(Agency.CPSU, subject="auditor-1")


async def _verify(store: Services, session: AsyncSession) -> Verdict:
    return await verify(session, store.access_log.keys, store.access_log.anchor)


async def _rows(store: Services) -> list[AccessLogRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(AccessLogRow).order_by(AccessLogRow.id)))


async def _case(store: Services) -> dict[str, str]:
    await seed_catalogue(store)
    created = data(await run(store, REPORT, {"i": missing_input()}))["reportMissing"]
    return {"case": created["id"], "child": created["child"]["id"]}


async def test_each_field_once_per_request_whatever_the_shape(store: Services) -> None:
    ids = await _case(store)
    before = len(await _rows(store))
    data(await run(store, SHAPES, {"id": ids["case"]}))
    rows = (await _rows(store))[before:]
    assert [(r.entity_type, r.entity_id, r.fields) for r in rows] == sorted(
        [("Child", ids["child"], ["guardians", "name", "phone"]), ("MissingCase", ids["case"], ["phone"])]
    )
    assert {r.request_id for r in rows} == {rows[0].request_id}  # one request, one batch
    assert {(r.subject, r.agency, r.operation) for r in rows} == {("officer-1", "police", "Shapes")}
    data(await run(store, ENTITIES, {"reps": [{"__typename": "Child", "id": ids["child"]}]}))
    federated = (await _rows(store))[before + len(rows) :]
    assert [(r.entity_type, r.fields, r.operation) for r in federated] == [("Child", ["aliases", "name"], "Federated")]


async def test_denied_and_unprotected_reads_leave_no_entry(store: Services) -> None:
    ids = await _case(store)
    before = len(await _rows(store))
    result = await run(store, SHAPES, {"id": ids["case"]}, principal=NGO)  # no child:identity: all denied
    assert {code for code, _ in error_codes(result)} == {"UNAUTHORIZED_FIELD_OR_TYPE"}
    data(await run(store, "query($id: ID!) { case(id: $id) { reference child { gender } } }", {"id": ids["case"]}))
    assert len(await _rows(store)) == before


async def test_audit_trail_needs_audit_read(store: Services) -> None:
    ids = await _case(store)
    data(await run(store, SHAPES, {"id": ids["case"]}))
    assert error_codes(await run(store, TRAIL, {"id": ids["child"]}, principal=POLICE)) == [("FORBIDDEN", None)]
    trail = data(await run(store, TRAIL, {"id": ids["child"]}, principal=AUDITOR))["auditTrail"]
    assert [(t["subject"], t["entityType"], t["fields"]) for t in trail][-1] == (
        "officer-1",
        "Child",
        ["guardians", "name", "phone"],
    )


PAGE = "query($id: ID!, $before: String) { auditTrail(entityId: $id, first: 2, before: $before) { requestId hash } }"


async def test_a_long_trail_is_read_page_by_page(store: Services) -> None:
    """A record listed in many searches gathers many entries: ``before`` (an entry's hash) reads back past the
    newest ``first``, each entry once, newest first; anything but an entry of that record's trail is refused."""
    ids = await _case(store)
    for _ in range(5):
        data(await run(store, SHAPES, {"id": ids["case"]}))
    whole = [e["requestId"] for e in data(await run(store, TRAIL, {"id": ids["child"]}, AUDITOR))["auditTrail"]]
    assert len(whole) == 5
    paged: list[str] = []
    before = None
    while True:
        page = data(await run(store, PAGE, {"id": ids["child"], "before": before}, AUDITOR))["auditTrail"]
        if not page:
            break
        paged += [e["requestId"] for e in page]
        before = page[-1]["hash"]
    assert paged == whole
    other = data(await run(store, PAGE, {"id": ids["case"]}, AUDITOR))["auditTrail"][0]["hash"]  # the case's
    for bad in (other, "0" * 64, "not a hash", "a" * 10_000, "\x00" * 64):
        refused = await run(store, PAGE, {"id": ids["child"], "before": bad}, AUDITOR)
        assert error_codes(refused) == [("BAD_USER_INPUT", "before")], bad


TYPED = "query($id: ID!, $types: [String!]) { auditTrail(entityId: $id, entityTypes: $types) { entityType fields } }"


async def test_a_trail_is_read_by_entity_type(store: Services) -> None:
    """A case's trail holds its own reads and, for a much-searched child, many masked match listings: an auditor
    asks for the types wanted; a type the schema does not have is refused, not read as an empty trail."""
    ids = await _case(store)
    data(await run(store, SHAPES, {"id": ids["case"]}))  # the reporter's phone: a MissingCase entry
    searched = {"name": "Rahul Kumar", "gender": "MALE", "ageYears": 9}
    listed = data(await run(store, FIND, {"d": searched}, BIHAR_OFFICER))["findMatches"]
    assert [m["case"] for m in listed] == [None]  # a Howrah case, masked to Bihar: a MatchCandidate entry
    read: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}
    for types in (("MissingCase",), ("MatchCandidate",), ("MissingCase", "MatchCandidate"), ("Child",)):
        found = data(await run(store, TYPED, {"id": ids["case"], "types": list(types)}, AUDITOR))["auditTrail"]
        read[types] = [(e["entityType"], e["fields"]) for e in found]
    assert read[("MissingCase",)] == [("MissingCase", ["phone"])]
    assert read[("MatchCandidate",)] == [("MatchCandidate", ["masked"])]
    assert read[("MissingCase", "MatchCandidate")] == [("MatchCandidate", ["masked"]), ("MissingCase", ["phone"])]
    assert read[("Child",)] == []  # the child's reads are under the child's id
    for bad in (["Missingcase"], [], ["Child"] * 21, ["a" * 10_000]):
        refused = await run(store, TYPED, {"id": ids["case"], "types": bad}, AUDITOR)
        assert error_codes(refused) == [("BAD_USER_INPUT", "entityTypes")], bad[:1]
    control = await run(store, TYPED, {"id": ids["case"], "types": ["Child\x00"]}, AUDITOR)
    assert error_codes(control) == [("BAD_USER_INPUT", "types.0")]  # refused before it runs: the variable named


async def test_verify_detects_edited_deleted_and_truncated_rows(store: Services) -> None:
    ids = await _case(store)
    for _ in range(3):
        data(await run(store, SHAPES, {"id": ids["case"]}))
    async with store.sessions() as session:
        assert (await _verify(store, session)).intact
    rows = await _rows(store)
    assert len(rows) == 6
    assert await _cli_verify(store) == 0
    async with store.sessions() as session, session.begin():
        await session.execute(update(AccessLogRow).where(AccessLogRow.id == rows[2].id).values(fields=["nothing"]))
    async with store.sessions() as session:
        verdict = await _verify(store, session)
    assert (verdict.intact, verdict.broken_at) == (False, rows[2].id)
    assert await _cli_verify(store) == 1
    async with store.sessions() as session, session.begin():
        await session.execute(update(AccessLogRow).where(AccessLogRow.id == rows[2].id).values(fields=rows[2].fields))
        await session.execute(delete(AccessLogRow).where(AccessLogRow.id == rows[1].id))
    async with store.sessions() as session:
        assert (await _verify(store, session)).broken_at == rows[2].id  # its link to the deleted row is gone
    async with store.sessions() as session, session.begin():
        await session.execute(delete(AccessLogRow).where(AccessLogRow.id >= rows[1].id))
    async with store.sessions() as session:
        verdict = await _verify(store, session)
    assert verdict.reason == "rows at the end of the log were deleted"


async def _cli_verify(store: Services) -> int:
    env = {
        **os.environ,
        "TRACKCHILD_DATABASE_URL": store.settings.database_url,
        "TRACKCHILD_DATABASE_SCHEMA": store.settings.database_schema or "",
        "TRACKCHILD_DATA_DIR": str(store.settings.data_dir),  # the development audit key and the anchor live there
    }
    command = [sys.executable, "-m", "trackchild_hub.cli", "audit", "verify"]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=60)
    return done.returncode


async def test_concurrent_requests_extend_one_unbroken_chain(store: Services) -> None:
    ids = await _case(store)
    before = len(await _rows(store))
    results = await asyncio.gather(*(run(store, SHAPES, {"id": ids["case"]}) for _ in range(12)))
    assert all(r.errors is None for r in results)
    rows = (await _rows(store))[before:]
    assert len(rows) == 12 * 2  # the child and the missing case, per request
    assert len({r.request_id for r in rows}) == 12
    async with store.sessions() as session:
        assert (await _verify(store, session)).intact
