"""Real HTTP for tests: loopback ports no one else takes, ASGI apps served by uvicorn in a thread, children stopped."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
import uvicorn

_HANDED_OUT: set[int] = set()
_FALLBACK_RANGE = (32768, 60999)


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel picks for outgoing connections and for bind(port 0)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return _FALLBACK_RANGE


def free_port() -> int:
    """A loopback port for a child process to listen on: nothing is bound to it now, and it lies outside the
    kernel's ephemeral range, so no outgoing connection (of this suite or anyone) can take it before the child binds
    it, as one from bind(port 0) could. Never the same port twice in a run. (In process, ``serving`` binds itself.)"""
    low, high = _ephemeral_range()
    candidates = [p for p in range(20000, 30000) if not low <= p <= high] or list(range(high + 1, 65536))
    for port in random.sample(candidates, min(200, len(candidates))):
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))  # no SO_REUSEADDR: fails while anything holds the port, even TIME_WAIT
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    raise RuntimeError("no free loopback port outside the ephemeral range")


@contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the block runs: bound here, never listened on, so
    no one else can start listening there meanwhile."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        yield port


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
    """Yield the base URL while the app is served; stop it afterwards. The listening socket is bound here (port 0)
    and handed to uvicorn, so no other process can take the port between choosing and binding it."""
    listening = socket.socket()
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    port: int = listening.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    try:
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()


@contextmanager
def simulator_process(kind: str, state: str, *options: str, attempts: int = 3) -> Iterator[str]:
    """``trackchild-hub simulate kind --state state *options`` in its own process; yields its base URL. Should the
    port be taken after all (another program listening there first), it starts again on another, up to ``attempts``
    times."""
    for attempt in range(1, attempts + 1):
        port = free_port()
        command = [sys.executable, "-m", "trackchild_hub.cli", "simulate", kind, "--state", state, "--port", str(port)]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen([*command, *options], stdout=subprocess.DEVNULL, stderr=errors)
            base = f"http://127.0.0.1:{port}"
            try:
                if _wait_for_simulator(process, base):
                    yield base
                    return
                errors.seek(0)
                said = errors.read().decode(errors="replace")
                if not _port_taken(said) or attempt == attempts:
                    raise RuntimeError(f"the simulator exited with {process.returncode}:\n{said[-3000:]}")
            finally:
                stop(process, timeout=10)


def _wait_for_simulator(process: subprocess.Popen[bytes], base: str) -> bool:
    """True once it answers; False if it exited first."""
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            return False
        try:
            httpx.get(f"{base}/_sim/stats", timeout=1)
            return True
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError("the simulator did not start") from None
            time.sleep(0.05)


def _port_taken(stderr: str) -> bool:
    return "address already in use" in stderr.lower() or "errno 98" in stderr.lower()
