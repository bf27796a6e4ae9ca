"""Relay-style cursor connections: ``edges { cursor node }`` and ``pageInfo``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from ..store.pagination import Page
from .access import public_type

N = TypeVar("N")
R = TypeVar("R")


@public_type
@strawberry.type(description="Where a page sits: pass endCursor as `after` for the next one.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item of this page.")


@public_type
@strawberry.type(description="An item and its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque cursor of this item.")
    node: N = strawberry.field(description="The item.")


@public_type
@strawberry.type(description="A page of items.")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Paging information.")

    @classmethod
    def of(cls, page: Page[R], node: Callable[[R], N]) -> Connection[N]:
        edges = [Edge(cursor=c, node=node(r)) for r, c in zip(page.rows, page.cursors, strict=True)]
        cursors: Sequence[str] = page.cursors
        return cls(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=cursors[-1] if cursors else None),
        )
