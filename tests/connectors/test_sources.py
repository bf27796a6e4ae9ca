"""`sources`: every connected state system checked at once; one slow or dead state costs the deadline, no more."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from tests.factories import hub_client
from tests.live_server import refusing_port, serving
from trackchild_hub.app import dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.resolvers.sources import DEADLINE_S
from trackchild_hub.sandbox.simulator import Faults, create_simulator

SOURCES = "{ sources { source kind state ok latencyMs error breakerState } }"


async def test_sources_report_each_state_within_the_deadline(store: Services, tmp_path: Path) -> None:
    with (
        serving(create_simulator("police", "19", records=20, api_key="k")) as healthy,
        serving(create_simulator("wcd", "27", records=20, faults=Faults(hang=True))) as slow,
        refusing_port() as dead,
    ):
        connectors = tmp_path / "connectors.toml"
        connectors.write_text(
            f"""
[[connector]]
id = "police-19"
kind = "police"
state = "19"
base_url = "{healthy}"
auth = {{ type = "api_key", header = "X-Api-Key", secret_env = "POLICE_19_KEY" }}

[[connector]]
id = "wcd-27"
kind = "wcd"
state = "27"
base_url = "{slow}"
timeout_ms = 20000

[[connector]]
id = "police-10"
kind = "police"
state = "10"
base_url = "http://127.0.0.1:{dead}"
""",
            encoding="utf-8",
        )
        settings = replace(store.settings, connectors=connectors)
        issuer = dev_issuer(settings)
        headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
        async with hub_client(settings, secrets={"POLICE_19_KEY": "k"}) as client:
            public = (await client.post("/graphql", json={"query": SOURCES})).json()
            assert public["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            started = time.monotonic()
            body = (await client.post("/graphql", json={"query": SOURCES}, headers=headers)).json()
            elapsed = time.monotonic() - started
    statuses = {s["source"]: s for s in body["data"]["sources"]}
    # The deadline and a loaded machine's margin; ignoring the deadline would cost the hanging system's 20 s timeout.
    assert elapsed < DEADLINE_S + 4.0
    assert statuses["police-19"]["ok"] is True
    assert statuses["police-19"]["error"] is None
    assert statuses["wcd-27"]["ok"] is False
    assert statuses["wcd-27"]["error"].startswith("UPSTREAM_TIMEOUT")
    assert statuses["police-10"]["ok"] is False
    assert statuses["police-10"]["error"].startswith("UPSTREAM_UNAVAILABLE")
    assert (statuses["wcd-27"]["kind"], statuses["wcd-27"]["state"]) == ("wcd", "27")
