"""``trackchild-hub dispatch`` as a real process, on SQLite and PostgreSQL: killed with SIGKILL while a gateway holds
one of its SMS (sent, not yet answered) and started again, every alert is delivered and none takes effect twice (the
receivers act on an idempotency key once and count every arrival); the operator's ``--dead`` and ``--retry``."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.alert_receivers import HttpGateway, SmtpServer, http_gateway, smtp_server
from tests.serve.served import hub_env
from trackchild_hub.domain.alerts import Alert, AlertRule, Channel
from trackchild_hub.services.alerts import columns
from trackchild_hub.services.unit import Services
from trackchild_hub.store import outbox
from trackchild_hub.store.models import OutboxRow

pytestmark = pytest.mark.slow
SMS, EMAILS = 45, 5  # more than two batches of 20: the kill lands with work claimed, done and not yet claimed
SECRET = b"w" * 32


@pytest.fixture
def receivers() -> Iterator[tuple[HttpGateway, SmtpServer]]:
    with http_gateway(SECRET) as http, smtp_server() as smtp:
        yield http, smtp


def env_for(store: Services, tmp_path: Path, http: HttpGateway, smtp: SmtpServer) -> dict[str, str]:
    env = hub_env(
        tmp_path,
        DATABASE_URL=store.settings.database_url,
        SMS_URL=f"{http.base}/sms",
        SMTP_HOST=smtp.host,
        SMTP_PORT=str(smtp.port),
        ALERT_LEASE_S="1",  # a dead dispatcher's rows are free again after a second
        DISPATCH_EVERY_S="0.1",
    )
    if store.settings.database_schema:
        env["TRACKCHILD_DATABASE_SCHEMA"] = store.settings.database_schema
    return env


def dispatcher(env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """``trackchild-hub dispatch`` in a process of its own, its output in ``log``."""
    command = [sys.executable, "-m", "trackchild_hub.cli", "dispatch"]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)


async def rows(store: Services) -> list[OutboxRow]:
    async with store.sessions() as session:
        return list(await session.scalars(select(OutboxRow)))


async def until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        await asyncio.sleep(0.05)


def alerts() -> list[Alert]:
    made = [
        Alert(AlertRule.NEW_MISSING_CASE, f"c{n}", f"WB-2026-{n:06d}", Channel.SMS, f"+9198300{n:05d}", "en", "s", "m")
        for n in range(SMS)
    ]
    made += [
        Alert(
            AlertRule.NEW_MISSING_CASE,
            f"c{n}",
            f"WB-2026-{n:06d}",
            Channel.EMAIL,
            f"io{n}@police.example",
            "en",
            "s",
            "m",
        )
        for n in range(EMAILS)
    ]
    return made


async def test_a_dispatcher_killed_mid_delivery_and_restarted_delivers_every_alert_once(
    store: Services, tmp_path: Path, receivers: tuple[HttpGateway, SmtpServer]
) -> None:
    http, smtp = receivers
    sent = alerts()
    async with store.sessions() as session, session.begin():
        assert await outbox.enqueue(session, [columns(a) for a in sent]) == SMS + EMAILS
    env = env_for(store, tmp_path, http, smtp)

    http.hold.set()  # the first new SMS is taken by the gateway, and its answer held back
    first = dispatcher(env, tmp_path, tmp_path / "first.log")

    async def held_at_gateway() -> bool:
        return http.held.is_set()

    try:
        await until(held_at_gateway, 60, "an SMS held at the gateway")
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = await rows(store)
    statuses = {r.status for r in at_kill}
    assert "DELIVERING" in statuses  # the kill left claimed work behind
    assert sum(r.status == "DELIVERED" for r in at_kill) < SMS + EMAILS
    held = {r.idempotency_key for r in at_kill if r.status == "DELIVERING"} & set(http.sms.acted)
    assert held, "the held SMS took effect at the gateway but was not recorded as delivered"

    http.hold.clear()
    second = dispatcher(env, tmp_path, tmp_path / "second.log")
    try:

        async def all_delivered() -> bool:
            return all(r.status == "DELIVERED" for r in await rows(store))

        await until(all_delivered, 60, "every alert delivered after the restart")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    output = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert second.returncode == 0, output

    keys = {a.key for a in sent}
    acted = set(http.sms.acted) | {message_id.strip("<>").split("@")[0] for message_id in smtp.received.acted}
    assert acted == keys  # every alert took effect ...
    assert len(http.sms.acted) + len(smtp.received.acted) == len(keys)  # ... each once
    for key in held:
        assert http.sms.arrivals[key] == 2  # sent again after the restart, dropped by the gateway as a repeat
    again = {r.idempotency_key: r.attempts for r in await rows(store)}
    assert all(again[key] == 2 for key in held)
    # Sent again only what was claimed and not recorded at the kill (never what was recorded DELIVERED, nor what no
    # one had claimed): the held SMS, and any other still on its way to the gateway when the process died (it
    # arrives after ``held`` was read).
    delivering = {r.idempotency_key for r in at_kill if r.status == "DELIVERING"}
    assert {key for key, count in http.sms.arrivals.items() if count > 1} <= delivering
    assert max(http.sms.arrivals.values()) == 2
    for line in output.splitlines():  # the dispatcher's log names no address
        assert "+91" not in line
        assert "@police.example" not in line


def run(env: dict[str, str], cwd: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trackchild_hub.cli", "dispatch", *options]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


async def test_the_operator_lists_dead_letters_and_queues_them_again(
    store: Services, tmp_path: Path, receivers: tuple[HttpGateway, SmtpServer]
) -> None:
    http, smtp = receivers
    [one, two] = alerts()[:2]
    async with store.sessions() as session, session.begin():
        await outbox.enqueue(session, [columns(one), columns(two)])
        await session.execute(update(OutboxRow).values(status="DEAD", attempts=8, last_error="HTTP 503"))
    env = env_for(store, tmp_path, http, smtp)
    ids = {r.idempotency_key: r.id for r in await rows(store)}

    listed = run(env, tmp_path, "--dead")
    assert listed.returncode == 0, listed.stderr
    assert sorted(line.split("\t")[0] for line in listed.stdout.splitlines()) == sorted(ids.values())
    assert "HTTP 503" in listed.stdout
    assert "+91" not in listed.stdout

    retried = run(env, tmp_path, "--retry", ids[one.key])
    assert retried.returncode == 0, retried.stderr
    assert run(env, tmp_path, "--retry", "no-such-id").returncode == 1
    delivered = run(env, tmp_path, "--once")
    assert delivered.returncode == 0, delivered.stderr
    assert {r.idempotency_key: r.status for r in await rows(store)} == {one.key: "DELIVERED", two.key: "DEAD"}
    assert set(http.sms.acted) == {one.key}


def test_dispatch_without_a_gateway_says_which_settings_configure_one(tmp_path: Path) -> None:
    done = run(hub_env(tmp_path), tmp_path)
    assert done.returncode == 2
    assert "TRACKCHILD_SMS_URL" in done.stderr
