"""The load loop the HTTP benchmarks share: ``concurrency`` requests in flight for a time, checked after the clock."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
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


def target_stats(results: Sequence[RoundResult], name: str) -> dict[str, Any]:
    """One target's rounds together: median and spread of requests per second, latency percentiles, counts."""
    mine = [r for r in results if r.target == name]
    latencies = sorted(x for r in mine for x in r.latencies)
    rps = [r.rps for r in mine]
    return {
        "rounds": len(mine),
        "median_rps": statistics.median(rps),
        "min_rps": min(rps),
        "max_rps": max(rps),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "ok": sum(r.ok for r in mine),
        "failures": sum(len(r.failures) for r in mine),
    }


def per_round_ratios(results: Sequence[RoundResult], a: str, b: str) -> list[float]:
    """RPS of ``a`` over RPS of ``b`` in each round: the spread of the figure."""
    pairs = zip((r for r in results if r.target == a), (r for r in results if r.target == b), strict=True)
    return [x.rps / y.rps for x, y in pairs if y.rps > 0]
