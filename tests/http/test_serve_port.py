"""``trackchild-hub serve --port P`` in a real process: it advertises its own address, and a huge token is a 401."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live_server import demo_police_token, free_port, stop, wait_until_healthy
from trackchild_hub.settings import Settings

STATES = {"query": "{ states { code } }"}
STARTUP_SECONDS = 60


def hub_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKCHILD_")}
    return {
        **env,
        "TRACKCHILD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "TRACKCHILD_DATA_DIR": str(tmp_path / "data"),
    }


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trackchild_hub.cli", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_serve_on_another_port_advertises_it_and_answers_a_huge_token_with_401(tmp_path: Path) -> None:
    env = hub_env(tmp_path)
    upgraded = cli("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "trackchild_hub.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, base, log, STARTUP_SECONDS)

            # The banner and the discovery document name the port it listens on, not the default 8000.
            banner = log.read_text(errors="replace")
            assert f"TrackChild Hub: {base}/graphql" in banner, banner
            assert "127.0.0.1:8000" not in banner, banner
            discovery = httpx.get(f"{base}/.well-known/openid-configuration", timeout=10).json()
            assert discovery["issuer"] == base
            assert discovery["token_endpoint"] == f"{base}/oauth/token"
            assert discovery["jwks_uri"] == f"{base}/.well-known/jwks.json"

            # A token from the advertised endpoint is accepted (its `iss` is the advertised URL) ...
            bearer = {"Authorization": f"Bearer {demo_police_token(discovery['token_endpoint'])}"}
            answer = httpx.post(f"{base}/graphql", json=STATES, headers=bearer, timeout=30)
            assert answer.status_code == 200, answer.text
            assert "errors" not in answer.json()

            # ... and so is one from `trackchild-hub token` run beside it (same data folder, no port given).
            printed = cli("token", "--client", "demo-cwc", env=env, cwd=tmp_path)
            assert printed.returncode == 0, printed.stderr
            bearer = {"Authorization": f"Bearer {printed.stdout.strip()}"}
            answer = httpx.post(f"{base}/graphql", json=STATES, headers=bearer, timeout=30)
            assert answer.status_code == 200, answer.text

            # A 100 KB token reaches the hub (not a bare 400 from the HTTP parser) and is refused as a token.
            huge = {"Authorization": "Bearer " + "a" * 100_000}
            refused = httpx.post(f"{base}/graphql", json=STATES, headers=huge, timeout=30)
            assert refused.status_code == 401, refused.text
            assert refused.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
            assert "too large" in refused.headers["www-authenticate"]
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        finally:
            stop(process)


def test_an_explicit_public_url_is_kept_whatever_the_port() -> None:
    explicit = Settings.from_env({"TRACKCHILD_PUBLIC_URL": "https://hub.example.gov.in/"})
    assert explicit.serving_at("0.0.0.0", 9000).public_url == "https://hub.example.gov.in"
    implicit = Settings.from_env({})
    assert implicit.serving_at("127.0.0.1", 9000).public_url == "http://127.0.0.1:9000"
    assert implicit.serving_at("0.0.0.0", 9001).public_url == "http://127.0.0.1:9001"
    assert implicit.serving_at("::1", 9002).public_url == "http://[::1]:9002"
    assert implicit.serving_at("hub.local", 8000).public_url == "http://hub.local:8000"
