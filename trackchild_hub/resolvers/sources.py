"""How each connected state system is doing: checked concurrently, under one deadline."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ..connectors.port import Connector, Health
from .context import Context

DEADLINE_S = 3.0


@dataclass(frozen=True, slots=True)
class SourceHealth:
    connector: Connector
    health: Health
    dropped: int  # malformed records left out: of a fan-out answer, or (health check) since the hub started


async def source_health(ctx: Context) -> list[SourceHealth]:
    deadline = time.monotonic() + DEADLINE_S
    connectors = ctx.services.connectors
    healths = await asyncio.gather(*(c.health(deadline=deadline) for c in connectors))
    return [SourceHealth(c, h, c.malformed) for c, h in zip(connectors, healths, strict=True)]
