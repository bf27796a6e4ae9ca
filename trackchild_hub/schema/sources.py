"""``sources``: the state systems the hub federates, and how each answered just now."""

from __future__ import annotations

import strawberry

from ..resolvers.sources import SourceHealth
from .access import public_type


@public_type  # gated where it is served: `sources` needs cases:read
@strawberry.type(description="A connected state police or WCD system and how it answered.")
class SourceStatus:
    source: str = strawberry.field(description="The connector's id, also the `source` of its records.")
    kind: str = strawberry.field(description="police or wcd.")
    state: str = strawberry.field(description="LGD code of the state it serves.")
    ok: bool = strawberry.field(description="It answered its health check in time.")
    latency_ms: float = strawberry.field(description="How long the check took.")
    error: str | None = strawberry.field(description="UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT, with the reason.")
    breaker_state: str = strawberry.field(description="CLOSED, OPEN (not being called) or HALF_OPEN.")
    dropped: int = strawberry.field(
        description="Malformed records it sent and the hub left out: in this answer (a fan-out), or since the hub "
        "started (the top-level `sources`)."
    )

    @classmethod
    def of(cls, item: SourceHealth) -> SourceStatus:
        c, h = item.connector, item.health
        return cls(
            source=c.id,
            kind=c.kind.value,
            state=c.state,
            ok=h.ok,
            latency_ms=round(h.latency_ms, 1),
            error=h.detail,
            breaker_state=h.breaker,
            dropped=item.dropped,
        )
