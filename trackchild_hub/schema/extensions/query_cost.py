"""Depth and cost of one operation, measured on the parsed document before validation or execution.

Cost is an upper bound on the objects a response may hold: every field costs 1, and a field's children are
multiplied by how many times they can appear:

- a field with a ``first`` argument: its value (a literal, a variable's value, the variable's default, else the
  argument's default in the schema). On a list field it multiplies the list's items; on a connection (``cases``,
  ``institutions``, ``directory``) it sizes that connection's ``edges``/``nodes`` list;
- any other list of objects (``Child.cases``, ``_entities``, ``events``…): ``DEFAULT_LIST_SIZE``.

Fragments and inline fragments are expanded where they are spread (each fragment measured once per page size, so a
fragment spread many times costs its measure many times but is walked once). The document is not validated yet:
an unknown field costs 1 with unknown children, an unknown fragment nothing, and a fragment cycle (refused later by
validation) is cut where it closes. Introspection (``__schema``, ``__type``) counts as one field of depth 1: its
nesting is bounded by graphql-core's ``MaxIntrospectionDepthRule`` and by who may introspect, and GraphiQL's own
introspection query is 15 levels deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

DEFAULT_LIST_SIZE = 20  # a list nobody sized: a child's cases, a case's events, a gateway's batch of entities
PAGED_LISTS = frozenset({"edges", "nodes"})  # the lists a connection's ``first`` sizes
INTROSPECTION = frozenset({"__schema", "__type"})
CEILING = 2**62  # costs saturate here: past any limit, and keeps arithmetic on huge nestings cheap
MAX_FRAGMENT_NESTING = 100  # fragments spread within fragments; the walk recurses, and no client nests this far
# Root fields that aggregate over every row of the reader's jurisdiction, one costly SQL query each however small the
# page: each costs this much more, so one operation holds at most four (30 aliases of staleInstitutions were 30
# national aggregates in one request, about 25 s of database time at 100,000 children in care).
AGGREGATES = frozenset(
    {
        "staleInstitutions",
        "overCapacityInstitutions",
        "overdueAhtuReports",
        "overdueCareReviews",
        "overdueCareFollowUps",
    }
)
AGGREGATE_COST = 5000


class FragmentsTooNested(Exception):
    """A chain of more than ``MAX_FRAGMENT_NESTING`` fragments, each spreading the next."""


@dataclass(frozen=True, slots=True)
class Measure:
    depth: int
    cost: int

    def plus(self, other: Measure) -> Measure:
        return Measure(max(self.depth, other.depth), min(CEILING, self.cost + other.cost))


NOTHING = Measure(0, 0)


def measure(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None, operation_name: str | None
) -> Measure:
    """The largest depth and cost over the operations that may run (the named one, else every one)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    named = [o for o in operations if o.name is not None and o.name.value == operation_name]
    result = NOTHING
    for operation in named or operations:
        result = result.plus(_Walk(schema, document, operation, variables or {}).operation())
    return result


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema, self.operation_node = schema, operation
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and isinstance(definition.default_value, IntValueNode):
                self.variables[name] = int(definition.default_value.value)
        self.measured: dict[tuple[str, int | None], Measure] = {}
        self.open: set[str] = set()

    def operation(self) -> Measure:
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[self.operation_node.operation]
        return self.selections(self.operation_node.selection_set, root, None)

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None, page: int | None) -> Measure:
        """``page``: the size a connection's ``first`` gives its ``edges``/``nodes`` among these selections."""
        total = NOTHING
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total = total.plus(self.field(selection, parent, page))
            elif isinstance(selection, FragmentSpreadNode):
                total = total.plus(self.spread(selection.name.value, page))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total = total.plus(self.selections(selection.selection_set, inner, page))
        return total

    def spread(self, name: str, page: int | None) -> Measure:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return NOTHING  # unknown or cyclic: validation refuses the document after this check
        key = (name, page)
        if key not in self.measured:
            if len(self.open) >= MAX_FRAGMENT_NESTING:
                raise FragmentsTooNested
            self.open.add(name)
            condition = self.schema.get_type(fragment.type_condition.name.value)
            self.measured[key] = self.selections(fragment.selection_set, condition, page)
            self.open.discard(name)
        return self.measured[key]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int | None) -> Measure:
        if node.selection_set is None or node.name.value in INTROSPECTION:
            return Measure(1, 1)
        definition = _field(parent, node.name.value)
        if definition is None:
            inner = self.selections(node.selection_set, None, None)
            return Measure(1 + inner.depth, min(CEILING, 1 + inner.cost))
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        first = self.first(node, definition)
        child_page: int | None = None
        if first is not None and not is_list:
            times, child_page = 1, first  # a connection: ``first`` sizes its edges
        elif first is not None:
            times = first
        elif is_list:
            times = page if page is not None and node.name.value in PAGED_LISTS else DEFAULT_LIST_SIZE
        else:
            times = 1
        inner = self.selections(node.selection_set, get_named_type(definition.type), child_page)
        own = AGGREGATE_COST if parent is self.schema.query_type and node.name.value in AGGREGATES else 1
        return Measure(1 + inner.depth, min(CEILING, own + times * inner.cost))

    def first(self, node: FieldNode, definition: GraphQLField) -> int | None:
        if "first" not in definition.args:
            return None
        value: object = None
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                digits = argument.value.value
                value = int(digits) if len(digits) < 19 else CEILING  # int() refuses 4,300+ digits; past any limit
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
        if value is None:
            value = definition.args["first"].default_value
        if not isinstance(value, int) or isinstance(value, bool):
            return DEFAULT_LIST_SIZE
        return max(0, value)


def _field(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field: GraphQLField | None = parent.fields.get(name)
        return field
    return None
