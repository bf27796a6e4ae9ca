"""Gives every error an ``extensions.code`` from CONTRACT.md and masks internal failures in production."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from ...domain.errors import HubError
from .scope_guard import FieldAccessDenied

log = logging.getLogger("trackchild_hub.errors")


class ErrorCodes(SchemaExtension):
    def __init__(self, *, mask_internal: bool = False) -> None:
        self.mask_internal = mask_internal

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [self._coded(e) for e in result.errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """A subscription's results (and the errors it is refused or ends with) are coded as a query's."""
        if getattr(result, "errors", None):
            result.errors = [self._coded(e) for e in result.errors]
        yield

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        extensions = dict(error.extensions or {})
        message = error.message
        if isinstance(original, HubError):
            extensions.update(original.extensions())
        elif isinstance(original, FieldAccessDenied):
            extensions["code"] = "UNAUTHORIZED_FIELD_OR_TYPE"
        elif original is not None and not isinstance(original, GraphQLError):
            # Type, path and frames only: exception messages (SQL parameters, values) may quote a child's data.
            frames = "".join(traceback.format_tb(original.__traceback__))
            log.error("internal error at %s: %s\n%s", error.path, type(original).__name__, frames)
            extensions["code"] = "INTERNAL_SERVER_ERROR"
            if self.mask_internal:
                message = "Internal server error"
        elif error.path is None:
            extensions.setdefault("code", _request_error_code(message))
        else:
            extensions.setdefault("code", "INTERNAL_SERVER_ERROR")
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=original,
            extensions=extensions,
        )


def _request_error_code(message: str) -> str:
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable "):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"
