"""The matcher never runs on the event loop: ``/healthz`` over real HTTP stays fast while the index is built and a
proposal round runs over 20,000 cases, and a shutdown in the middle of a round is prompt.

The server runs on the test's own event loop (as under ``serve``: the proposal loop, the index build and the HTTP
handlers share one loop); ``/healthz`` is sampled from another thread with a blocking client.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

import trackchild_hub.app as hub_app
from tests.live_server import free_port
from tests.matching.bulk_store import synthetic, write_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services import proposals as match_proposals

HEALTHZ_MS = 50  # the bound, on the median of the samples of each phase
ANSWERED_EVERY_S = 0.1  # at least one answer per this much of each phase: a loop blocked for seconds answers once


class Sampler(threading.Thread):
    """GET /healthz every 20 ms, each latency filed under the phase named at the time."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.phase, self.done = base, "start", threading.Event()
        self.samples: dict[str, list[float]] = {}

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.done.is_set():
                phase, started = self.phase, time.perf_counter()
                assert client.get(f"{self.base}/healthz").text == "ok"
                self.samples.setdefault(phase, []).append(1000 * (time.perf_counter() - started))
                time.sleep(0.02)

    def summary(self, phase: str) -> str:
        ms = sorted(self.samples.get(phase, [0.0]))
        return f"{phase}: {len(ms)} samples, median {statistics.median(ms):.1f} ms, max {ms[-1]:.0f} ms"


@asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[tuple[str, uvicorn.Server, asyncio.Task[None]]]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", server, task
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_healthz_answers_at_once_while_the_index_is_built_and_a_round_runs(store: Services) -> None:
    ids = await write_cases(store, synthetic(20_000))
    app = hub_app.create_app(replace(store.settings, propose_every_s=3600.0))  # the round below is started by hand
    services: Services = app.state.services
    assert services.matcher is not None
    async with served(app) as (base, _, _):  # the lifespan starts the proposal loop, whose first step is the build
        sampler = Sampler(base)
        sampler.phase, started = "build", time.perf_counter()
        sampler.start()
        await until(lambda: services.matcher is not None and services.matcher.built, 60)
        sampler.phase, built = "round", time.perf_counter()
        await match_proposals.propose_for(services, ids[:1500])
        seconds = {"build": built - started, "round": time.perf_counter() - built}
        sampler.done.set()
        await asyncio.to_thread(sampler.join)  # not on the loop: the request in flight needs it
    print("", *(f"{sampler.summary(phase)} in {s:.1f} s" for phase, s in seconds.items()), sep="\n")
    for phase in ("build", "round"):
        answered = sampler.samples.get(phase, [])
        assert len(answered) >= max(10, seconds[phase] / ANSWERED_EVERY_S), sampler.summary(phase)
        assert statistics.median(answered) < HEALTHZ_MS, sampler.summary(phase)


async def test_a_shutdown_in_the_middle_of_a_round_completes_within_two_seconds(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_round, finished = asyncio.Event(), asyncio.Event()
    original = match_proposals.propose_for

    async def watched(services: Services, case_ids: Any) -> int:
        in_round.set()
        count = await original(services, case_ids)
        finished.set()
        return count

    monkeypatch.setattr(match_proposals, "propose_for", watched)
    await write_cases(store, synthetic(5000, seed=13), prefix="old")
    app = hub_app.create_app(replace(store.settings, propose_every_s=0.2))
    services: Services = app.state.services
    async with served(app) as (_, server, task):
        await until(lambda: services.matcher is not None and services.matcher.built, 60)
        await write_cases(store, synthetic(3000, seed=17), prefix="new")  # another process's import: a long round
        await asyncio.wait_for(in_round.wait(), 10)
        await asyncio.sleep(0.3)
        assert not finished.is_set()
        started = time.perf_counter()
        server.should_exit = True  # what SIGTERM does
        await asyncio.wait_for(task, 10)
        took = time.perf_counter() - started
    print(f"\nshutdown during a round: {took:.2f} s")
    assert not finished.is_set()  # the round was cut short, not waited for
    assert took < 2.0
