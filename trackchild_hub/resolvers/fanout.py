"""Calling the selected connectors concurrently under one deadline; each reports how it answered.

No connector can hold the request past the deadline: besides each adapter's own budget (``Resilience``), the whole
call is cut off at the deadline. A failure is an ``UpstreamError`` beside the others' records, never an exception.

``FanOut`` starts every search at once and hands the answers over in the order they arrive, so the caller turns the
fast systems' records into rows while the slowest is still answering: what is left after the last answer is that
system's own records and the merge. Each adapter maps and validates its records as its answer comes in (in its own
task), never after the others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
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
    asked: int = 0  # the limit the system was asked for: a full page means it may hold more


class FanOut:
    """The searches, started when built (inside a running event loop); ``arrivals`` yields them as they answer.

    ``deadline`` is on ``time.monotonic``'s scale: the request's one deadline, however many rounds it takes. Use it
    as an async context manager: leaving early (an error while the answers are handled) cancels the searches still
    running, so none outlives its request.
    """

    def __init__(self, connectors: Sequence[Connector], criteria: SearchCriteria, deadline: float) -> None:
        self.connectors = list(connectors)
        self._tasks = [asyncio.ensure_future(_call(c, criteria, deadline)) for c in self.connectors]

    async def __aenter__(self) -> FanOut:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for task in self._tasks:
            task.cancel()

    async def arrivals(self) -> AsyncIterator[SourceCall]:
        """Each source's call, the first to answer (or fail) first."""
        for arrival in asyncio.as_completed(self._tasks):
            yield await arrival


async def fan_out(connectors: Sequence[Connector], criteria: SearchCriteria, deadline_s: float) -> list[SourceCall]:
    """Every source's call, in the order of ``connectors``, once the last has answered."""
    async with FanOut(connectors, criteria, time.monotonic() + deadline_s) as calls:
        by_source = {call.connector.id: call async for call in calls.arrivals()}
    return [by_source[c.id] for c in connectors]


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
        return SourceCall(connector, health, records.items, records.dropped, asked=criteria.limit)
    latency = (time.monotonic() - started) * 1000
    health = Health(False, latency, connector.breaker_state, f"{error.code}: {error.message}")
    return SourceCall(connector, health, error=error, asked=criteria.limit)
