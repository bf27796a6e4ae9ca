"""Every field's access decision, declared where the field is defined.

``protected(...)`` puts Federation's ``@requiresScopes`` on a field and attaches the ``ScopeGuard`` that enforces
exactly that declaration; ``public(...)`` records a deliberate decision that anyone may read the field;
``public_type`` does so for a whole type of reference data. A test walks the schema and fails on any field that
has none of these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from ..auth.scopes import Scope
from .extensions.scope_guard import ScopeGuard

ACCESS = "access"
PUBLIC = "public"
PUBLIC_TYPES: set[str] = set()

C = TypeVar("C", bound=type)

IDENTITY = [[Scope.CHILD_IDENTITY.value]]
SENSITIVE = [[Scope.CHILD_SENSITIVE.value]]


def public(description: str, resolver: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
    if resolver is not None:
        return strawberry.field(resolver=resolver, description=description, metadata={ACCESS: PUBLIC}, **kwargs)
    return strawberry.field(description=description, metadata={ACCESS: PUBLIC}, **kwargs)


def protected(
    scopes: list[list[str]], description: str, resolver: Callable[..., Any] | None = None, **kwargs: Any
) -> Any:
    """A field only callers holding ``scopes`` (outer list OR, inner AND) may read; null and an error otherwise."""
    field_kwargs: dict[str, Any] = {
        "description": description,
        "requires_scopes": scopes,
        "extensions": [ScopeGuard()],
        **kwargs,
    }
    if resolver is not None:
        field_kwargs["resolver"] = resolver
    return strawberry.federation.field(**field_kwargs)


def public_type(cls: C) -> C:
    """Mark a type whose every field is public reference data (states, page info)."""
    PUBLIC_TYPES.add(cls.__name__)
    return cls
