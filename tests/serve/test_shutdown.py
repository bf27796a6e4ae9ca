"""``serve`` stopped with SIGTERM (as systemd, Kubernetes or Docker stop it) while its background sync waits on a
state system that does not answer: every worker shuts down cleanly within a few seconds and the process exits 0.

"Cleanly": each worker's ASGI lifespan shutdown completes (the background workers stopped, a hung sync cancelled after
the grace period, the connectors and their HTTP clients closed, the pool disposed), nothing logged at ERROR, no
traceback, and no worker process left behind.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from tests.live_server import serving as serving_in_thread
from tests.live_server import simulator_process
from tests.serve.served import hub_env, serving, until, upgraded
from trackchild_hub.app import create_app
from trackchild_hub.settings import Settings

CONNECTORS = """
[[connector]]
id = "police-19"
kind = "police"
state = "19"
base_url = "http://127.0.0.1:9/never-called"

[[connector]]
id = "wcd-10"
kind = "wcd"
state = "10"
base_url = "http://127.0.0.1:9/never-called"
auth = { type = "client_credentials", token_url = "http://127.0.0.1:9/token", client_id = "hub", secret_env = "WCD" }
"""
STOPPED_WITHIN_S = 10  # liveness bound: the grace period is 0.5 s; the hung call alone would hold a worker 60 s
WORKER = re.compile(r"Started server process \[(\d+)\]")


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def hanging(upstream: str) -> int:
    count: int = httpx.get(f"{upstream}/_sim/stats", timeout=10).json()["hanging"]
    return count


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_every_worker_cleanly_and_exits_0(tmp_path: Path, workers: int) -> None:
    with simulator_process("police", "19", "--records", "20") as upstream:
        connectors = tmp_path / "connectors.toml"
        connectors.write_text(
            f'[[connector]]\nid = "police-19"\nkind = "police"\nstate = "19"\nbase_url = "{upstream}"\n'
            "timeout_ms = 60000\nretries = 0\n",
            encoding="utf-8",
        )
        env = hub_env(tmp_path, CONNECTORS=str(connectors))
        upgraded(env, tmp_path)
        with serving(tmp_path, env, "--workers", str(workers), "--sync-every", "0.2") as hub:
            until(lambda: "sync police-19: " in hub.text(), 60, "the first sync round")
            until(lambda: len(WORKER.findall(hub.text())) == workers, 60, "every worker started")
            pids = [int(p) for p in WORKER.findall(hub.text())]

            # The state system stops answering: the next sync round waits on it (for up to a minute).
            set_faults = httpx.post(f"{upstream}/_sim/faults", json={"hang": True}, timeout=10)
            assert set_faults.status_code == 200, set_faults.text
            until(lambda: hanging(upstream) >= 1, 30, "a sync request held by the state system")

            hub.process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            hub.process.wait(timeout=60)
            stopped_after = time.monotonic() - signalled
        log = hub.text()
        print(f"\n{workers} worker(s) stopped {stopped_after:.2f} s after SIGTERM")
        assert hub.process.returncode == 0, log[-3000:]
        assert stopped_after < STOPPED_WITHIN_S, log[-3000:]
        assert log.count("Application shutdown complete.") == workers, log[-3000:]
        assert log.count("Finished server process") == workers, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        assert " ERROR " not in log, log[-3000:]
        assert "ERROR:" not in log, log[-3000:]
        assert [pid for pid in pids if alive(pid)] == []
        # The hub hung up on the state system: nothing of it is held there any more.
        assert until(lambda: hanging(upstream) == 0, 10, "the held request released") is True


def test_the_lifespan_shutdown_closes_every_connector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the process test cannot see from outside (its exit closes every socket anyway): each connector's own
    ``aclose`` (a client-credentials connector's token client) runs when the hub stops."""
    (tmp_path / "connectors.toml").write_text(CONNECTORS, encoding="utf-8")
    env = hub_env(tmp_path, CONNECTORS=str(tmp_path / "connectors.toml"))
    upgraded(env, tmp_path)
    app = create_app(Settings.from_env(env), secrets={"WCD": "secret"})
    closed: list[str] = []
    for connector in app.state.services.connectors:

        async def recorded(id: str = connector.id, close: Callable[[], Awaitable[None]] = connector.aclose) -> None:
            await close()
            closed.append(id)

        monkeypatch.setattr(connector, "aclose", recorded)
    with serving_in_thread(app) as base:
        assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200
        assert closed == []
    assert sorted(closed) == ["police-19", "wcd-10"]
