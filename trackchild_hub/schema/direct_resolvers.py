"""Public relation fields resolved by graphql-core directly, without strawberry's per-field wrapper.

Strawberry wraps every field that has a resolver: a ``strawberry.Info`` built, the arguments converted, the field
extensions chained, then the function called. For the nested case page that is ~290 calls per request (``place``,
``child``, ``district``, ``policeStation``, ``institution`` per case) for functions that take no arguments and use
only ``info.context``, which graphql-core's own ``GraphQLResolveInfo`` carries too. ``@direct`` marks such a
function; ``install`` hands it to graphql-core as the field's resolver after the schema is built.

Only public fields qualify: a field with an extension (``ScopeGuard`` on every protected field) or with arguments
keeps strawberry's path, so every access decision and its access-log record still run (``install`` refuses
otherwise, at build time).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from graphql import GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

from .access import ACCESS, PUBLIC

F = TypeVar("F", bound=Callable[..., Any])
MARK = "__trackchild_direct__"


def direct(fn: F) -> F:
    """Resolve this field's value with ``fn(root, info)`` straight from graphql-core (``info.context`` only)."""
    params = list(inspect.signature(fn).parameters)
    if params not in (["root"], ["root", "info"]):
        raise TypeError(f"{fn.__name__}: a direct resolver takes (root) or (root, info), not {params}")
    setattr(fn, MARK, len(params))
    return fn


def install(schema: GraphQLSchema) -> int:
    """Give graphql-core the ``@direct`` functions of the schema's fields as their resolvers; how many."""
    installed = 0
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, graphql_field in graphql_type.fields.items():
            field = (graphql_field.extensions or {}).get("strawberry-definition")
            if not isinstance(field, StrawberryField) or field.base_resolver is None:
                continue
            fn: Any = field.base_resolver.wrapped_func
            arity = getattr(fn, MARK, None)
            if arity is None:
                continue
            if field.extensions or field.arguments or field.metadata.get(ACCESS) != PUBLIC:
                raise TypeError(f"{graphql_type.name}.{name}: only public fields without arguments resolve directly")
            graphql_field.resolve = fn if arity == 2 else _root_only(fn)
            installed += 1
    return installed


def _root_only(fn: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    return lambda root, _info: fn(root)
