"""Property-based fuzzing of every root operation (hypothesis-graphql), per role, in-process on SQLite.

For each Query and Mutation field of the live schema, valid documents are generated with argument values drawn
partly from the seeded data (ids, references, LGD codes, station and institution codes) so that requests reach past
input validation, and partly at random (any text, huge numbers, far dates). Each runs as one of four callers: the
public, a national NGO, a district police officer, a national CPSU officer. Two properties:

- no answer ever carries ``INTERNAL_SERVER_ERROR`` (the failing document is printed);
- a mutation that answered with an error and no data wrote nothing: every table's row count and the cases'
  versions are unchanged.

Bounded for CI: ``derandomize=True`` (the same documents on every run), 30 examples per operation, no shrinking
(every failing document is collected and printed instead), SQLite only (the PostgreSQL-specific text checks have
their own tests in tests/http/test_text_arguments.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import date, timedelta
from typing import Any, TypeVar

import graphql
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes
from sqlalchemy import func, literal, select, union_all
from strawberry.types import ExecutionResult

from tests.factories import (
    BIHAR,
    HOWRAH,
    KOLKATA,
    PATNA,
    POLICE,
    PUBLIC,
    SCHEMA,
    WB,
    data,
    found_input,
    missing_input,
    run,
    seed_catalogue,
    today,
)
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import Base, CaseRow

T = TypeVar("T")
EXAMPLES = 30
CALLERS = {
    "public": PUBLIC,
    "ngo": Principal.for_agency(Agency.NGO, subject="ngo-fuzz"),
    "police-howrah": Principal.for_agency(Agency.POLICE, subject="police-fuzz", state=WB, district=HOWRAH),
    "cpsu": Principal.for_agency(Agency.CPSU, subject="cpsu-fuzz"),
}
GRAPHQL_SCHEMA = SCHEMA._schema
QUERY_FIELDS = sorted(GRAPHQL_SCHEMA.query_type.fields) if GRAPHQL_SCHEMA.query_type else []
MUTATION_FIELDS = sorted(GRAPHQL_SCHEMA.mutation_type.fields) if GRAPHQL_SCHEMA.mutation_type else []


async def _seed(store: Services) -> dict[str, list[str]]:
    """Records of each kind for the generated ids and codes to hit: cases in and out of Howrah, a confidential
    child, a match candidate."""
    await seed_catalogue(store)
    created = [
        data(await run(store, "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference } }", v))
        for v in (
            {"i": missing_input()},
            {"i": missing_input(place={"state": WB, "district": KOLKATA, "text": "Sealdah"})},
            {"i": missing_input(child={**missing_input()["child"], "confidential": True})},
        )
    ]
    missing = [c["reportMissing"] for c in created]
    found = data(
        await run(
            store, "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id reference } }", {"i": found_input()}
        )
    )["reportFound"]
    children = data(
        await run(
            store,
            "query($ids: ID!, $f: ID!) { a: case(id: $ids) { child { id } } b: case(id: $f) { child { id } } }",
            {"ids": missing[0]["id"], "f": found["id"]},
        )
    )
    candidates = data(
        await run(store, "query($id: ID!) { matchCandidates(caseId: $id) { id } }", {"id": found["id"]}, POLICE)
    )["matchCandidates"]
    return {
        "ids": [m["id"] for m in missing]
        + [found["id"], children["a"]["child"]["id"], children["b"]["child"]["id"]]
        + [c["id"] for c in candidates]
        + ["PS-19-313-001", "PS-19-313-002"],
        "strings": [m["reference"] for m in missing]
        + [found["reference"], "PS-19-313-001", "WB/CCI/2020/0001"]
        + ["local", "all", "Rahul", "Raju", "2026-27", ""],
    }


def _scalars(seeded: dict[str, list[str]]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Mostly seeded or plausible values, so that requests get past input checks; any value the type allows in a
    few (control characters, huge numbers, far dates), so that those checks are tried too."""
    recent = st.dates(min_value=today() - timedelta(days=400), max_value=today())
    printable = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=30)
    anything = st.text(max_size=40)
    ids, codes = st.sampled_from(seeded["ids"]), st.sampled_from([WB, HOWRAH, KOLKATA, BIHAR, PATNA])
    known = st.sampled_from(seeded["strings"])
    return {
        "ID": st.one_of(ids, ids, ids, ids, printable, anything).map(nodes.String),
        "String": st.one_of(codes, codes, codes, known, known, printable, printable, anything).map(nodes.String),
        "Int": st.one_of(st.integers(1, 30), st.integers(1, 30), st.integers(1, 30), st.integers()).map(nodes.Int),
        "Float": st.one_of(
            st.floats(-90, 90), st.floats(-90, 90), st.floats(allow_nan=False, allow_infinity=False)
        ).map(nodes.Float),
        "Date": st.one_of(recent, recent, st.dates(min_value=date(1, 1, 1))).map(nodes.String),
        "DateTime": st.one_of(recent, st.dates()).map(lambda d: nodes.String(f"{d.isoformat()}T10:00:00+05:30")),
        # Amounts (INR lakh): mostly plausible, some with too many places, NaN, infinities, or not numbers at all.
        "Decimal": st.one_of(
            st.decimals(min_value=0, max_value=500, places=2), st.decimals(allow_nan=True), printable
        ).map(lambda d: nodes.String(str(d))),
        # A file travels only as a multipart part (tests/http/test_photos.py); inline, an Upload can be text alone.
        "Upload": st.one_of(printable, anything).map(nodes.String),
        "_Any": st.fixed_dictionaries(
            {"__typename": st.sampled_from(["Child", "MissingCase", "FoundCase", "CareCase", "PoliceStation"])},
        )
        .flatmap(lambda rep: ids.map(lambda i: {**rep, "id": i}))
        .map(_object),
    }


