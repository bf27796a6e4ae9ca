"""Every field's access decision, declared where the field is defined.

``protected(...)`` puts Federation's ``@requiresScopes`` on a field and attaches the ``ScopeGuard`` that enforces
exactly that declaration; ``public(...)`` records a deliberate decision that anyone may read the field;
``public_type`` does so for a whole type of reference data. A test walks the schema and fails on any field that
has none of these.

Root fields (queries and mutations) declare who may call them instead: ``operation(...)`` puts ``@requiresScopes``
on the root field and attaches the ``OperationGuard`` (``FORBIDDEN``); ``public_operation(...)`` is the deliberate
decision, with its reason, that anyone may call it. Both also declare ``records``: for each argument path that names
an existing record (``input.childId``), the function of ``resolvers.record_access`` that resolves it through the
record rule, or ``PUBLIC_RECORD`` for a public directory record. A test fails on a root field without one of these
and on an id-like argument without a declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import strawberry

from ..auth.scopes import Scope
from .extensions.operation_guard import OperationGuard
from .extensions.scope_guard import ScopeGuard

ACCESS = "access"
PUBLIC = "public"
OPERATION = "operation"
PUBLIC_OPERATION = "public operation"
WHY_PUBLIC = "why public"
RECORDS = "records"
PUBLIC_TYPES: set[str] = set()
# A reference to a record anyone may read (a police station, an institution, a directory entry): naming it reveals
# nothing, and the operation's own write rule decides where a write may land.
PUBLIC_RECORD = "a public directory record"

Records = Mapping[str, Callable[..., Any] | str]

C = TypeVar("C", bound=type)

IDENTITY = [[Scope.CHILD_IDENTITY.value]]
SENSITIVE = [[Scope.CHILD_SENSITIVE.value]]


def any_of(*scopes: Scope) -> list[list[str]]:
    """``@requiresScopes`` for "any one of these scopes" (``any_of(Scope.CASES_READ)``: just that one)."""
    return [[s.value] for s in scopes]


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


def operation(
    scopes: list[list[str]],
    description: str,
    resolver: Callable[..., Any],
    *,
    records: Records | None = None,
    **kwargs: Any,
) -> Any:
    """A root field only callers holding ``scopes`` (outer list OR, inner AND) may call; FORBIDDEN otherwise."""
    return strawberry.federation.field(
        resolver=resolver,
        description=description,
        requires_scopes=scopes,
        extensions=[OperationGuard()],
        metadata={ACCESS: OPERATION, RECORDS: dict(records or {})},
        **kwargs,
    )


def public_operation(
    description: str, resolver: Callable[..., Any], *, why: str, records: Records | None = None, **kwargs: Any
) -> Any:
    """A root field anyone may call, the public included; ``why`` says why that is deliberate."""
    metadata = {ACCESS: PUBLIC_OPERATION, WHY_PUBLIC: why, RECORDS: dict(records or {})}
    return strawberry.field(resolver=resolver, description=description, metadata=metadata, **kwargs)


def public_type(cls: C) -> C:
    """Mark a type whose every field is public reference data (states, page info)."""
    PUBLIC_TYPES.add(cls.__name__)
    return cls
