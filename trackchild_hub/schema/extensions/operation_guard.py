"""Enforces a root field's ``@requiresScopes`` declaration: who may call the operation at all.

Where ``ScopeGuard`` withholds one field of a served record (null, ``UNAUTHORIZED_FIELD_OR_TYPE``), this refuses
the whole operation before its resolver runs (``FORBIDDEN``): nothing is read, nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import OperationType
from strawberry.extensions import FieldExtension
from strawberry.federation.schema_directives import RequiresScopes
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from ...domain.errors import Forbidden, Unauthenticated


class OperationGuard(FieldExtension):
    scopes: list[list[str]]

    def apply(self, field: StrawberryField) -> None:
        # The declaration on the field is the single source: what the SDL shows is what is enforced.
        declared = [d for d in field.directives if isinstance(d, RequiresScopes)]
        if len(declared) != 1:
            raise TypeError(f"{field.python_name}: OperationGuard needs exactly one @requiresScopes")
        self.scopes = [[str(s) for s in group] for group in declared[0].scopes]

    def _check(self, info: Info[Any, Any]) -> None:
        principal = info.context.principal
        if principal.is_public and info.operation.operation is OperationType.SUBSCRIPTION:
            # A console without a token has not signed in (queries and mutations: the public role, FORBIDDEN).
            raise Unauthenticated(
                f"{info.field_name} needs a bearer token",
                suggestion='send it in connection_init\'s payload: {"Authorization": "Bearer <token>"}',
            )
        if not principal.satisfies(self.scopes):
            needed = " or ".join(" and ".join(group) for group in self.scopes)
            raise Forbidden(f"{info.field_name} needs the scope {needed}", suggestion="ask for a token that grants it")

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any) -> Any:
        self._check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        self._check(info)
        result = next_(source, info, **kwargs)
        if isinstance(result, Awaitable):
            return await result
        return result
