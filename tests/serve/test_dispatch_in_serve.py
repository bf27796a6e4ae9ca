"""The dispatcher inside ``serve``: a missing child reported over GraphQL reaches the station's SHO by SMS at a real
HTTP gateway, with no other process running, at ``TRACKCHILD_DISPATCH_EVERY_S`` (here 0.2 s)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.alert_receivers import http_gateway
from tests.factories import missing_input, station
from tests.live_server import demo_police_token
from tests.serve.served import hub_env, serving, until, upgraded
from trackchild_hub.app import build_services
from trackchild_hub.settings import Settings
from trackchild_hub.store.catalogue_writer import add_directory_entries
from trackchild_hub.store.models import FunctionaryRow

REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference } }"
SHO = "+919830000001"


def seed_station(env: dict[str, str]) -> None:
    async def write() -> None:
        services = build_services(Settings.from_env(env))
        try:
            async with services.sessions() as session, session.begin():
                await add_directory_entries(session, [station(1)])
                session.add(
                    FunctionaryRow(
                        id="PS-19-313-001~1",
                        entry_id="PS-19-313-001",
                        position=1,
                        name="SHO",
                        designation="SHO",
                        phones=[SHO],
                    )
                )
        finally:
            await services.engine.dispose()

    asyncio.run(write())


@pytest.mark.slow
def test_serve_dispatches_a_new_cases_alert_to_the_sms_gateway(tmp_path: Path) -> None:
    with http_gateway(b"x" * 32) as gateway:
        env = hub_env(tmp_path, SMS_URL=f"{gateway.base}/sms", DISPATCH_EVERY_S="0.2")
        upgraded(env, tmp_path)
        seed_station(env)
        with serving(tmp_path, env, "--workers", "1") as hub:
            token = demo_police_token(f"{hub.base}/oauth/token")
            body = hub.graphql(REPORT, token, i=missing_input())
            assert "errors" not in body, body
            reference = body["data"]["reportMissing"]["reference"]
            sms = until(lambda: list(gateway.sms.acted.values()) or None, 20, "the SHO's SMS")
        assert [(s["to"], reference in s["text"], "Rahul" in s["text"]) for s in sms] == [(SHO, True, False)]
        assert sum(gateway.sms.arrivals.values()) == 1
        assert hub.process.returncode == 0, hub.text()[-3000:]
