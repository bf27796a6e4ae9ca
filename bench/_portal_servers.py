"""The servers the portal benchmark measures, as real processes: the hub (``trackchild-hub serve``) and PostGraphile.

Each runs in a session of its own (``start_new_session``), so stopping it signals exactly its process group (the hub's
``--workers`` children included) and its CPU time can be summed over that group from ``/proc``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
HUB = BIN / "trackchild-hub"
PEER = Path(__file__).parent / "peers" / "postgraphile"
NODE = PEER / "node_modules" / "node" / "bin" / "node"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User + system CPU time of every live process in the server's process group."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[2]) == self.process.pid:  # field 5 of stat: the process group id
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def wait_idle(self, busy_below: float = 0.1, timeout: float = 180.0) -> float:
        """Wait until the server uses under ``busy_below`` of a core for a second (start-up work such as the hub's
        match index is done); returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            before = self.cpu_seconds()
            time.sleep(1.0)
            if self.cpu_seconds() - before < busy_below:
                break
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hub_has_workers() -> bool:
    """Whether this hub's ``serve`` takes ``--workers`` (asked, not assumed: it is being added)."""
    result = subprocess.run([str(HUB), "serve", "--help"], capture_output=True, text=True, check=True)
    return "--workers" in result.stdout


def hub_env(database_url: str, schema: str, data_dir: Path) -> dict[str, str]:
    """The environment of a benchmarked hub: this store, no rate limits (the load comes from one address)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    env.update(
        TRACKCHILD_DATABASE_URL=database_url,
        TRACKCHILD_DATABASE_SCHEMA=schema,
        TRACKCHILD_DATA_DIR=str(data_dir),
        TRACKCHILD_RATE_LIMIT_PER_IP="off",
        TRACKCHILD_RATE_LIMIT_PER_CLIENT="off",
    )
    return env


def start_hub(name: str, env: dict[str, str], folder: Path, workers: int | None) -> Server:
    port = free_port()
    command = [str(HUB), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    server = _spawn(name, command, env, port, folder, cwd=None)
    _wait_ready(server, lambda client: client.get(f"{server.url}/healthz"))
    return server


def hub_token(env: dict[str, str], client: str = "demo-cpsu") -> str:
    """A token from the embedded dev issuer, for the public URL the hub remembered in its data folder."""
    result = subprocess.run(
        [str(HUB), "token", "--client", client], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"trackchild-hub token failed: {result.stderr.strip()}")
    return result.stdout.strip()


def ensure_postgraphile() -> None:
    """``npm ci`` in bench/peers/postgraphile once; node_modules stays (gitignored) for later runs."""
    if NODE.exists() and (PEER / "node_modules" / "postgraphile").exists():
        return
    print(f"installing PostGraphile 5 and Node 22 into {PEER / 'node_modules'} (npm ci, once)", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER, check=True)
    if not NODE.exists():
        raise SystemExit(f"npm ci did not provide {NODE} (the node@22 package's binary)")


def start_postgraphile(database_url: str, schema: str, folder: Path, pool_size: int) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_libpq_url(database_url),
        PG_SCHEMA=schema,
        PORT=str(port),
        PG_POOL_SIZE=str(pool_size),
        GRAPHILE_ENV="production",
        NODE_ENV="production",
    )
    server = _spawn("postgraphile", [str(NODE), "server.mjs"], env, port, folder, cwd=PEER)
    probe = b'{"query":"{ __typename }"}'
    headers = {"content-type": "application/json"}
    _wait_ready(server, lambda client: client.post(f"{server.url}/graphql", content=probe, headers=headers))
    return server


def _libpq_url(database_url: str) -> str:
    """SQLAlchemy's ``postgresql+asyncpg://`` URL as node-postgres reads it."""
    scheme, _, rest = database_url.partition("://")
    if not scheme.startswith("postgres"):
        raise SystemExit(f"PostgreSQL only: {database_url}")
    return f"postgres://{rest}"


def _spawn(name: str, command: list[str], env: dict[str, str], port: int, folder: Path, cwd: Path | None) -> Server:
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(name, process, port, log)


def _wait_ready(server: Server, probe: Callable[[httpx.Client], httpx.Response], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                break
            try:
                if probe(client).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    server.stop()
    tail = server.log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"{server.name} did not come up on port {server.port}; its log ({server.log}):\n{tail}")
