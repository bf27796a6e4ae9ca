"""SMS through a configurable HTTP gateway (``TRACKCHILD_SMS_URL``).

``POST`` JSON ``{"to": "+91…", "text": "…", "unicode": true|false, "reference": "…"}`` (UTF-8; ``unicode`` is true when
the text is not plain ASCII, so the gateway sends UCS-2 SMS for Hindi and other Indian scripts), with headers
``Idempotency-Key`` and, when ``TRACKCHILD_SMS_TOKEN`` is set, ``Authorization: Bearer …``. Any 2xx is accepted."""

from __future__ import annotations

import httpx
import orjson

from .port import Delivery, DeliveryFailed, http_failure


class HttpSms:
    def __init__(self, http: httpx.AsyncClient, url: str, token: str | None = None) -> None:
        self.http, self.url, self.token = http, url, token

    async def send(self, delivery: Delivery) -> None:
        body = {
            "to": delivery.address,
            "text": delivery.message,
            "unicode": not delivery.message.isascii(),
            "reference": delivery.reference,
        }
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": delivery.key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = await self.http.post(self.url, content=orjson.dumps(body), headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(type(exc).__name__) from None
        if not response.is_success:
            raise http_failure(response.status_code)
