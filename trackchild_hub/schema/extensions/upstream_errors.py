"""Reports upstream failures as errors beside the data the other sources gave (a partial answer, never a 500)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from ...resolvers.context import Context


class UpstreamErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if result is None or not isinstance(context, Context) or not context.upstream_errors:
            return
        reported = [
            GraphQLError(error.message, path=path, original_error=error, extensions=error.extensions())
            for path, error in context.upstream_errors
        ]
        result.errors = [*(result.errors or []), *reported]
