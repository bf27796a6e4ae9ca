"""``trackchild-hub serve --workers 2`` in real processes: one port, both workers answer findMatches alike from the
one match index snapshot, and a case reported through one is found by the other within the freshness promise
(``REFRESH_S`` after the commit; see services/match_service.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import missing_input
from tests.http.test_serve_port import STARTUP_SECONDS, cli, hub_env
from tests.live_server import demo_police_token, free_port, stop, wait_until_healthy
from trackchild_hub.services.match_service import REFRESH_S

FIND = """query ($d: ChildDescriptionInput!) {
  findMatches(description: $d, first: 10) { id score reference }
}"""
REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference } }"
WORKERS = 2
SEARCH = {"name": "Rahul Kumar", "gender": "MALE", "ageYears": 9, "state": "19"}
ANSWERED = re.compile(r"\[(\d+)\] POST /graphql 200")


class Hub:
    """The served hub: each call on a new connection (so the kernel picks the worker), and which worker answered,
    read from the request log that follows it (``[pid]`` in each worker's log lines)."""

    def __init__(self, base: str, log: Path, token: str) -> None:
        self.base, self.log, self.headers = base, log, {"Authorization": f"Bearer {token}"}

    def answered(self) -> list[str]:
        return ANSWERED.findall(self.log.read_text(errors="replace"))

    def post(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], str]:
        before = len(self.answered())
        with httpx.Client(timeout=30) as client:  # a connection of its own
            body = client.post(
                f"{self.base}/graphql", json={"query": query, "variables": variables}, headers=self.headers
            )
        assert body.status_code == 200, body.text
        result: dict[str, Any] = body.json()
        assert "errors" not in result, result
        deadline = time.monotonic() + 5
        while len(answered := self.answered()) == before:  # the log line follows the response by a moment
            assert time.monotonic() < deadline, "no request log line for the answer"
            time.sleep(0.02)
        return result["data"], answered[-1]


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (the mapped snapshot, the page cache) split among their users."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return -1


@pytest.mark.slow
def test_two_workers_share_a_port_and_the_index_and_see_each_others_writes(tmp_path: Path) -> None:
    env = hub_env(tmp_path)
    for step in (("db", "upgrade"), ("seed", "--cases", "600")):
        done = cli(*step, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--port", str(port), "--workers", str(WORKERS)]
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, base, log, STARTUP_SECONDS)
            hub = Hub(base, log, demo_police_token(f"{base}/oauth/token"))

            # Both workers answer on the one port, with the same candidates.
            answers: dict[str, list[Any]] = {}
            for _ in range(60):
                data, pid = hub.post(FIND, {"d": SEARCH})
                answers.setdefault(pid, []).append(data["findMatches"])
                if len(answers) == WORKERS and min(len(a) for a in answers.values()) >= 2:
                    break
            assert len(answers) == WORKERS, f"answered by {sorted(answers)} only"
            distinct = {repr(a) for found in answers.values() for a in found}
            assert len(distinct) == 1, distinct
            text = log.read_text(errors="replace")
            assert text.count("match index: snapshot written") == 1, text[-3000:]  # built once, by one worker
            assert text.count("match index: snapshot mapped") >= WORKERS

            # A case reported through one worker is found through the other within the freshness promise.
            report = missing_input(child={"name": "Zorawar Bhullar", "gender": "MALE", "ageYears": 9})
            report["place"].pop("policeStation")
            created, writer = hub.post(REPORT, {"i": report})
            reference = created["reportMissing"]["reference"]
            committed = time.monotonic()
            search = {**SEARCH, "name": "Zorawar Bhullar", "district": report["place"]["district"]}
            seen: dict[str, float] = {}
            while len(seen) < WORKERS and time.monotonic() - committed < REFRESH_S + 20:
                data, pid = hub.post(FIND, {"d": search})
                if reference in [m["reference"] for m in data["findMatches"]]:
                    seen.setdefault(pid, time.monotonic() - committed)
                time.sleep(0.1)
            assert len(seen) == WORKERS, f"found through {sorted(seen)} only; written through {writer}"
            other = next(pid for pid in seen if pid != writer)
            print(f"\nwritten through worker {writer}, found through {other} after {seen[other]:.2f} s")
            print("PSS per worker (kB):", {pid: pss_kb(int(pid)) for pid in answers})
        finally:
            stop(process)
    assert process.returncode == 0, log.read_text(errors="replace")[-3000:]
