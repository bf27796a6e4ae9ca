"""A change feed served from a list, for the sync tests and ``bench.sync_throughput``: the cursor is an offset, and
entries are records or malformed ones (external id, field) the connector drops and counts, as a real one does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackchild_hub.connectors.config import ConnectorKind
from trackchild_hub.connectors.port import Health, Records, SearchCriteria
from trackchild_hub.domain.records import CaseData

Malformed = tuple[str | None, str]  # what a connector reports of a record it dropped: external id, field


@dataclass
class ListedFeed:
    """A change feed served from a list (the cursor is an offset): records, and malformed ones the connector drops."""

    entries: list[CaseData | Malformed]
    id: str = "police-19"
    kind: ConnectorKind = ConnectorKind.POLICE
    state: str = "19"
    reads: list[str | None] = field(default_factory=list)

    async def changes_since(self, cursor: str | None, *, limit: int = 200, deadline: float | None = None) -> Records:
        self.reads.append(cursor)
        start = int(cursor or 0)
        page = self.entries[start : start + limit]
        end = start + len(page)
        bad = tuple(e for e in page if isinstance(e, tuple))
        return Records(
            [e for e in page if not isinstance(e, tuple)],
            dropped=len(bad),
            next_cursor=str(end) if end < len(self.entries) else None,
            rejected=bad,
        )

    async def search(self, criteria: SearchCriteria, *, deadline: float | None = None) -> Records:
        raise AssertionError("sync never searches")

    async def get(self, external_id: str, *, deadline: float | None = None) -> CaseData | None:
        raise AssertionError("sync never gets one record")

    async def health(self, *, deadline: float | None = None) -> Health:
        return Health(True, 0.0, "CLOSED")

    @property
    def malformed(self) -> int:
        return sum(isinstance(e, tuple) for e in self.entries)

    @property
    def breaker_state(self) -> str:
        return "CLOSED"

    async def aclose(self) -> None:
        return None
