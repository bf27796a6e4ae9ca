"""``trackchild-hub serve`` in a real process for the serve tests: started with its own data folder, polled until
healthy, stopped with SIGTERM; what it printed is kept in a log file to read while it runs and after."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from tests.live_server import free_port, stop, wait_until_healthy

STARTUP_SECONDS = 90
T = TypeVar("T")


def hub_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment without the caller's TRACKCHILD_ settings: a SQLite store and a data folder in ``tmp_path``,
    then ``settings`` (names without the prefix)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env["TRACKCHILD_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"
    env["TRACKCHILD_DATA_DIR"] = str(tmp_path / "data")
    env.update({f"TRACKCHILD_{name}": value for name, value in settings.items()})
    return env


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trackchild_hub.cli", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def upgraded(env: dict[str, str], cwd: Path) -> None:
    done = cli("db", "upgrade", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr


@dataclass
class Served:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def graphql(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=30
        )
        assert response.status_code in (200, 400), response.text
        body: dict[str, Any] = response.json()
        return body


@contextmanager
def serving(tmp_path: Path, env: dict[str, str], *options: str) -> Iterator[Served]:
    """``serve --port <free> *options`` until the block ends (then SIGTERM, as an orchestrator stops it)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--port", str(port), *options]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, base, log, STARTUP_SECONDS)
            yield Served(base, process, log)
        finally:
            stop(process)


def until(condition: Callable[[], T | None], seconds: float, what: str) -> T:
    """Poll ``condition`` until it returns something other than None/False; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value is not None and value is not False:
            return value
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.1)
