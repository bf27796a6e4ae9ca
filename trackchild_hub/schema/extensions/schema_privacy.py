"""In production the schema is shown only to agencies: no introspection and no "Did you mean …" for anonymous callers.

A security scanner's first step is ``__schema``; the second is guessing field names and reading the suggestions.
Both are refused to callers without a verified token, while an agency's token still gets both (their developers
build on the schema). ``__typename`` stays: clients need it to read unions and interfaces. ``_service { sdl }`` is
the federation form of introspection, so it is refused too: compose the supergraph from ``trackchild-hub sdl``, or
let the gateway send a token.

graphql-core 3.3 can hide suggestions (``hide_suggestions``), but strawberry 0.341 does not pass it to validation
or variable coercion, so they are cut from the messages of this request's errors instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import FieldNode, GraphQLError, ValidationRule
from strawberry.extensions import SchemaExtension

SCHEMA_FIELDS = frozenset({"__schema", "__type", "_service"})
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


class NoIntrospectionRule(ValidationRule):
    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value in SCHEMA_FIELDS:
            message = (
                f"introspection ({node.name.value}) is disabled for anonymous callers: "
                "send an agency's bearer token (Authorization: Bearer …)"
            )
            self.report_error(GraphQLError(message, node, extensions={"code": "FORBIDDEN"}))


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)


class SchemaPrivacy(SchemaExtension):
    def __init__(self, *, public_may_introspect: bool) -> None:
        self.public_may_introspect = public_may_introspect

    def _hidden(self) -> bool:
        context = self.execution_context.context
        return not self.public_may_introspect and (context is None or context.principal.is_public)

    def on_operation(self) -> Iterator[None]:
        hidden = self._hidden()
        if hidden:
            context = self.execution_context
            context.validation_rules = (*context.validation_rules, NoIntrospectionRule)
        yield
        result = self.execution_context.result
        if hidden and result is not None and result.errors:
            for error in result.errors:
                error.message = without_suggestions(error.message)
