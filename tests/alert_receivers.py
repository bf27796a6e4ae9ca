"""Real receivers for the alert tests: an HTTP gateway (SMS and webhooks) served by uvicorn, and an SMTP server
(aiosmtpd). Each behaves as a careful gateway does: it checks the idempotency key (and a webhook's signature), acts
on a key once, and answers a repeat as accepted without acting again. They count every arrival per key, so a test sees
both what was sent and what took effect."""

from __future__ import annotations

import asyncio
import email
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import orjson
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.live_server import free_port, serving
from trackchild_hub.gateways.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


@dataclass
class Received:
    """What one receiver saw: arrivals per key (every request), and the body acted on per key (once each)."""

    arrivals: Counter[str] = field(default_factory=Counter)
    acted: dict[str, Any] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # why requests were refused (bad signature, no key ...)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, body: Any) -> bool:
        """Count the arrival; act on the key if new. True if it was new."""
        with self.lock:
            self.arrivals[key] += 1
            if key in self.acted:
                return False
            self.acted[key] = body
            return True


@dataclass
class HttpGateway:
    """``/sms`` (an SMS gateway's JSON API) and ``/hook`` (a partner's webhook, signed with ``secret``)."""

    secret: bytes
    sms: Received = field(default_factory=Received)
    hooks: Received = field(default_factory=Received)
    fail: dict[str, list[int]] = field(default_factory=dict)  # address -> statuses to answer first, in order
    hold: threading.Event = field(default_factory=threading.Event)  # set: hold the first request
    held: threading.Event = field(default_factory=threading.Event)  # set once a request is being held
    released: threading.Event = field(default_factory=threading.Event)  # set: answer the held request
    base: str = ""

    def app(self) -> Starlette:
        async def sms(request: Request) -> JSONResponse:
            key = request.headers.get("Idempotency-Key")
            body = orjson.loads(await request.body())
            if not key:
                self.sms.refused.append("no Idempotency-Key")
                return JSONResponse({"error": "Idempotency-Key required"}, 400)
            if request.headers.get("content-type", "").split(";")[0] != "application/json":
                self.sms.refused.append("not JSON")
                return JSONResponse({"error": "JSON only"}, 415)
            if (statuses := self.fail.get(body["to"])) and statuses:
                with self.sms.lock:
                    self.sms.arrivals[key] += 1
                return JSONResponse({"error": "injected"}, statuses.pop(0))
            new = self.sms.take(key, body)
            if new and self.hold.is_set() and not self.held.is_set():  # the SMS is out; its answer waits
                self.held.set()
                await asyncio.to_thread(self.released.wait, 60)
            return JSONResponse({"accepted": True, "duplicate": not new})

        async def hook(request: Request) -> JSONResponse:
            raw = await request.body()
            key = request.headers.get("Idempotency-Key", "")
            signed = request.headers.get(SIGNATURE_HEADER, "")
            if not verify(self.secret, request.headers.get(TIMESTAMP_HEADER, ""), raw, signed):
                self.hooks.refused.append("bad signature")
                return JSONResponse({"error": "bad signature"}, 401)
            body = orjson.loads(raw)
            if not key or body.get("id") != key:
                self.hooks.refused.append("key")
                return JSONResponse({"error": "Idempotency-Key required"}, 400)
            self.hooks.take(key, body)
            return JSONResponse({"accepted": True})

        return Starlette(routes=[Route("/sms", sms, methods=["POST"]), Route("/hook", hook, methods=["POST"])])


@contextmanager
def http_gateway(secret: bytes) -> Iterator[HttpGateway]:
    gateway = HttpGateway(secret)
    with serving(gateway.app(), lifespan="off") as base:
        gateway.base = base
        try:
            yield gateway
        finally:
            gateway.released.set()


class _Mailbox:
    def __init__(self) -> None:
        self.received = Received()
        self.refuse: set[str] = set()  # recipients answered 550

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message: Message = email.message_from_bytes(content)
        key = message.get("Message-ID", "")
        if not key or message.get("Idempotency-Key", "") not in key:
            self.received.refused.append("no key")
            return "554 no Message-ID"
        self.received.take(key, message)
        return "250 Message accepted"


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: _Mailbox

    @property
    def received(self) -> Received:
        return self.mailbox.received


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, mailbox)
    finally:
        controller.stop()
