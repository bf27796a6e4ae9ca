"""The load loop the HTTP benchmarks share: ``concurrency`` requests in flight for a time, checked after the clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._common import percentile

# Why a response does not count (None: it does); called after the latency clock stopped.
Check = Callable[[httpx.Response], str | None]


@dataclass
class RoundResult:
    target: str
    round: int
    elapsed: float
    ok: int
    failures: list[str]
    latencies: list[float] = field(repr=False)

    @property
    def rps(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "target": self.target,
            "round": self.round,
            "elapsed_s": round(self.elapsed, 4),
            "ok": self.ok,
            "failures": len(self.failures),
            "rps": round(self.rps, 2),
            "p50_ms": round(percentile(ordered, 50) * 1000, 3),
            "p95_ms": round(percentile(ordered, 95) * 1000, 3),
            "max_ms": round(ordered[-1] * 1000, 3) if ordered else None,
        }


async def drive(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    check: Check,
    *,
    name: str,
    concurrency: int,
    seconds: float,
    max_requests: int,
    round_: int,
) -> RoundResult:
    """Keep ``concurrency`` requests in flight until ``seconds`` pass or ``max_requests`` were sent."""
    latencies: list[float] = []
    failures: list[str] = []
    sent = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        nonlocal sent
        while sent < max_requests and time.perf_counter() < deadline:
            sent += 1
            t0 = time.perf_counter()
            try:
                response = await client.post(url, content=body, headers=dict(headers))
            except httpx.HTTPError as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                continue
            latency = time.perf_counter() - t0
            problem = check(response)
            if problem is None:
                latencies.append(latency)
            else:
                failures.append(problem)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return RoundResult(name, round_, time.perf_counter() - started, len(latencies), failures, latencies)
