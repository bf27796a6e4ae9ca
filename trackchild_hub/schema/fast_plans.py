"""Which public fields ``fast_fields.FastFields`` may complete the short way, decided once per schema field.

A field qualifies when its value needs nothing graphql-core would do for it beyond reading and completing it:

- **plain** (strawberry's "basic field": an attribute, no resolver, no field extension; every protected field carries
  a ``ScopeGuard``, so none is plain) or **direct** (``direct_resolvers``: a function of the source and the context);
- no arguments;
- of a scalar or enum type, an object type, an interface whose implementations are known by their Python classes,
  or (plain fields only) a list of such objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_leaf_type,
)
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from .direct_resolvers import MARK

PLAN = "trackchild-fast-field"


@dataclass(frozen=True, slots=True)
class Completion:
    """How a (list item's) value completes: a leaf's coercion, or the object types its Python classes map to."""

    coerce: Callable[[Any], Any] | None = None
    object_type: GraphQLObjectType | None = None  # one object type: its is_type_of decides
    classes: Mapping[type, GraphQLObjectType] | None = None  # an interface: the value's class picks the type


@dataclass(frozen=True, slots=True)
class Plan:
    read: Callable[..., Any]  # (source) for a plain field, (source, info) for a direct one
    direct: bool
    completion: Completion
    in_list: bool = False  # a list of values completed alike
    item_non_null: bool = False


def install(schema: GraphQLSchema) -> int:
    """Give every qualifying field its plan (after ``direct_resolvers.install``); how many."""
    planned = 0
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for graphql_field in graphql_type.fields.values():
            plan = plan_of(schema, graphql_field)
            if plan is not None:
                graphql_field.extensions = {**(graphql_field.extensions or {}), PLAN: plan}
                planned += 1
    return planned


def plan_of(schema: GraphQLSchema, graphql_field: GraphQLField) -> Plan | None:
    field = (graphql_field.extensions or {}).get("strawberry-definition")
    if not isinstance(field, StrawberryField) or graphql_field.args or graphql_field.resolve is None:
        return None
    named = _nullable(graphql_field.type)
    if field.base_resolver is not None and getattr(field.base_resolver.wrapped_func, MARK, None) is not None:
        completion = _completion(schema, named)
        return Plan(graphql_field.resolve, True, completion) if completion else None
    # strawberry resolves a basic field (no resolver, no extension) by getattr in _get_basic_result
    if not field.is_basic_field or getattr(graphql_field.resolve, "__name__", "") != "_get_basic_result":
        return None
    read = attrgetter(field.python_name)
    if isinstance(named, GraphQLList):
        item = _completion(schema, _nullable(named.of_type))
        if item is None or item.coerce is not None:
            return None  # lists of scalars are cheap in graphql-core already and rare here
        return Plan(read, False, item, in_list=True, item_non_null=isinstance(named.of_type, GraphQLNonNull))
    completion = _completion(schema, named)
    return Plan(read, False, completion) if completion else None


def _nullable(graphql_type: GraphQLOutputType) -> GraphQLOutputType:
    return graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type


def _completion(schema: GraphQLSchema, named: GraphQLOutputType) -> Completion | None:
    if is_leaf_type(named):
        return Completion(coerce=named.coerce_output_value)
    if isinstance(named, GraphQLObjectType):
        return Completion(object_type=named)
    if isinstance(named, GraphQLInterfaceType):
        classes: dict[type, GraphQLObjectType] = {}
        for object_type in schema.get_possible_types(named):
            definition = (object_type.extensions or {}).get("strawberry-definition")
            if not isinstance(definition, StrawberryObjectDefinition) or definition.is_graphql_generic:
                return None
            classes[definition.origin] = object_type
        return Completion(classes=classes)
    return None
