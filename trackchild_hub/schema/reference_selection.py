"""Whether a ``cases`` page's nodes show anything that needs a live record's references looked up in the store.

A live record names its police station and institution by code; their ids (and a district taken from the station)
come from a read of the store after the merge (``resolvers.live_rows.settle``), which the page then waits for.
Only a few fields show them (``place``, ``institution``, and whatever hangs under nested cases), so a page whose
nodes select only fields the record carries itself skips that read. The list is of fields known not to need it:
any other field, or a fragment, keeps the read.
"""

from __future__ import annotations

from strawberry.types.nodes import SelectedField

from ..resolvers.context import Info

RECORD_OWN_FIELDS = frozenset({"__typename", "id", "reference", "kind", "status", "eventDate", "reportedAt"})
RECORD_OWN_FIELDS |= {"provenance"}  # source, external id, fetched at: the record's own


def references_selected(info: Info) -> bool:
    """False only when every selection under ``cases { edges { node } }`` is one of ``RECORD_OWN_FIELDS``."""
    for cases in info.selected_fields:
        if not isinstance(cases, SelectedField):
            return True
        for edges in _fields(cases):
            if edges is None:
                return True
            if edges.name != "edges":
                continue
            for node in _fields(edges):
                if node is None:
                    return True
                if node.name != "node":
                    continue
                if any(f is None or f.name not in RECORD_OWN_FIELDS for f in _fields(node)):
                    return True
    return False


def _fields(field: SelectedField) -> list[SelectedField | None]:
    """The fields selected directly under ``field``; None for a fragment (not looked into)."""
    return [s if isinstance(s, SelectedField) else None for s in field.selections]
