"""Real HTTP for tests: free loopback ports, an ASGI app served by uvicorn in a thread, child processes stopped."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
import uvicorn


def free_port() -> int:
    """A loopback port nothing listens on (just now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not gone within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: Path, seconds: float) -> None:
    """Poll ``base``/healthz until it answers 200; fail with the end of ``log`` if ``process`` exits first or
    ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"serve was not healthy within {seconds} s:\n{_tail(log)}")


def demo_police_token(token_endpoint: str) -> str:
    """An access token for the demo police client from the embedded issuer (client credentials)."""
    issued = httpx.post(
        token_endpoint,
        data={"grant_type": "client_credentials"},
        auth=("demo-police", "demo-police-secret"),
        timeout=30,
    )
    assert issued.status_code == 200, issued.text
    token: str = issued.json()["access_token"]
    return token


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


@contextmanager
def serving(app: Any, *, lifespan: Literal["auto", "on", "off"] = "on") -> Iterator[str]:
    """Yield the base URL while the app is served; stop it afterwards."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def simulator_process(kind: str, state: str, *options: str) -> Iterator[str]:
    """``trackchild-hub simulate kind --state state *options`` in its own process; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "trackchild_hub.cli", "simulate", kind, "--state", state, "--port", str(port)]
    process = subprocess.Popen([*command, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the simulator exited with {process.returncode}")
            try:
                httpx.get(f"{base}/_sim/stats", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the simulator did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        stop(process, timeout=10)
