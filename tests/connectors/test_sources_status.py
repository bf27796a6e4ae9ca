"""``sources`` over HTTP from a real ``serve`` process, each state system a simulator process: what a caller sees of
a system answering 5xx, one refusing the hub's credentials, one whose circuit breaker has opened, and a healthy one;
and that a state-scoped caller sees the same report (the health of every system: no case data in it)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live_server import simulator_process
from tests.serve.served import cli, hub_env, serving, upgraded

SOURCES = "{ sources { source kind state ok error breakerState } }"
NEVER_CLOSES_MS = 3_600_000  # the open breaker stays open for the whole test: no timing in it

pytestmark = pytest.mark.slow


def connector(source: str, base_url: str, **options: Any) -> str:
    kind, state = source.split("-")
    lines = [f'[[connector]]\nid = "{source}"\nkind = "{kind}"\nstate = "{state}"\nbase_url = "{base_url}"']
    lines += [f"{name} = {value}" for name, value in options.items()]
    return "\n".join(lines) + "\n"


def stats(base: str) -> dict[str, int]:
    body: dict[str, int] = httpx.get(f"{base}/_sim/stats", timeout=10).json()
    return body


def by_source(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert "errors" not in body, body
    return {s.pop("source"): s for s in body["data"]["sources"]}


def token(env: dict[str, str], cwd: Path, *claims: str) -> str:
    issued = cli("token", "--client", "demo-police", *claims, env=env, cwd=cwd)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip()


def test_sources_shows_each_failure_as_such_to_national_and_state_callers(tmp_path: Path) -> None:
    with ExitStack() as upstreams:
        healthy = upstreams.enter_context(simulator_process("police", "19", "--records", "5", "--api-key", "k19"))
        failing = upstreams.enter_context(simulator_process("police", "10", "--records", "5", "--error-rate", "1"))
        refusing = upstreams.enter_context(simulator_process("police", "27", "--records", "5", "--api-key", "k27"))
        breaking = upstreams.enter_context(simulator_process("wcd", "10", "--records", "5", "--error-rate", "1"))
        connectors = tmp_path / "connectors.toml"
        api_key = 'auth = {{ type = "api_key", header = "X-Api-Key", secret_env = "{}" }}'
        connectors.write_text(
            connector("police-19", healthy)
            + api_key.format("KEY_19")
            + "\n"
            # many failures allowed: the 5xx system stays CLOSED, called (and retried) on every check
            + connector("police-10", failing, breaker_failures=100)
            + connector("police-27", refusing)
            + api_key.format("KEY_27")
            + "\n"
            + connector("wcd-10", breaking, retries=0, breaker_failures=1, breaker_open_ms=NEVER_CLOSES_MS),
            encoding="utf-8",
        )
        env = {**hub_env(tmp_path, CONNECTORS=str(connectors)), "KEY_19": "k19", "KEY_27": "not-k27"}
        upgraded(env, tmp_path)
        with serving(tmp_path, env, "--workers", "1") as hub:
            national, west_bengal = token(env, tmp_path), token(env, tmp_path, "--state", "19")
            assert [e["extensions"]["code"] for e in hub.graphql(SOURCES)["errors"]] == ["FORBIDDEN"]

            first = by_source(hub.graphql(SOURCES, national))
            assert first == {
                "police-19": {"kind": "police", "state": "19", "ok": True, "error": None, "breakerState": "CLOSED"},
                "police-10": {
                    "kind": "police",
                    "state": "10",
                    "ok": False,
                    "error": "UPSTREAM_UNAVAILABLE: police-10: it answered 503",
                    "breakerState": "CLOSED",
                },
                "police-27": {
                    "kind": "police",
                    "state": "27",
                    "ok": False,
                    "error": "UPSTREAM_UNAVAILABLE: police-27: it refused the hub's credentials (401)",
                    "breakerState": "CLOSED",
                },
                "wcd-10": {
                    "kind": "wcd",
                    "state": "10",
                    "ok": False,
                    "error": "UPSTREAM_UNAVAILABLE: wcd-10: it answered 503",
                    "breakerState": "OPEN",  # one failure opens this one
                },
            }
            assert stats(failing)["errors_injected"] == 3  # asked, then retried twice
            assert stats(refusing)["unauthorized"] == 1  # refused credentials are not asked again
            assert stats(breaking)["requests"] == 1

            # A West Bengal officer: the same systems, the open breaker now refusing to call its system at all.
            second = by_source(hub.graphql(SOURCES, west_bengal))
            assert set(second) == set(first)
            assert second["wcd-10"]["ok"] is False
            assert second["wcd-10"]["breakerState"] == "OPEN"
            assert second["wcd-10"]["error"].startswith("UPSTREAM_UNAVAILABLE: wcd-10: circuit open")
            assert stats(breaking)["requests"] == 1  # not called
            assert {s: second[s] for s in ("police-19", "police-10", "police-27")} == {
                s: first[s] for s in ("police-19", "police-10", "police-27")
            }
            assert stats(failing)["errors_injected"] == 6
            assert stats(refusing)["unauthorized"] == 2
        assert hub.process.returncode == 0, hub.text()[-3000:]
