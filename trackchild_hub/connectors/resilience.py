"""The one resilience wrapper every adapter call goes through.

Per-call timeout (never past the request's deadline), retries with jittered exponential backoff for idempotent calls
only, a circuit breaker per connector (open after repeated failures, one half-open probe after a pause), and a
concurrency cap. Adapters raise ``UpstreamUnavailable``/``UpstreamTimeout``; anything else passes through untouched.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from ..domain.errors import UpstreamError, UpstreamTimeout, UpstreamUnavailable

T = TypeVar("T")


class BreakerState(Enum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


@dataclass(slots=True)
class CircuitBreaker:
    failure_threshold: int = 5
    open_seconds: float = 10.0
    clock: Callable[[], float] = time.monotonic
    state: BreakerState = BreakerState.CLOSED
    failures: int = 0
    opened_at: float = 0.0
    probing: bool = False

    def allow(self) -> bool:
        if self.state is BreakerState.OPEN and self.clock() - self.opened_at >= self.open_seconds:
            self.state, self.probing = BreakerState.HALF_OPEN, False
        if self.state is BreakerState.HALF_OPEN:
            if self.probing:
                return False  # one probe at a time
            self.probing = True
            return True
        return self.state is BreakerState.CLOSED

    def succeeded(self) -> None:
        self.state, self.failures, self.probing = BreakerState.CLOSED, 0, False

    def failed(self) -> None:
        self.failures += 1
        if self.state is BreakerState.HALF_OPEN or self.failures >= self.failure_threshold:
            self.state, self.opened_at, self.probing = BreakerState.OPEN, self.clock(), False


@dataclass(slots=True)
class Resilience:
    source: str
    timeout_s: float = 2.0
    retries: int = 2
    backoff_s: float = 0.1
    max_concurrency: int = 8
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)
    _slots: asyncio.Semaphore | None = None

    async def call(
        self, attempt: Callable[[], Awaitable[T]], *, idempotent: bool = True, deadline: float | None = None
    ) -> T:
        """Run ``attempt`` under the timeout, retry and breaker rules; ``deadline`` is on ``clock``'s scale. The
        breaker counts calls, not attempts: a call that failed after its retries is one failure (``breaker_failures``
        calls in a row open it), and a failed half-open probe reopens it at once, not retried."""
        tries = 1 + (self.retries if idempotent else 0)
        last: UpstreamError | None = None
        for number in range(tries):
            if not self.breaker.allow():
                if last is None:
                    raise UpstreamUnavailable(self.source, "circuit open: the system failed repeatedly, not calling it")
                break  # opened meanwhile by other calls: this one's own error stands
            budget = self.timeout_s if deadline is None else min(self.timeout_s, deadline - self.clock())
            if budget <= 0:
                if last is None:
                    raise UpstreamTimeout(self.source, "the request's deadline passed")
                break
            try:
                async with self._semaphore():
                    result = await asyncio.wait_for(attempt(), budget)
            except (TimeoutError, UpstreamTimeout):
                last = UpstreamTimeout(self.source, f"no answer within {budget:.2f} s")
            except UpstreamUnavailable as exc:
                last = exc
            else:
                self.breaker.succeeded()
                return result
            if not last.retryable or self.breaker.state is BreakerState.HALF_OPEN:
                break
            if number + 1 < tries:
                pause = self.backoff_s * (2**number) * (0.5 + self.rng.random())  # jitter: no thundering herd
                if deadline is not None and self.clock() + pause >= deadline:
                    break
                await asyncio.sleep(pause)
        assert last is not None
        self.breaker.failed()
        raise last

    def _semaphore(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_concurrency)
        return self._slots
