"""Calling the selected connectors concurrently under one deadline; each reports how it answered.

No connector can hold the request past the deadline: besides each adapter's own budget (``Resilience``), the whole
call is cut off at the deadline. A failure is an ``UpstreamError`` beside the others' records, never an exception.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..connectors.port import Connector, Health, SearchCriteria
from ..domain.errors import UpstreamError, UpstreamTimeout
from ..domain.records import CaseData

GRACE_S = 0.05  # lets an adapter raise its own, more precise timeout before the fan-out cuts it off


@dataclass(frozen=True, slots=True)
class SourceCall:
    connector: Connector
    health: Health  # ok, latency, breaker state after the call, and the error in words
    records: list[CaseData] = field(default_factory=list)
    dropped: int = 0
    error: UpstreamError | None = None


async def fan_out(connectors: Sequence[Connector], criteria: SearchCriteria, deadline_s: float) -> list[SourceCall]:
    deadline = time.monotonic() + deadline_s
    return list(await asyncio.gather(*(_call(c, criteria, deadline) for c in connectors)))


async def _call(connector: Connector, criteria: SearchCriteria, deadline: float) -> SourceCall:
    started = time.monotonic()
    try:
        records = await asyncio.wait_for(
            connector.search(criteria, deadline=deadline), max(0.0, deadline - started) + GRACE_S
        )
    except TimeoutError:
        error: UpstreamError = UpstreamTimeout(connector.id, "no answer before the request's deadline")
    except UpstreamError as exc:
        error = exc
    else:
        latency = (time.monotonic() - started) * 1000
        health = Health(True, latency, connector.breaker_state)
        return SourceCall(connector, health, records.items, records.dropped)
    latency = (time.monotonic() - started) * 1000
    health = Health(False, latency, connector.breaker_state, f"{error.code}: {error.message}")
    return SourceCall(connector, health, error=error)
