"""End to end: ``trackchild-hub serve --demo`` in a real process answers the done-when query."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live_server import demo_police_token, free_port, stop, wait_until_healthy

CASE_REFERENCES = "{ cases(first: 5) { edges { node { reference } } } }"
FEDERATED = """{ cases(first: 200, sources: ["police-19", "wcd-10"]) {
  edges { node { provenance { source } } } sources { source ok } } }"""
REFERENCE = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}$")
STARTUP_SECONDS = 120


@pytest.mark.slow
def test_serve_demo_answers_the_done_when_query(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRACKCHILD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        "TRACKCHILD_ENV": "development",
    }
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--demo", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, base, log, STARTUP_SECONDS)

            # As a partner would: a client-credentials token from the embedded issuer, then the query.
            headers = {"Authorization": f"Bearer {demo_police_token(f'{base}/oauth/token')}"}
            response = httpx.post(f"{base}/graphql", json={"query": CASE_REFERENCES}, headers=headers, timeout=30)
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            references = [edge["node"]["reference"] for edge in body["data"]["cases"]["edges"]]
            assert len(references) == 5, references
            assert all(REFERENCE.match(r) for r in references), references
            assert len(set(references)) == 5

            # The demo federates out of the box: two simulated state systems, one in the legacy dialect.
            response = httpx.post(f"{base}/graphql", json={"query": FEDERATED}, headers=headers, timeout=30)
            body = response.json()
            assert "errors" not in body, body
            statuses = {s["source"]: s["ok"] for s in body["data"]["cases"]["sources"]}
            assert statuses == {"police-19": True, "wcd-10": True}
            sources = {e["node"]["provenance"]["source"] for e in body["data"]["cases"]["edges"]}
            assert sources == {"police-19", "wcd-10"}

            page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}, timeout=30)
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")
            assert "graphiql" in page.text.lower()
        finally:
            stop(process)
