"""What a gateway is given and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row to send: a reference and a link in ``message``, never a child's name."""

    id: str
    key: str  # the idempotency key: the same on every attempt
    rule: str
    reference: str
    address: str
    language: str
    subject: str
    message: str


class DeliveryFailed(Exception):
    """The gateway did not take the delivery. ``reason`` is stored as the row's last error: a status or an error's
    type, never the message or the address."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Gateway(Protocol):
    async def send(self, delivery: Delivery) -> None: ...


def http_failure(status: int) -> DeliveryFailed:
    """An HTTP answer other than 2xx: a 4xx is permanent (the request is wrong), except 408 and 429; 5xx retries."""
    permanent = 400 <= status < 500 and status not in (408, 409, 425, 429)
    return DeliveryFailed(f"HTTP {status}", permanent=permanent)
