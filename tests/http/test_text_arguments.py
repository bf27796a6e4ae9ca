"""Control characters and over-long strings are refused at the edge, in every door, on both databases.

The doors are found by walking the schema: every root field (query or mutation) with a string somewhere in its
arguments (``String``, ``ID``, ``_Any``, inside input objects and lists). Each string is sent with a NUL in it, once
as an inline literal and once in a variable, the rest of the arguments filled with plausible values; the answer must
be ``BAD_USER_INPUT`` naming that string's path, never an internal error, and nothing may be written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    StringValueNode,
    Undefined,
    get_named_type,
    print_ast,
)
from sqlalchemy import func, select

from tests.factories import SCHEMA, WB, hub_client, run, today
from trackchild_hub.app import dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.extensions.text_arguments import MAX_STRING_CHARS, text_problem
from trackchild_hub.store.models import Base

NATIONAL = Principal.for_agency(Agency.CPSU, subject="cpsu-1")
STRING_TYPES = {"String", "ID", "_Any"}
POISON = "Raj\x00u"


@dataclass(frozen=True)
class Probe:
    operation: str  # "query" | "mutation"
    field: str
    argument: str
    path: tuple[str | int, ...]  # inside the argument's value
    leaf: str  # the scalar at the end of the path

    @property
    def dotted(self) -> str:
        """The path the answer must name (an ``_Any`` representation is poisoned in its ``id``)."""
        return ".".join([self.argument, *map(str, self.path), *(["id"] if self.leaf == "_Any" else [])])

    def __str__(self) -> str:
        return f"{self.field}({self.dotted})"


def _strings(
    type_: GraphQLInputType, path: tuple[str | int, ...], seen: frozenset[str]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Paths to every string leaf of ``type_`` (a list contributes its first item)."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        yield from _strings(inner.of_type, (*path, 0), seen)
    elif isinstance(inner, GraphQLInputObjectType) and inner.name not in seen:
        for name, field in inner.fields.items():
            yield from _strings(field.type, (*path, name), seen | {inner.name})
    elif isinstance(inner, GraphQLScalarType) and inner.name in STRING_TYPES:
        yield path, inner.name


def probes() -> list[Probe]:
    found = []
    for operation, root in (("query", SCHEMA._schema.query_type), ("mutation", SCHEMA._schema.mutation_type)):
        assert root is not None
        for field_name, field in root.fields.items():
            for arg_name, arg in field.args.items():
                found += [Probe(operation, field_name, arg_name, *leaf) for leaf in _strings(arg.type, (), frozenset())]
    return found


PROBES = probes()

# Plausible values for what the probe does not poison, so the poisoned string is the only thing wrong.
FILLERS: dict[str, Any] = {
    "state": WB,
    "district": "313",
    "latitude": 22.59,
    "longitude": 88.31,
    "first": 5,
    "version": 1,
}


def _filler(name: str, type_: GraphQLInputType) -> Any:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return [_filler(name, inner.of_type)]
    if isinstance(inner, GraphQLInputObjectType):
        return {n: _filler(n, f.type) for n, f in inner.fields.items() if _required(f.type, f)}
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if name in FILLERS:
        return FILLERS[name]
    return {
        "Int": 1,
        "Float": 1.0,
        "Boolean": False,
        "Decimal": "1",
        "Date": today().isoformat(),
        "DateTime": f"{today().isoformat()}T10:00:00+05:30",
        "_Any": {"__typename": "Child", "id": "1"},
    }.get(inner.name, "x")


def _required(type_: GraphQLInputType, field: GraphQLArgument | GraphQLInputField) -> bool:
    return isinstance(type_, GraphQLNonNull) and field.default_value is Undefined


def _poisoned(type_: GraphQLInputType, path: tuple[str | int, ...], name: str) -> Any:
    """A value of ``type_`` with required parts filled and the string at ``path`` poisoned."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if not path:
        if isinstance(inner, GraphQLScalarType) and inner.name == "_Any":
            return {"__typename": "Child", "id": POISON}
        return POISON
    if isinstance(inner, GraphQLList):
        return [_poisoned(inner.of_type, path[1:], name)]
    assert isinstance(inner, GraphQLInputObjectType)
    value = {n: _filler(n, f.type) for n, f in inner.fields.items() if _required(f.type, f)}
    key = str(path[0])
    value[key] = _poisoned(inner.fields[key].type, path[1:], key)
    return value


def _literal(value: Any, type_: GraphQLInputType | None) -> str:
    """``value`` as a GraphQL literal (``ast_from_value`` cannot print an ``_Any`` object)."""
    named = get_named_type(type_) if type_ is not None else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value if isinstance(named, GraphQLEnumType) else print_ast(StringValueNode(value=value))
    item = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(value, list):
        return (
            "[" + ", ".join(_literal(v, item.of_type if isinstance(item, GraphQLList) else None) for v in value) + "]"
        )
    fields = named.fields if isinstance(named, GraphQLInputObjectType) else {}
    return (
        "{" + ", ".join(f"{k}: {_literal(v, fields[k].type if k in fields else None)}" for k, v in value.items()) + "}"
    )


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    return "" if isinstance(named, GraphQLScalarType | GraphQLEnumType) else " { __typename }"


