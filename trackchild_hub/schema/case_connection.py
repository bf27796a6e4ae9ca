"""A page of cases, and how each live source answered when the page was federated."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from ..resolvers.context import Info
from ..resolvers.sources import SourceHealth
from ..store.case_records import CaseRecord
from ..store.cases import Joins
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
    def of_cases(cls, page: Page[CaseRow | CaseRecord], sources: list[SourceHealth] | None) -> CaseConnection:
        return cls(
            edges=[Edge(cursor=c, node=case_of(r)) for r, c in zip(page.rows, page.cursors, strict=True)],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.cursors[-1] if page.cursors else None),
            sources=None if sources is None else [SourceStatus.of(s) for s in sources],
        )


def joins_selected(info: Info) -> Joins:
    """The to-one relations the caller selected on ``cases``'s nodes: read with the page, in its statement.

    Fragments count whatever their type condition (``... on CareCase { institution }``): at worst a relation is
    joined that one kind of case does not show. ``@skip``/``@include`` are not evaluated, for the same reason.
    """
    nodes = _nodes(info)
    return Joins(
        child=any(_named(nodes, "child")),
        police_station=any(_below(nodes, "place", "policeStation")),
        institution=any(_named(nodes, "institution")),
    )


# Fields a live record carries itself (provenance: its source, external id, fetched at). Its police station and
# institution are named by code; their ids (and the station's district) come from the store read
# ``resolvers.live_rows.settle`` makes after the slowest answer, which a page showing only these fields skips.
RECORD_OWN_FIELDS = frozenset(
    {"__typename", "id", "reference", "kind", "status", "eventDate", "reportedAt", "provenance"}
)


def references_selected(info: Info) -> bool:
    """False only when every field selected on ``cases``'s nodes is one of ``RECORD_OWN_FIELDS``.

    A fragment on the nodes is not looked into: it keeps the read.
    """
    return any(not isinstance(s, SelectedField) or s.name not in RECORD_OWN_FIELDS for s in _nodes(info))


def _nodes(info: Info) -> list[Selection]:
    """What is selected on ``cases``'s nodes (fragments on the way there are looked through)."""
    return list(_below(info.selected_fields, "cases", "edges", "node"))


def _named(selections: Iterable[Selection], name: str) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                yield selection
        else:  # a fragment: its fields are the selection's own
            yield from _named(selection.selections, name)


def _below(selections: Iterable[Selection], *path: str) -> Iterator[Selection]:
    """What is selected under the fields named by ``path``, one name per level."""
    if not path:
        yield from selections
        return
    for field in _named(selections, path[0]):
        yield from _below(field.selections, *path[1:])
