"""The dispatcher (``services.dispatch``) against real receivers, on SQLite and PostgreSQL: an HTTP SMS gateway and a
partner webhook (uvicorn, checking signatures and idempotency keys) and an SMTP server (aiosmtpd). Alerts are
delivered once each, retried with backoff after a 5xx, dead after a refusal or too many tries, and revived."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import select, update

from tests.alert_receivers import HttpGateway, SmtpServer, http_gateway, smtp_server
from tests.factories import POLICE
from tests.services.test_alerts import CHILD, seed_contacts
from tests.services.test_cases import missing
from trackchild_hub.domain.alerts import Alert, AlertRule, Channel
from trackchild_hub.domain.sms import sms_shape
from trackchild_hub.gateways.build import gateways
from trackchild_hub.services.alerts import columns
from trackchild_hub.services.cases import report_missing
from trackchild_hub.services.dispatch import Dispatcher, backoff_s, dead_letters, retry_dead_letter
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.settings import Alerting
from trackchild_hub.store import outbox
from trackchild_hub.store.models import OutboxRow
from trackchild_hub.store.models.base import utcnow

SECRET = b"k" * 32
HINDI = "TrackChild: एक बच्चा लापता है, मामला WB-2026-000042। https://hub.example/cases/WB-2026-000042"


@pytest.fixture(scope="module")
def receivers() -> Iterator[tuple[HttpGateway, SmtpServer]]:
    with http_gateway(SECRET) as http, smtp_server() as smtp:
        yield http, smtp


@pytest.fixture
def fresh(receivers: tuple[HttpGateway, SmtpServer]) -> tuple[HttpGateway, SmtpServer]:
    http, smtp = receivers
    for received in (http.sms, http.hooks, smtp.received):
        received.arrivals.clear()
        received.acted.clear()
        received.refused.clear()
    http.fail.clear()
    smtp.mailbox.refuse.clear()
    return http, smtp


def alerting(http: HttpGateway, smtp: SmtpServer) -> Alerting:
    return Alerting(
        sms_url=f"{http.base}/sms",
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        webhooks=(f"{http.base}/hook",),
        webhook_secret=SECRET,
        backoff_s=0.0,  # retries due at once: the test drives the rounds
        max_attempts=3,
    )


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield http


def alert(channel: Channel, address: str, message: str = "TrackChild: case WB-2026-000042 https://x") -> Alert:
    return Alert(AlertRule.NEW_MISSING_CASE, "c42", "WB-2026-000042", channel, address, "hi", "subject", message)


async def enqueue(store: Services, *alerts: Alert) -> None:
    async with store.sessions() as session, session.begin():
        await outbox.enqueue(session, [columns(a) for a in alerts])


async def statuses(store: Services) -> dict[str, tuple[str, int, str | None]]:
    async with store.sessions() as session:
        rows = await session.scalars(select(OutboxRow))
        return {row.address: (row.status, row.attempts, row.last_error) for row in rows}


def test_backoff_doubles_to_an_hour_with_equal_jitter() -> None:
    assert [backoff_s(n, 5.0, 1.0) for n in (1, 2, 3, 4)] == [5.0, 10.0, 20.0, 40.0]
    assert backoff_s(3, 5.0, 0.0) == 10.0  # half of 20: the jitter spreads between half and all
    assert backoff_s(30, 5.0, 1.0) == 3600.0


async def test_each_channel_delivers_once_with_its_key_and_the_webhook_is_signed(
    store: Services, fresh: tuple[HttpGateway, SmtpServer], client: httpx.AsyncClient
) -> None:
    http, smtp = fresh
    sms, mail, hook = (
        alert(Channel.SMS, "+919830000001", HINDI),
        alert(Channel.EMAIL, "sho@police.example", HINDI),
        alert(Channel.WEBHOOK, f"{http.base}/hook"),
    )
    await enqueue(store, sms, mail, hook)
    dispatcher = Dispatcher(store.sessions, alerting(http, smtp), gateways(alerting(http, smtp), client))
    assert await dispatcher.drain() == 3
    assert await dispatcher.drain() == 0  # nothing due: nothing sent again
    assert http.sms.acted[sms.key] == {
        "to": "+919830000001",
        "text": HINDI,
        "unicode": True,
        "encoding": "UCS2",
        "segments": sms_shape(HINDI).segments,
        "reference": sms.reference,
    }
    assert http.hooks.acted[hook.key]["reference"] == "WB-2026-000042"
    [(message_id, message)] = smtp.received.acted.items()
    assert message_id == f"<{mail.key}@trackchild-hub>"
    assert message["To"] == "sho@police.example"
    assert message.get_payload(decode=True).decode().strip() == HINDI
    arrivals = http.sms.arrivals + http.hooks.arrivals + smtp.received.arrivals
    assert sorted(arrivals.values()) == [1, 1, 1]
    assert http.hooks.refused == []
    assert set((await statuses(store)).values()) == {("DELIVERED", 1, None)}


async def test_a_reported_case_reaches_the_sho_by_sms_and_e_mail_without_the_childs_name(
    store: Services, fresh: tuple[HttpGateway, SmtpServer], client: httpx.AsyncClient
) -> None:
    http, smtp = fresh
    await seed_contacts(store)
    async with Unit.opened(store, POLICE) as unit:
        case = await report_missing(unit, missing())
    settings = alerting(http, smtp)
    assert await Dispatcher(store.sessions, settings, gateways(settings, client)).drain() == 3
    texts = [b["text"] for b in http.sms.acted.values()]
    texts += [m.get_payload(decode=True).decode() for m in smtp.received.acted.values()]
    assert len(texts) == 3
    for text in texts:
        assert case.reference in text
        assert all(part not in text for part in CHILD.split())


async def test_a_5xx_is_retried_with_the_same_key_and_a_4xx_or_too_many_tries_is_a_dead_letter(
    store: Services, fresh: tuple[HttpGateway, SmtpServer], client: httpx.AsyncClient
) -> None:
    http, smtp = fresh
    flaky, refused, down = "+919830000001", "+919830000002", "+919830000003"
    http.fail |= {flaky: [503, 502], refused: [400], down: [503, 503, 503, 503]}
    smtp.mailbox.refuse.add("nobody@police.example")
    await enqueue(store, alert(Channel.SMS, flaky), alert(Channel.SMS, refused), alert(Channel.SMS, down))
    await enqueue(store, alert(Channel.EMAIL, "nobody@police.example"))
    settings = alerting(http, smtp)
    dispatcher = Dispatcher(store.sessions, settings, gateways(settings, client), jitter=lambda: 0.0)
    for _ in range(4):
        await dispatcher.drain()
    assert await statuses(store) == {
        flaky: ("DELIVERED", 3, None),
        refused: ("DEAD", 1, "HTTP 400"),
        down: ("DEAD", 3, "HTTP 503"),  # max_attempts
        "nobody@police.example": ("DEAD", 1, "SMTP 550"),
    }
    key = next(iter(http.sms.acted))
    assert http.sms.arrivals[key] == 3  # the same key each try; acted on once
    dead = await dead_letters(store.sessions)
    assert {row.address for row in dead} == {refused, down, "nobody@police.example"}
    http.fail.clear()
    [down_row] = [row for row in dead if row.address == down]
    assert await retry_dead_letter(store.sessions, down_row.id)
    assert not await retry_dead_letter(store.sessions, down_row.id)
    await dispatcher.drain()
    assert (await statuses(store))[down] == ("DELIVERED", 1, None)


async def test_a_pending_retry_waits_for_its_time_and_an_unconfigured_channel_waits(
    store: Services, fresh: tuple[HttpGateway, SmtpServer], client: httpx.AsyncClient
) -> None:
    http, smtp = fresh
    http.fail["+919830000001"] = [503]
    await enqueue(store, alert(Channel.SMS, "+919830000001"), alert(Channel.EMAIL, "a@police.example"))
    settings = replace(alerting(http, smtp), backoff_s=600.0, smtp_host=None)
    dispatcher = Dispatcher(store.sessions, settings, gateways(settings, client))
    assert await dispatcher.drain() == 1  # the SMS only: no SMTP configured
    async with store.sessions() as session:
        row = await session.scalar(select(OutboxRow).where(OutboxRow.channel == "SMS"))
    assert row is not None
    assert row.status == "PENDING"
    assert utcnow() + timedelta(seconds=299) < row.next_attempt_at <= utcnow() + timedelta(seconds=600)
    assert await dispatcher.drain() == 0
    async with store.sessions() as session, session.begin():
        await session.execute(update(OutboxRow).values(next_attempt_at=utcnow()))
    assert await dispatcher.drain() == 1
    assert (await statuses(store))["a@police.example"] == ("PENDING", 0, None)


async def test_the_demo_sink_appends_each_sms_and_e_mail_once_as_a_json_line(
    store: Services, tmp_path: Path, client: httpx.AsyncClient
) -> None:
    sink = tmp_path / "alert-sink.jsonl"
    settings = Alerting(sink=sink)
    sms, mail = alert(Channel.SMS, "+919830000001", HINDI), alert(Channel.EMAIL, "sho@police.example")
    await enqueue(store, sms, mail, alert(Channel.WEBHOOK, "https://partner.example/hook"))
    assert set(gateways(settings, client)) == {Channel.SMS, Channel.EMAIL}  # no webhook configured: it waits
    assert await Dispatcher(store.sessions, settings, gateways(settings, client)).drain() == 2
    async with store.sessions() as session, session.begin():  # sent again (a lapsed lease): written once all the same
        await session.execute(update(OutboxRow).where(OutboxRow.channel == "SMS").values(status="PENDING"))
    assert await Dispatcher(store.sessions, settings, gateways(settings, client)).drain() == 1
    lines = [orjson.loads(line) for line in sink.read_bytes().splitlines()]
    assert len(lines) == 2
    assert {(x["channel"], x["to"], x["text"], x["key"]) for x in lines} == {
        ("SMS", "+919830000001", HINDI, sms.key),
        ("EMAIL", "sho@police.example", mail.message, mail.key),
    }
