"""SMS through a configurable HTTP gateway (``TRACKCHILD_SMS_URL``).

``POST`` JSON ``{"to": "+91…", "text": "…", "unicode": true|false, "encoding": "GSM7"|"UCS2", "segments": n,
"reference": "…"}`` (UTF-8 JSON; ``unicode`` is true, and ``encoding`` ``UCS2``, when a character of the text is not in
the GSM 7-bit alphabet, so the gateway sends UCS-2 SMS for Hindi and every other Indian script; ``segments`` is how
many message parts the text takes, ``domain.sms``), with headers ``Idempotency-Key`` and, when
``TRACKCHILD_SMS_TOKEN`` is set, ``Authorization: Bearer …``. Any 2xx is accepted."""

from __future__ import annotations

import httpx
import orjson

from ..domain.sms import sms_shape
from .port import Delivery, DeliveryFailed, http_failure


class HttpSms:
    def __init__(self, http: httpx.AsyncClient, url: str, token: str | None = None) -> None:
        self.http, self.url, self.token = http, url, token

    async def send(self, delivery: Delivery) -> None:
        shape = sms_shape(delivery.message)
        body = {
            "to": delivery.address,
            "text": delivery.message,
            "unicode": shape.encoding == "UCS2",
            "encoding": shape.encoding,
            "segments": shape.segments,
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
