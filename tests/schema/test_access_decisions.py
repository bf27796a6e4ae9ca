"""Every field of the schema has an access decision, and protected fields can be withheld (nullable)."""

from __future__ import annotations

from pathlib import Path

from strawberry.federation.schema_directives import RequiresScopes
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from tests.factories import SCHEMA
from trackchild_hub.schema.access import ACCESS, PUBLIC, PUBLIC_TYPES
from trackchild_hub.schema.extensions.scope_guard import ScopeGuard
from trackchild_hub.schema.sdl import federation_sdl


def _definitions() -> list[StrawberryObjectDefinition]:
    out = []
    for type_def in SCHEMA.schema_converter.type_map.values():
        definition = type_def.definition
        if isinstance(definition, StrawberryObjectDefinition) and not definition.is_input:
            out.append(definition)
    return out


def _served_fields(definition: StrawberryObjectDefinition) -> list[StrawberryField]:
    """The fields GraphQL serves (not strawberry.Private ones, not federation's _entities/_service)."""
    names = {name for name, t in SCHEMA.schema_converter.type_map.items() if t.definition is definition}
    served = {f for name in names for f in SCHEMA._schema.type_map[name].fields}  # type: ignore[union-attr]
    graphql_name = SCHEMA.config.name_converter.get_graphql_name
    return [
        f
        for f in definition.fields
        if graphql_name(f) in served and not (definition.name == "Query" and f.name.startswith("_"))
    ]


ROOTS = {"Query", "Mutation", "Subscription"}  # decided per operation: tests/schema/test_operation_access.py


def test_every_field_has_an_access_decision() -> None:
    undecided = []
    for definition in _definitions():
        if definition.name.startswith("_") or definition.name in ROOTS:  # federation's own _Service; operations
            continue
        for field in _served_fields(definition):
            scoped = any(isinstance(d, RequiresScopes) for d in field.directives)
            public = field.metadata.get(ACCESS) == PUBLIC or definition.name in PUBLIC_TYPES
            if scoped == public:
                undecided.append(f"{definition.name}.{field.name}")
    assert undecided == [], f"fields without exactly one access decision: {undecided}"


def test_protected_fields_are_nullable_and_guarded() -> None:
    protected = []
    for definition in _definitions():
        if definition.name in ROOTS:
            continue
        for field in _served_fields(definition):
            if any(isinstance(d, RequiresScopes) for d in field.directives):
                protected.append(f"{definition.name}.{field.name}")
                assert "Optional" in repr(field.type) or "None" in repr(field.type), f"{definition.name}.{field.name}"
                assert any(isinstance(e, ScopeGuard) for e in field.extensions), f"{definition.name}.{field.name}"
    # The identity fields partners rely on are among them.
    assert {"Child.name", "Child.guardians", "Child.aliases", "Reporter.phone"} <= set(protected)
    # Free text written by officers and reporters may identify a child (issue 10, hole 6).
    assert {
        "MissingCase.circumstances",
        "FoundCase.current_placement",
        "MissingCase.closure_reason",
        "FoundCase.closure_reason",
        "CareCase.closure_reason",
        "CaseEvent.note",
    } <= set(protected)


def test_no_protected_field_on_an_interface() -> None:
    for definition in _definitions():
        if definition.is_interface:
            assert not [f for f in definition.fields if any(isinstance(d, RequiresScopes) for d in f.directives)]


def test_committed_schema_graphql_matches_the_live_schema() -> None:
    committed = (Path(__file__).parents[2] / "schema.graphql").read_text(encoding="utf-8")
    assert committed == federation_sdl(SCHEMA), "schema.graphql drifted: run `make sdl` and review the diff"


def test_sdl_links_federation_2_9_and_declares_scopes() -> None:
    sdl = federation_sdl(SCHEMA)
    assert 'specs.apollo.dev/federation/v2.9"' in sdl
    assert 'name: String @requiresScopes(scopes: [["child:identity"]])' in sdl
    for entity in ("Child", "MissingCase", "FoundCase", "CareCase", "Institution", "PoliceStation"):
        assert f"type {entity} " in sdl
        assert '@key(fields: "id")' in sdl.split(f"type {entity} ", 1)[1].split("{", 1)[0]
