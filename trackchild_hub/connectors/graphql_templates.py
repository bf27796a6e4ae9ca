"""The ``[connector.graphql]`` table: what a GraphQL state system is asked, and where its answers hold the records.

    [connector.graphql]
    path = "/graphql"   # appended to base_url; the default
    search = '''query($name: String, $gender: Gender, $age: Int, $district: String, $kind: CaseKind, $limit: Int) {
                  page: search(name: $name, gender: $gender, age: $age, district: $district, kind: $kind,
                               limit: $limit) { items } }'''
    get = 'query($externalId: String!) { record: case(externalId: $externalId) }'
    changes = 'query($cursor: String, $limit: Int) { page: cases(cursor: $cursor, limit: $limit) { items nextCursor } }'
    health = '{ health { status } }'
    items_path = "page.items"             # dotted paths into the answer's ``data``; search and changes share
    next_cursor_path = "page.nextCursor"  # items_path, so alias both fields alike
    record_path = "record"

Each template is one GraphQL query. The hub passes the variables the REST profile names as query parameters
(search: ``name``, ``gender``, ``age``, ``district``, ``kind``, ``limit``, ``order``; get: ``externalId``; changes:
``cursor``, ``limit``; health: none), only those the template declares and only those with a value, so a template
asks for what its system understands and its defaults apply to the rest. Search's ``limit`` is the page the hub can
show (declare it: a system that answers with everything it matches costs the hub its parsing and mapping) and
``order`` is always ``reported_at``, newest first. Enum values are the exchange record's (``MALE``,
``MISSING``). Records found at the paths go through the connector's mapping like REST records.
``sandbox.simulator.GRAPHQL_TEMPLATES`` is a complete example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse

from ..domain.errors import BadUserInput

VARIABLES: Mapping[str, frozenset[str]] = {
    "search": frozenset({"name", "gender", "age", "district", "kind", "limit", "order"}),
    "get": frozenset({"externalId"}),
    "changes": frozenset({"cursor", "limit"}),
    "health": frozenset(),
}
PATHS = ("items_path", "next_cursor_path", "record_path")
_NAME_PATH = re.compile(r"[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)*")


@dataclass(frozen=True, slots=True)
class GraphQLTemplates:
    search: str
    get: str
    changes: str
    health: str
    items_path: str
    next_cursor_path: str
    record_path: str
    path: str = "/graphql"
    declared: Mapping[str, frozenset[str]] = field(default_factory=dict)  # the variables each template declares

    @classmethod
    def from_config(cls, raw: object, where: str) -> GraphQLTemplates:
        """From a ``[connector.graphql]`` table; ``where`` names the connector (``connector police-19``)."""
        here = f"{where}.graphql"
        if not isinstance(raw, Mapping):
            raise BadUserInput(here, "must be a table")
        unknown = set(raw) - {*VARIABLES, *PATHS, "path"}
        if unknown:
            raise BadUserInput(here, f"unknown keys {sorted(unknown)}")
        documents = {name: _text(raw, name, here) for name in VARIABLES}
        paths = {name: _text(raw, name, here) for name in PATHS}
        for name, value in paths.items():
            if not _NAME_PATH.fullmatch(value):
                raise BadUserInput(f"{here}.{name}", f"{value!r} is not a dotted path of field names, e.g. page.items")
        path = raw.get("path", "/graphql")
        if not isinstance(path, str) or not path.startswith("/"):
            raise BadUserInput(f"{here}.path", "must be a path starting with /")
        declared = {name: _declared(text, name, f"{here}.{name}") for name, text in documents.items()}
        return cls(**documents, **paths, path=path, declared=declared)

    def variables(self, template: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """The ``values`` to send with ``template``: those it declares, and that have a value."""
        wanted = self.declared.get(template, VARIABLES[template])
        return {k: v for k, v in values.items() if k in wanted and v is not None}


def at(data: object, path: str) -> object:
    """The value at a dotted ``path`` in ``data``; None when any step is missing."""
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _declared(document: str, name: str, where: str) -> frozenset[str]:
    try:
        tree = parse(document)
    except GraphQLError as exc:
        raise BadUserInput(where, f"is not a GraphQL document: {exc.message}") from None
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        raise BadUserInput(where, "must hold exactly one query (no mutation or subscription)")
    declared = frozenset(v.variable.name.value for v in operations[0].variable_definitions or ())
    extra = declared - VARIABLES[name]
    if extra:
        passed = ", ".join(f"${v}" for v in sorted(VARIABLES[name])) or "none"
        unknown = ", ".join(f"${v}" for v in sorted(extra))
        raise BadUserInput(where, f"declares {unknown}, which the hub never passes here (it passes: {passed})")
    return declared


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadUserInput(f"{where}.{key}", "is required (a string)")
    return value.strip()
