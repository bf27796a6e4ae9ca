"""The resilience wrapper alone, with scripted upstream behaviour (a unit test of one layer)."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from trackchild_hub.connectors.resilience import BreakerState, CircuitBreaker, Resilience
from trackchild_hub.domain.errors import UpstreamTimeout, UpstreamUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wrapper(**kwargs: object) -> Resilience:
    return Resilience("police-19", backoff_s=0.001, rng=random.Random(1), **kwargs)  # type: ignore[arg-type]


async def test_retries_idempotent_calls_until_success() -> None:
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise UpstreamUnavailable("police-19", "503")
        return "ok"

    assert await _wrapper(retries=2).call(flaky) == "ok"
    assert calls == 3


async def test_non_idempotent_calls_are_tried_once() -> None:
    calls = 0

    async def failing() -> str:
        nonlocal calls
        calls += 1
        raise UpstreamUnavailable("police-19", "503")

    with pytest.raises(UpstreamUnavailable):
        await _wrapper(retries=3).call(failing, idempotent=False)
    assert calls == 1


async def test_a_refusal_is_not_retried_but_counts_against_the_breaker() -> None:
    calls = 0

    async def refused() -> str:
        nonlocal calls
        calls += 1
        raise UpstreamUnavailable("police-19", "it refused the hub's credentials (401)", retryable=False)

    wrapper = _wrapper(retries=3)
    with pytest.raises(UpstreamUnavailable):
        await wrapper.call(refused)
    assert calls == 1
    assert wrapper.breaker.failures == 1


async def test_a_hang_costs_at_most_the_deadline() -> None:
    calls = 0

    async def hang() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(3600)
        return "never"

    started = time.monotonic()
    with pytest.raises(UpstreamTimeout, match=r"no answer within 0\.[0-2]"):
        await _wrapper(timeout_s=5.0, retries=5).call(hang, deadline=time.monotonic() + 0.2)
    assert calls == 1  # no retry once the deadline has passed
    # Ignoring the deadline would cost one 5 s timeout at least; 3 s is a loaded machine's margin, not a measurement.
    assert time.monotonic() - started < 3.0


async def test_breaker_opens_then_probes_then_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=10, clock=clock)
    wrapper = _wrapper(retries=0, breaker=breaker, clock=clock)
    calls = 0
    healthy = False

    async def upstream() -> str:
        nonlocal calls
        calls += 1
        if not healthy:
            raise UpstreamUnavailable("police-19", "refused")
        return "ok"

    for _ in range(3):
        with pytest.raises(UpstreamUnavailable):
            await wrapper.call(upstream)
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(UpstreamUnavailable, match="circuit open"):
        await wrapper.call(upstream)
    assert calls == 3  # not called while open
    clock.now += 10
    with pytest.raises(UpstreamUnavailable):
        await wrapper.call(upstream)  # the half-open probe fails: open again
    assert breaker.state is BreakerState.OPEN
    healthy = True
    clock.now += 10
    assert await wrapper.call(upstream) == "ok"
    assert breaker.state is BreakerState.CLOSED


async def test_concurrency_is_capped() -> None:
    running = peak = 0

    async def tracked() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    wrapper = _wrapper(max_concurrency=3)
    await asyncio.gather(*(wrapper.call(tracked) for _ in range(12)))
    assert peak == 3


async def test_the_breaker_counts_calls_not_their_retries_and_never_retries_a_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=10, clock=clock)
    wrapper = _wrapper(retries=2, breaker=breaker, clock=clock)
    attempts = 0

    async def down() -> str:
        nonlocal attempts
        attempts += 1
        raise UpstreamUnavailable("police-19", "503")

    for call in range(3):
        assert breaker.state is BreakerState.CLOSED  # a call's three attempts are one failure
        with pytest.raises(UpstreamUnavailable, match="503"):
            await wrapper.call(down)
        assert breaker.failures == call + 1
    assert breaker.state is BreakerState.OPEN
    assert attempts == 9
    clock.now += 10
    with pytest.raises(UpstreamUnavailable, match="503"):
        await wrapper.call(down)  # the half-open probe: one attempt, then open again
    assert attempts == 10
    assert breaker.state is BreakerState.OPEN
