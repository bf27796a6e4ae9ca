"""``serve --sync-every SECONDS`` in a real process: the hub pulls the connectors' changes on that interval by itself.

A simulator process is the state system; nothing here runs ``sync``. A record the simulator gains while the hub runs
reaches the store (and the API) on a later round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live_server import demo_police_token, simulator_process
from tests.serve.served import hub_env, serving, until, upgraded

STORED = """query ($name: String) {
  cases(first: 100, filter: {name: $name}) { edges { node { provenance { source externalId } } } }
}"""
NEW_NAME = "Zorawar Syncedsingh"
SYNC_EVERY_S = "0.5"
ROUNDS_S = 60  # liveness bound: the first round and the one after the new record, on a loaded machine

pytestmark = pytest.mark.slow


def stored_ids(body: dict[str, Any]) -> set[str]:
    assert "errors" not in body, body
    return {
        e["node"]["provenance"]["externalId"]
        for e in body["data"]["cases"]["edges"]
        if e["node"]["provenance"]["source"] == "police-19"
    }


def test_serve_syncs_a_new_upstream_record_without_being_asked(tmp_path: Path) -> None:
    with simulator_process("police", "19", "--records", "30") as upstream:
        connectors = tmp_path / "connectors.toml"
        connectors.write_text(
            f'[[connector]]\nid = "police-19"\nkind = "police"\nstate = "19"\nbase_url = "{upstream}"\n',
            encoding="utf-8",
        )
        env = hub_env(tmp_path, CONNECTORS=str(connectors))
        upgraded(env, tmp_path)
        with serving(tmp_path, env, "--workers", "1", "--sync-every", SYNC_EVERY_S) as hub:
            token = demo_police_token(f"{hub.base}/oauth/token")

            # The first round brings the simulator's records in (those a police officer may see).
            listed = httpx.get(f"{upstream}/v1/cases", params={"limit": 500}, timeout=10).json()["items"]
            visible = {r["external_id"] for r in listed if not r["child"].get("confidential")}
            assert visible
            until(lambda: stored_ids(hub.graphql(STORED, token)) == visible, ROUNDS_S, "the first sync round")
            assert stored_ids(hub.graphql(STORED, token, name=NEW_NAME)) == set()

            # A record the state system gains now arrives on a later round, with no request to the hub.
            template = next(r for r in listed if r["external_id"] in visible)
            new = {k: v for k, v in template.items() if k not in {"external_id", "updated_at"}}
            new["child"] = {**template["child"], "name": NEW_NAME, "aliases": [], "confidential": False}
            created = httpx.post(f"{upstream}/_sim/records", json=new, timeout=10)
            assert created.status_code == 201, created.text
            external_id = created.json()["external_id"]

            found = until(
                lambda: stored_ids(hub.graphql(STORED, token, name=NEW_NAME)) or None, ROUNDS_S, "the new record"
            )
            assert found == {external_id}
            assert stored_ids(hub.graphql(STORED, token)) == visible | {external_id}
        log = hub.text()
        assert hub.process.returncode == 0, log[-3000:]
    assert "sync police-19" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
