"""A page of cases, and how each live source answered when the page was federated."""

from __future__ import annotations

import strawberry

from ..resolvers.sources import SourceHealth
from ..store.models import CaseRow
from ..store.pagination import Page
from .access import public_type
from .case_kinds import case_of
from .cases import Case
from .pagination import Edge, PageInfo
from .sources import SourceStatus


@public_type
@strawberry.type(description="A page of cases from the hub's store and any live sources asked.")
class CaseConnection:
    edges: list[Edge[Case]] = strawberry.field(description="The cases of this page, newest report first.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    sources: list[SourceStatus] | None = strawberry.field(
        description="How each live source answered for this page; null when only the hub's store was asked."
    )

    @classmethod
    def of_cases(cls, page: Page[CaseRow], sources: list[SourceHealth] | None) -> CaseConnection:
        return cls(
            edges=[Edge(cursor=c, node=case_of(r)) for r, c in zip(page.rows, page.cursors, strict=True)],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.cursors[-1] if page.cursors else None),
            sources=None if sources is None else [SourceStatus.of(s) for s in sources],
        )
