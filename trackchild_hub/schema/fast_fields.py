"""Public fields completed without graphql-core's per-field machinery.

A page of 50 nested cases has about 750 fields. For each, graphql-core builds a ``Path`` and a resolve info, calls
the resolver (strawberry's default one for a plain attribute) and walks ``complete_value``: about as much work as the
rest of the request together. ``FastFields.execute_fields`` takes the fields that ``fast_plans`` qualified the short
way: a leaf is read and coerced; a direct field is called with an info that carries only ``context`` (all direct
resolvers use); an object (or an interface's implementation, or a list of them) has its sub-fields collected and
executed at once.

Any other field, and any value that needs more (an awaitable, null on a non-null field, an exception, a value the
type refuses, a class the plan does not know), takes graphql-core's own path with a full resolve info, so answers,
errors and their paths are what graphql-core gives. Protected fields are never plain (each carries a ``ScopeGuard``),
so every access decision and access-log record still runs. ``tests/schema/test_fast_fields.py`` compares answers
and errors with graphql-core's executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLNonNull, GraphQLObjectType, GraphQLOutputType, Undefined
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import get_strawberry_type_cast

from .fast_plans import PLAN, Completion, Plan

NOT_FAST = object()  # the value needs graphql-core's own completion


@dataclass(frozen=True, slots=True)
class ContextOnly:
    """The info a direct resolver and an ``is_type_of`` get: ``context``, and nothing they do not use."""

    context: Any


class FastFields(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's ``execute_fields``, with the fields ``fast_plans`` qualified taken the short way."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        fields = parent_type.fields
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                field_def = fields.get(field_details_list[0].node.name.value)
                plan: Plan | None = field_def.extensions.get(PLAN) if field_def and field_def.extensions else None
                field_path = Path(path, response_name, parent_type.name)
                # incremental delivery under way (position_context), or a directive on the field: the long way
                if plan is None or position_context is not None or field_details_list[0].node.directives:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                    if result is Undefined:
                        continue
                else:
                    result = self._short(parent_type, field_def, plan, source_value, field_details_list, field_path)
                results[response_name] = result
                if is_awaitable(result):
                    awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _gathered(results, awaitable_fields)

    def _short(
        self,
        parent_type: GraphQLObjectType,
        field_def: GraphQLField,
        plan: Plan,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> Any:
        return_type = field_def.type
        try:
            value = plan.read(source, self._context_only()) if plan.direct else plan.read(source)
            if value is None and not isinstance(return_type, GraphQLNonNull):
                return None
            if value is not None and not isinstance(value, Exception) and not self.is_awaitable(value):
                if plan.in_list:
                    completed = self._list(plan, value, field_details_list, path)
                else:
                    completed = self._value(plan.completion, value, field_details_list, path)
                if completed is not NOT_FAST:
                    return self._settled(completed, return_type, field_details_list, path)
            if not plan.direct:  # a plain attribute read again costs nothing and changes nothing
                return self.execute_field(parent_type, source, field_details_list, path, None)
            info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
            if self.is_awaitable(value):
                return self.complete_awaitable_value(return_type, field_details_list, info, path, value, None)
            completed = self.complete_value(return_type, field_details_list, info, path, value, None)
            return self._settled(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _value(self, completion: Completion, value: Any, field_details_list: FieldDetailsList, path: Path) -> Any:
        if completion.coerce is not None:
            coerced = completion.coerce(value)
            return NOT_FAST if coerced is None or coerced is Undefined else coerced
        object_type = self._object_type(completion, value)
        if object_type is None:
            return NOT_FAST
        return self.collect_and_execute_subfields(object_type, field_details_list, path, value, None)

    def _object_type(self, completion: Completion, value: Any) -> GraphQLObjectType | None:
        if completion.classes is not None:
            if get_strawberry_type_cast(value) is not None:
                return None
            object_type = completion.classes.get(type(value))
        else:
            object_type = completion.object_type
        if object_type is None:
            return None
        if object_type.is_type_of is not None and object_type.is_type_of(value, self._context_only()) is not True:  # type: ignore[arg-type]
            return None
        return object_type

    def _list(self, plan: Plan, values: Any, field_details_list: FieldDetailsList, path: Path) -> Any:
        if not isinstance(values, list):
            return NOT_FAST
        types = [None if v is None else self._object_type(plan.completion, v) for v in values]
        if any(t is None and v is not None for t, v in zip(types, values, strict=True)):
            return NOT_FAST  # decided before any item runs: nothing is executed twice
        if plan.item_non_null and any(v is None for v in values):
            return NOT_FAST
        completed: list[Any] = []
        awaitable_items: list[int] = []
        for index, (item, object_type) in enumerate(zip(values, types, strict=True)):
            if object_type is None:
                completed.append(None)
                continue
            item_path = path.add_key(index, None)
            try:
                result = self.collect_and_execute_subfields(object_type, field_details_list, item_path, item, None)
                if self.is_awaitable(result):
                    result = self._item_settled(result, object_type, plan, field_details_list, item_path)
                    awaitable_items.append(index)
            except Exception as raw_error:
                self._item_error(raw_error, object_type, plan, field_details_list, item_path)
                result = None
            completed.append(result)
        if not awaitable_items:
            return completed
        return _gathered_items(completed, awaitable_items)

    def _item_error(
        self, raw_error: Exception, object_type: GraphQLObjectType, plan: Plan, fdl: FieldDetailsList, path: Path
    ) -> None:
        item_type: GraphQLOutputType = GraphQLNonNull(object_type) if plan.item_non_null else object_type
        self.handle_field_error(raw_error, item_type, fdl, path)  # raises for a non-null item, as graphql-core does

    async def _item_settled(
        self, result: Any, object_type: GraphQLObjectType, plan: Plan, fdl: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await result
        except Exception as raw_error:
            self._item_error(raw_error, object_type, plan, fdl, path)
            return None

    def _settled(
        self, completed: Any, return_type: GraphQLOutputType, field_details_list: FieldDetailsList, path: Path
    ) -> Any:
        if not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, field_details_list, path)
                return None

        return await_completed()

    def _context_only(self) -> ContextOnly:
        light: ContextOnly | None = self.__dict__.get("_light")
        if light is None:
            light = self.__dict__["_light"] = ContextOnly(self.context_value)
        return light


async def _gathered(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    """graphql-core's tail of ``execute_fields``: one awaitable awaited alone, several gathered."""
    if len(awaitable_fields) == 1:
        name = awaitable_fields[0]
        results[name] = await results[name]
    else:
        awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
    return results


async def _gathered_items(completed: list[Any], awaitable_items: list[int]) -> list[Any]:
    awaited = await gather_with_cancel(*(completed[i] for i in awaitable_items))
    for index, value in zip(awaitable_items, awaited, strict=True):
        completed[index] = value
    return completed
