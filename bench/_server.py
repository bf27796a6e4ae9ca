"""What the HTTP benchmarks share: a demo-seeded store, and uvicorn servers on loopback in their own threads."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from trackchild_hub.domain.geography import load_geography
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import engine_for, session_factory
from trackchild_hub.store.migrate import upgrade


async def seed(settings: Settings, cases: int) -> int:
    """Migrate and demo-seed the database; returns the number of cases stored."""
    geography = load_geography()
    engine = engine_for(settings)
    try:
        await upgrade(engine, geography)
        report = await seed_demo(session_factory(engine), geography, cases=cases)
    finally:
        await engine.dispose()
    if report is None or report.errors or report.created != cases:
        raise SystemExit(f"demo seed failed: {report}")
    return report.created


class ServerThread:
    """A uvicorn server on 127.0.0.1 and a port the OS picked, running in its own thread and event loop."""

    def __init__(self, app: Any, name: str) -> None:
        # proto must say TCP: asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP, and with the
        # default proto 0 every response waits ~40 ms on Nagle + delayed ACK.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="auto", backlog=2048)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, name=f"uvicorn-{name}", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(f"uvicorn did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()
