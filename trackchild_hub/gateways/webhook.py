"""Webhooks for partner systems, signed with HMAC-SHA256 over the timestamp and the body.

``POST`` JSON ``{"id", "rule", "reference", "subject", "message", "language"}`` with headers:

- ``Idempotency-Key``: the delivery's key (the same on every attempt; ``id`` in the body too);
- ``X-TrackChild-Timestamp``: Unix seconds when this attempt was signed;
- ``X-TrackChild-Signature``: ``sha256=`` + hex HMAC-SHA256(secret, timestamp + "." + body bytes).

A receiver recomputes the signature over the raw body (``verify`` here), compares in constant time, and refuses a
timestamp older than a few minutes (a replay); it drops a key it has seen."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
import orjson

from .port import Delivery, DeliveryFailed, http_failure

TIMESTAMP_HEADER = "X-TrackChild-Timestamp"
SIGNATURE_HEADER = "X-TrackChild-Signature"
TOLERANCE_S = 300


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: bytes, timestamp: str, body: bytes, signed: str, now: float | None = None) -> bool:
    """Whether ``signed`` is the signature of ``body`` at ``timestamp``, and the timestamp is recent."""
    try:
        age = (time.time() if now is None else now) - int(timestamp)
    except ValueError:
        return False
    return abs(age) <= TOLERANCE_S and hmac.compare_digest(signature(secret, timestamp, body), signed)


class Webhook:
    def __init__(self, http: httpx.AsyncClient, secret: bytes) -> None:
        self.http, self.secret = http, secret

    async def send(self, delivery: Delivery) -> None:
        body = orjson.dumps(
            {
                "id": delivery.key,
                "rule": delivery.rule,
                "reference": delivery.reference,
                "subject": delivery.subject,
                "message": delivery.message,
                "language": delivery.language,
            }
        )
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": delivery.key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self.secret, timestamp, body),
        }
        try:
            response = await self.http.post(delivery.address, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(type(exc).__name__) from None
        if not response.is_success:
            raise http_failure(response.status_code)