def operations(probe: Probe) -> tuple[tuple[str, dict[str, Any] | None], tuple[str, dict[str, Any]]]:
    """The probe as an inline literal and as variables: (document, variables) twice."""
    root = SCHEMA._schema.query_type if probe.operation == "query" else SCHEMA._schema.mutation_type
    assert root is not None
    field = root.fields[probe.field]
    values = {
        name: _poisoned(arg.type, probe.path, name) if name == probe.argument else _filler(name, arg.type)
        for name, arg in field.args.items()
        if name == probe.argument or _required(arg.type, arg)
    }
    selection = _selection(field)
    inline_args = ", ".join(f"{n}: {_literal(v, field.args[n].type)}" for n, v in values.items())
    inline = f"{probe.operation} {{ {probe.field}({inline_args}){selection} }}"
    declared = ", ".join(f"${n}: {field.args[n].type}" for n in values)
    passed = ", ".join(f"{n}: ${n}" for n in values)
    with_variables = f"{probe.operation}({declared}) {{ {probe.field}({passed}){selection} }}"
    return (inline, None), (with_variables, values)


async def row_count(store: Services) -> int:
    async with store.sessions() as session:
        total = 0
        for table in Base.metadata.sorted_tables:
            total += int(await session.scalar(select(func.count()).select_from(table)) or 0)
        return total


def test_the_walk_finds_every_door_that_takes_a_string() -> None:
    doors = {p.field for p in PROBES}
    # The ones the attack hit, by name: a schema change that drops one from the walk fails here.
    expected = {"case", "cases", "child", "institution", "directory", "matchCandidates", "auditTrail", "_entities"}
    expected |= {"reportMissing", "reportFound", "admitToInstitution", "updateCase", "transferCase", "closeCase"}
    expected |= {"reviewMatch", "upsertDirectoryEntry", "retireDirectoryEntry", "findMatches", "coveringBodies"}
    assert expected <= doors, expected - doors
    assert len(PROBES) > 50


async def test_a_nul_in_any_string_argument_is_bad_user_input_naming_it(store: Services) -> None:
    before = await row_count(store)
    wrong: list[tuple[object, ...]] = []
    for probe in PROBES:
        for document, variables in operations(probe):
            result = await run(store, document, variables, principal=NATIONAL)
            got = [(e.extensions or {}).get("code") for e in result.errors or []]
            fields = [(e.extensions or {}).get("field") for e in result.errors or []]
            if result.data is not None or got != ["BAD_USER_INPUT"] or fields != [probe.dotted]:
                wrong.append((str(probe), "variables" if variables else "inline", got, fields))
            elif "control character (U+0000)" not in result.errors[0].message:  # type: ignore[index]
                wrong.append((str(probe), "message", result.errors[0].message))  # type: ignore[index]
    assert not wrong, f"{len(wrong)} of {len(PROBES) * 2}: {wrong[:10]}"
    assert await row_count(store) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tab\there,\nnew line\r\n", None),
        ("রাজু\u200cকুমার", None),  # a zero-width non-joiner is how Bengali is written, not a control
        ("a\x7fb", "contains a control character (U+007F)"),
        ("a\x85b", "contains a control character (U+0085)"),
        ("\x1b[31m", "contains a control character (U+001B)"),
        ("a\ud800b", "contains an unpaired surrogate (U+D800)"),
        ("x" * MAX_STRING_CHARS, None),
        ("x" * (MAX_STRING_CHARS + 1), f"is longer than {MAX_STRING_CHARS:,} characters ({MAX_STRING_CHARS + 1:,})"),
    ],
)
def test_which_text_is_refused(text: str, problem: str | None) -> None:
    assert text_problem(text) == problem


CASE_BY_REFERENCE = "query($r: String) { case(reference: $r) { id } }"
FIND = "query($d: ChildDescriptionInput!) { findMatches(description: $d) { score } }"


async def test_an_over_long_string_is_refused_naming_it(store: Services) -> None:
    result = await run(store, CASE_BY_REFERENCE, {"r": "x" * (MAX_STRING_CHARS + 1)}, principal=NATIONAL)
    assert result.data is None
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["BAD_USER_INPUT"]
    assert (result.errors or [])[0].message == f"r is longer than {MAX_STRING_CHARS:,} characters (10,001)"


async def test_newlines_and_tabs_pass_the_edge(store: Services) -> None:
    description = {"name": "Raju\tKumar", "gender": "MALE", "ageYears": 9}
    result = await run(store, FIND, {"d": description}, principal=NATIONAL)
    assert all((e.extensions or {}).get("code") != "BAD_USER_INPUT" for e in result.errors or []), result.errors


async def test_over_http_a_nul_in_a_variable_is_400_bad_user_input(store: Services) -> None:
    issuer = dev_issuer(store.settings)
    token = issuer.issue(issuer.clients["demo-cpsu"])
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/graphql-response+json"}
    before = await row_count(store)
    async with hub_client(store.settings) as client:
        response = await client.post(
            "/graphql",
            content=b'{"query": "mutation($i: ID!) { retireDirectoryEntry(id: $i) { id } }",'
            b' "variables": {"i": "PS-19-313-001\\u0000"}}',
            headers={**headers, "Content-Type": "application/json"},
        )
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "i"}
    assert body["errors"][0]["message"] == "i contains a control character (U+0000)"
    assert await row_count(store) == before
