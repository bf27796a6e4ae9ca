"""The Connector port: what the hub asks of a state system, in domain terms (no HTTP above this line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..domain.enums import CaseKind, Gender
from ..domain.records import CaseData
from .config import ConnectorKind

SEARCH_LIMIT = 50  # the exchange profile's default page of search results
MAX_SEARCH_LIMIT = 200  # and the most a system gives
SEARCH_ORDER = "reported_at"  # newest report first: the profile's one search order, the hub's list order too


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    name: str | None = None
    gender: Gender | None = None
    age: int | None = None
    district: str | None = None
    kind: CaseKind | None = None
    limit: int = SEARCH_LIMIT  # ask for the page the caller can show, not everything the system holds

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_SEARCH_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_SEARCH_LIMIT}, not {self.limit}")

    def as_params(self) -> dict[str, str | int | None]:
        """The profile's search parameters (REST query string, GraphQL variables): enums by value."""
        return {
            "name": self.name,
            "gender": self.gender.value if self.gender else None,
            "age": self.age,
            "district": self.district,
            "kind": self.kind.value if self.kind else None,
            "limit": self.limit,
            "order": SEARCH_ORDER,
        }


@dataclass(frozen=True, slots=True)
class Records:
    """Records an upstream returned, less the malformed ones (dropped and counted, never fatal)."""

    items: list[CaseData] = field(default_factory=list)
    dropped: int = 0
    next_cursor: str | None = None
    # (external id when the record had one, the field that failed): never the values, which may identify a child
    rejected: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    latency_ms: float
    breaker: str  # CLOSED | OPEN | HALF_OPEN, after the check
    detail: str | None = None


class Connector(Protocol):
    id: str
    kind: ConnectorKind
    state: str

    async def search(self, criteria: SearchCriteria, *, deadline: float | None = None) -> Records:
        """At most ``criteria.limit`` records like these, newest ``reported_at`` first."""
        ...

    async def get(self, external_id: str, *, deadline: float | None = None) -> CaseData | None: ...

    async def changes_since(
        self, cursor: str | None, *, limit: int = 200, deadline: float | None = None
    ) -> Records: ...

    async def health(self, *, deadline: float | None = None) -> Health: ...

    @property
    def malformed(self) -> int:
        """Records dropped as malformed since the connector was built."""
        ...

    @property
    def breaker_state(self) -> str:
        """CLOSED | OPEN | HALF_OPEN: whether the connector is calling its system now."""
        ...

    async def aclose(self) -> None:
        """Release what the connector holds of its own (a token endpoint client), on shutdown."""
        ...
