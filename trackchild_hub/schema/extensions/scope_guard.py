"""Enforces a field's ``@requiresScopes`` declaration, on that field only (other fields pay nothing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.federation.schema_directives import RequiresScopes
from strawberry.types import Info
from strawberry.types.field import StrawberryField


class FieldAccessDenied(Exception):
    """The caller lacks the scopes a field declares; becomes ``UNAUTHORIZED_FIELD_OR_TYPE`` with the path."""

    def __init__(self, field: str, scopes: list[list[str]]) -> None:
        needed = " or ".join(" and ".join(group) for group in scopes)
        super().__init__(f"{field} needs the scope {needed}")


class ScopeGuard(FieldExtension):
    scopes: list[list[str]]

    def apply(self, field: StrawberryField) -> None:
        # The declaration on the field is the single source: what the SDL shows is what is enforced.
        declared = [d for d in field.directives if isinstance(d, RequiresScopes)]
        if len(declared) != 1:
            raise TypeError(f"{field.python_name}: ScopeGuard needs exactly one @requiresScopes")
        self.scopes = [[str(s) for s in group] for group in declared[0].scopes]
        self.field_name = field.python_name

    def _check(self, source: Any, info: Info[Any, Any]) -> None:
        if not info.context.principal.satisfies(self.scopes):
            raise FieldAccessDenied(info.field_name, self.scopes)
        # Served: into the access log, whatever the query shape (aliases, fragments, _entities) that got here.
        entity_type, entity_id = (
            source.audit_entity()
            if hasattr(source, "audit_entity")
            else (
                type(source).__name__,
                str(source.id),
            )
        )
        info.context.reads.record(entity_type, entity_id, info.field_name)

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any) -> Any:
        self._check(source, info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        self._check(source, info)
        result = next_(source, info, **kwargs)
        if isinstance(result, Awaitable):
            return await result
        return result
