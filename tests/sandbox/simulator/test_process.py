"""One simulator in its own process, over loopback: the CLI entry point serves, hangs hold, SIGTERM stops it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.live_server import free_port, stop


@pytest.mark.slow
def test_simulate_main_serves_over_loopback() -> None:
    port = free_port()
    argv = ["wcd", "--state", "7", "--port", str(port), "--records", "100", "--api-key", "k", "--latency-ms", "1"]
    code = f"from trackchild_hub.sandbox.simulator.run import simulate_main; simulate_main({argv!r})"
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            with httpx.Client(base_url=base, headers={"X-Api-Key": "k"}, timeout=2) as client:
                deadline = time.monotonic() + 30
                while True:
                    assert process.poll() is None, process.stderr.read() if process.stderr else ""
                    try:
                        health = client.get("/v1/health")
                        break
                    except httpx.TransportError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.1)
                assert health.status_code == 200
                assert health.json() == {"status": "ok", "kind": "wcd", "state": "7", "records": 50}
                assert client.get("/v1/health", headers={"X-Api-Key": "no"}).status_code == 401

                # A hung request times out at the client, and the server lets go once the client has gone.
                client.post("/_sim/faults", json={"hang": True})
                with pytest.raises(httpx.ReadTimeout):
                    client.get("/v1/cases", timeout=0.3)
                deadline = time.monotonic() + 5
                while client.get("/_sim/stats").json()["hanging"] and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert client.get("/_sim/stats").json()["hanging"] == 0
        finally:
            stop(process, timeout=10)
        # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught
        assert process.returncode in {0, -signal.SIGTERM}
