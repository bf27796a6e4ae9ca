"""Reading a connector's whole change feed, as the tests compare it with what the hub stored or another adapter read."""

from __future__ import annotations

from trackchild_hub.connectors.port import Connector
from trackchild_hub.domain.records import CaseData


async def walk_changes(connector: Connector, *, limit: int = 200) -> tuple[list[CaseData], int]:
    """Every record of the feed in order, following next_cursor to the end, and how many were dropped as malformed."""
    records: list[CaseData] = []
    dropped, cursor = 0, None
    while True:
        page = await connector.changes_since(cursor, limit=limit)
        records += page.items
        dropped += page.dropped
        if page.next_cursor is None:
            return records, dropped
        cursor = page.next_cursor
