"""The dispatcher inside ``serve``: a missing child reported over GraphQL reaches the station's SHO by SMS at a real
HTTP gateway, with no other process running, at ``TRACKCHILD_DISPATCH_EVERY_S`` (here 0.2 s)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import orjson
import pytest

from tests.alert_receivers import http_gateway
from tests.factories import missing_input, station
from tests.live_server import demo_police_token
from tests.serve.served import hub_env, serving, until, upgraded
from trackchild_hub.app import build_services
from trackchild_hub.cli import _with_demo_sink
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


def test_the_demo_writes_sms_and_e_mail_to_a_sink_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKCHILD_ALERT_SINK", raising=False)
    settings = Settings.from_env({"TRACKCHILD_DATA_DIR": str(tmp_path / "data")})
    demo = _with_demo_sink(settings)
    assert demo.alerting.sink == (tmp_path / "data" / "alert-sink.jsonl").absolute()
    assert os.environ["TRACKCHILD_ALERT_SINK"] == str(demo.alerting.sink)  # the workers' settings carry it
    configured = Settings.from_env({"TRACKCHILD_SMS_URL": "http://sms", "TRACKCHILD_SMTP_HOST": "mail"})
    assert _with_demo_sink(configured).alerting.sink is None  # real gateways configured: no sink


@pytest.mark.slow
def test_serve_with_a_sink_writes_a_new_cases_sms_there(tmp_path: Path) -> None:
    sink = tmp_path / "alert-sink.jsonl"
    env = hub_env(tmp_path, ALERT_SINK=str(sink), DISPATCH_EVERY_S="0.2")
    upgraded(env, tmp_path)
    seed_station(env)
    with serving(tmp_path, env, "--workers", "1") as hub:
        token = demo_police_token(f"{hub.base}/oauth/token")
        body = hub.graphql(REPORT, token, i=missing_input())
        assert "errors" not in body, body
        reference = body["data"]["reportMissing"]["reference"]
        lines = until(lambda: (sink.exists() and sink.read_text().splitlines()) or None, 20, "a line in the sink")
    [line] = [orjson.loads(x) for x in lines]
    assert (line["channel"], line["to"]) == ("SMS", SHO)
    assert reference in line["text"]
    assert "Rahul" not in line["text"]
