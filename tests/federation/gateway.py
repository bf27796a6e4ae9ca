"""Run Hive Gateway (npm `@graphql-hive/gateway`, pinned in tests/federation/package.json) in front of subgraphs.

`running_gateway({"hub": url, "partner": url})` installs the pinned packages if needed, starts the gateway's own CLI
(`hive-gateway supergraph -c gateway.config.mjs`) on a free loopback port, waits until it answers `/readiness` (it
composes the supergraph from the subgraphs' SDL as it starts) and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import npm
from tests.live_server import free_port, stop

HERE = Path(__file__).resolve().parent
GATEWAY_PACKAGE = "@graphql-hive/gateway"
START_TIMEOUT_SECONDS = 90.0


@dataclass
class Gateway:
    url: str  # the gateway's GraphQL endpoint
    version: str  # the Hive Gateway version that runs
    npm_ci_seconds: float
    start_seconds: float
    log: list[str]

    def output(self) -> str:
        """What the gateway printed so far (stdout and stderr)."""
        return "".join(self.log)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readiness", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextlib.contextmanager
def running_gateway(subgraphs: dict[str, str]) -> Iterator[Gateway]:
    """Hive Gateway composing `subgraphs` ({name: GraphQL URL}); fails the test with its output if it does not come
    up within START_TIMEOUT_SECONDS."""
    npm_seconds = npm.ensure_node_modules(HERE)
    node = npm.require_node()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cli = HERE / "node_modules" / GATEWAY_PACKAGE / "dist" / "bin.js"
    command = [node, str(cli), "supergraph", "-c", "gateway.config.mjs", "--host", "127.0.0.1", "--port", str(port)]
    env = {
        **os.environ,
        "SUBGRAPHS": json.dumps(subgraphs),
        "NODE_ENV": "test",
        "NO_COLOR": "1",
        "EXIT_WITH_STDIN": "1",
    }
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.PIPE,  # held open: the gateway exits when it closes (see gateway.config.mjs)
        text=True,
    )
    log: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        log.extend(process.stdout)

    reader = threading.Thread(target=read, name="hive-gateway-output", daemon=True)
    reader.start()
    try:
        deadline = started + START_TIMEOUT_SECONDS
        while not _ready(base):
            if process.poll() is not None or time.monotonic() > deadline:
                state = f"exited with {process.returncode}" if process.poll() is not None else "was not ready in time"
                pytest.fail(f"Hive Gateway ({' '.join(command)}) {state}:\n{''.join(log)}")
            time.sleep(0.1)
        version = npm.installed_version(HERE, GATEWAY_PACKAGE) or "unknown"
        yield Gateway(f"{base}/graphql", version, npm_seconds, time.monotonic() - started, log)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        stop(process, timeout=10)  # type: ignore[arg-type]  # a text-mode Popen: stop() only signals and waits
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
