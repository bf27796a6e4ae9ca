"""A closed-loop load generator spread over worker processes: C clients, each keeping one request in flight.

One Python process would measure its own GIL, not the servers, so the clients are split over ``loaders``
processes (a ``multiprocessing`` pool kept for the whole run), each running its share on an asyncio loop over
keep-alive connections (``_http1``). Every process opens its connections first, then waits for a start time shared
by all of them, so the measured window holds only steady load. Requests still in flight when the window closes are
awaited (up to the timeout) and their outcome counted, but only answers completed inside the window make the rate.

Each answer is sorted after its latency was taken: **ok** (HTTP 200, JSON, no ``errors``, exactly the expected
number of edges), **refused** (HTTP 503: admission control's fast refusal, counted apart with its own latency), or a
**problem** (any other status, a GraphQL error, the wrong edge count, a connection error, a timeout), by reason.

By default a refused client asks again at once (a flood that ignores the hub's advice: the harshest case). With
``honour_retry_after`` it waits the ``Retry-After`` seconds first, as a well-behaved client (the national portal's
backend, an NGO app using a retrying HTTP library) does.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from typing import Any

from ._http1 import Connection, post_request

# A refused connection answers at once: without a pause a client would spin on it.
RETRY_PAUSE_S = 0.01


@dataclass(frozen=True)
class Target:
    """What to load: a POST to ``url_path`` whose answer holds ``edges`` edges under ``data.<root>.edges``."""

    name: str
    host: str
    port: int
    path: str
    body: bytes
    headers: dict[str, str]
    root: str
    edges: int


@dataclass
class Tally:
    """The outcomes of one round (one loader's share of it, or all of them merged)."""

    ok: list[float] = field(default_factory=list)  # latencies in seconds
    ok_in_window: int = 0
    refused: list[float] = field(default_factory=list)
    refused_in_window: int = 0
    refused_without_retry_after: int = 0  # admission control must say when to come back
    problems: Counter[str] = field(default_factory=Counter)
    loader_cpu_s: float = 0.0  # the load generator's own CPU time: it shares the machine with the servers

    def merge(self, other: Tally) -> None:
        self.ok += other.ok
        self.ok_in_window += other.ok_in_window
        self.refused += other.refused
        self.refused_in_window += other.refused_in_window
        self.refused_without_retry_after += other.refused_without_retry_after
        self.problems.update(other.problems)
        self.loader_cpu_s += other.loader_cpu_s


@dataclass(frozen=True)
class Job:
    target: Target
    clients: int
    start_at: float  # time.time() when every loader starts sending
    seconds: float
    timeout: float
    honour_retry_after: bool = False


def shares(clients: int, loaders: int) -> list[int]:
    """``clients`` split over at most ``loaders`` processes, as evenly as possible, none empty."""
    used = max(1, min(clients, loaders))
    return [clients // used + (1 if i < clients % used else 0) for i in range(used)]


def run_round(
    pool: Pool,
    loaders: int,
    target: Target,
    clients: int,
    seconds: float,
    timeout: float,
    *,
    honour_retry_after: bool = False,
) -> Tally:
    """One measured round: ``clients`` closed-loop clients for ``seconds`` against ``target``, outcomes merged."""
    start_at = time.time() + 0.5 + 0.004 * clients  # time for every loader to open its connections
    jobs = [Job(target, n, start_at, seconds, timeout, honour_retry_after) for n in shares(clients, loaders)]
    total = Tally()
    for part in pool.map(load, jobs):
        total.merge(part)
    return total


def load(job: Job) -> Tally:
    """A loader process's share of a round (the pool's worker function)."""
    return asyncio.run(_drive(job))


async def _drive(job: Job) -> Tally:
    target = job.target
    request = post_request(target.host, target.port, target.path, target.body, target.headers)
    connections = [Connection(target.host, target.port) for _ in range(job.clients)]
    opened = await asyncio.gather(*(c.open() for c in connections), return_exceptions=True)
    tally = Tally()
    for outcome in opened:
        if isinstance(outcome, BaseException):
            tally.problems[f"connect: {type(outcome).__name__}"] += 1
    await asyncio.sleep(max(0.0, job.start_at - time.time()))
    end = time.perf_counter() + job.seconds
    cpu = time.process_time()

    async def client(connection: Connection) -> None:
        while time.perf_counter() < end:
            started = time.perf_counter()
            try:
                answer = await asyncio.wait_for(connection.exchange(request), job.timeout)
            except TimeoutError:
                tally.problems["timeout"] += 1
                continue
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                tally.problems[f"connection: {type(exc).__name__}"] += 1
                await asyncio.sleep(RETRY_PAUSE_S)
                continue
            finished = time.perf_counter()
            latency = finished - started
            if answer.status == 503:
                tally.refused.append(latency)
                tally.refused_in_window += finished <= end
                tally.refused_without_retry_after += "retry-after" not in answer.headers
                if job.honour_retry_after:
                    await asyncio.sleep(min(_seconds(answer.headers.get("retry-after")), end - time.perf_counter()))
                continue
            problem = check(answer.status, answer.body, target)
            if problem is None:
                tally.ok.append(latency)
                tally.ok_in_window += finished <= end
            else:
                tally.problems[problem] += 1

    try:
        await asyncio.gather(*(client(c) for c in connections))
    finally:
        for connection in connections:
            connection.close()
    tally.loader_cpu_s = time.process_time() - cpu
    return tally


def _seconds(retry_after: str | None) -> float:
    try:
        return max(0.0, float(retry_after or 0))
    except ValueError:
        return 0.0


def check(status: int, body: bytes, target: Target) -> str | None:
    """Why an answer does not count as served (None: it does)."""
    if status != 200:
        return f"HTTP {status}"
    try:
        document: Any = json.loads(body)
    except ValueError:
        return "not JSON"
    if not isinstance(document, dict):
        return "not a JSON object"
    if document.get("errors"):
        first = document["errors"][0]
        message = first.get("message", "?") if isinstance(first, dict) else str(first)
        return f"GraphQL error: {str(message)[:80]}"
    try:
        edges = document["data"][target.root]["edges"]
    except (KeyError, TypeError):
        return "no edges"
    if len(edges) != target.edges:
        return f"{len(edges)} edges, not {target.edges}"
    return None
