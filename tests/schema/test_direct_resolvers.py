"""``@direct`` relation fields go to graphql-core as they are; protected fields never do."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType, GraphQLSchema

from tests.factories import SCHEMA
from trackchild_hub.schema.access import IDENTITY, protected, public
from trackchild_hub.schema.cases import _child, _place
from trackchild_hub.schema.direct_resolvers import direct, install


def _resolver(schema: GraphQLSchema, type_name: str, field_name: str) -> Any:
    graphql_type = schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    return graphql_type.fields[field_name].resolve


def test_relations_resolve_directly_and_protected_fields_through_their_guard() -> None:
    schema = SCHEMA._schema
    for kind in ("MissingCase", "FoundCase", "CareCase"):
        assert _resolver(schema, kind, "child") is _child
    place = _resolver(schema, "MissingCase", "place")
    assert place is not _place  # (root) only: adapted to graphql-core's (root, info)
    assert getattr(_place, "__trackchild_direct__", None) == 1
    # child.name is protected: strawberry's resolver with the ScopeGuard, never a direct one.
    name = _resolver(schema, "Child", "name")
    assert name is not None
    assert getattr(name, "__trackchild_direct__", None) is None
    assert "strawberry" in name.__module__


def test_a_direct_resolver_takes_root_and_info_only() -> None:
    def three(root: object, info: object, first: int) -> None:
        return None

    with pytest.raises(TypeError, match="takes \\(root\\) or \\(root, info\\)"):
        direct(three)


@direct
def _secret(root: Any, info: strawberry.Info) -> str:
    return "x"


@strawberry.type(description="A type with a protected field marked direct.")
class Holder:
    value: str = protected(IDENTITY, "Protected.", resolver=_secret)


def _holder() -> Holder:
    return Holder()


@strawberry.type(description="Root.")
class HolderQuery:
    holder: Holder = public("The holder.", resolver=_holder)


def test_a_protected_field_marked_direct_is_refused_at_build() -> None:
    schema = strawberry.federation.Schema(query=HolderQuery, federation_version="2.9")
    with pytest.raises(TypeError, match="only public fields without arguments resolve directly"):
        install(schema._schema)