def _object(value: dict[str, str]) -> graphql.ObjectValueNode:
    return nodes.Object(
        [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=nodes.String(v)) for k, v in value.items()]
    )


async def _fingerprint(store: Services) -> list[tuple[str, int]]:
    """Every table's row count, plus the sum of case versions (an update in place changes no count)."""
    counts = [
        select(literal(table.name).label("t"), func.count().label("n")).select_from(table)
        for table in Base.metadata.sorted_tables
    ]
    versions = select(literal("case versions").label("t"), func.coalesce(func.sum(CaseRow.version), 0).label("n"))
    async with store.sessions() as session:
        return sorted((t, int(n)) for t, n in (await session.execute(union_all(*counts, versions))).all())


def _internal(result: ExecutionResult) -> list[str]:
    return [
        f"{e.message} at {e.path}"
        for e in result.errors or []
        if (e.extensions or {}).get("code", "INTERNAL_SERVER_ERROR") == "INTERNAL_SERVER_ERROR"
    ]


async def _fuzz(store: Services, field: str, is_mutation: bool) -> list[str]:
    seeded = await _seed(store)
    loop = asyncio.get_running_loop()
    problems: list[str] = []

    def on_loop(coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=120)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        caller=st.sampled_from(sorted(CALLERS)),
        document=from_schema(GRAPHQL_SCHEMA, fields=[field], custom_scalars=_scalars(seeded)),
    )
    def check(caller: str, document: str) -> None:
        before = on_loop(_fingerprint(store)) if is_mutation else None
        try:
            result = on_loop(run(store, document, None, CALLERS[caller]))
        except Exception as exc:  # the executor itself must never raise
            problems.append(f"{caller}: raised {type(exc).__name__}: {exc}\n{document}")
            return
        internal = _internal(result)
        if internal:
            problems.append(f"{caller}: INTERNAL_SERVER_ERROR {internal}\n{document}")
        if is_mutation and result.errors and not (result.data or {}).get(field):
            after = on_loop(_fingerprint(store))
            if after != before:
                changed = sorted(set(after) ^ set(before or []))
                problems.append(f"{caller}: refused ({result.errors[0].message}) but wrote {changed}\n{document}")

    await asyncio.to_thread(check)
    return problems


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
@pytest.mark.parametrize("field", QUERY_FIELDS)
async def test_queries_never_fail_internally(store: Services, field: str) -> None:
    problems = await _fuzz(store, field, is_mutation=False)
    assert not problems, f"{len(problems)} of {EXAMPLES} documents failed:\n\n" + "\n\n".join(problems[:5])


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
@pytest.mark.parametrize("field", MUTATION_FIELDS)
async def test_mutations_never_fail_internally_nor_write_when_refused(store: Services, field: str) -> None:
    problems = await _fuzz(store, field, is_mutation=True)
    assert not problems, f"{len(problems)} of {EXAMPLES} documents failed:\n\n" + "\n\n".join(problems[:5])
