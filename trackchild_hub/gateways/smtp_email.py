"""E-mail over SMTP (``TRACKCHILD_SMTP_HOST``/``PORT``/``FROM``), with the standard library's ``smtplib`` on a
worker thread (no new dependency: a message a few hundred bytes long, a handful a second).

The Message-ID is derived from the idempotency key (``<key@trackchild-hub>``) and the key is also sent as an
``Idempotency-Key`` header, so a receiving system drops a message sent again after a dispatcher died mid-send.
A 5xx reply is permanent (a refused recipient); anything else is tried again."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

from .port import Delivery, DeliveryFailed

TIMEOUT_S = 20.0


class SmtpEmail:
    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def message(self, delivery: Delivery) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = delivery.address
        message["Subject"] = delivery.subject
        message["Message-ID"] = f"<{delivery.key}@trackchild-hub>"
        message["Idempotency-Key"] = delivery.key
        message["Content-Language"] = delivery.language
        message.set_content(delivery.message)  # UTF-8 as needed
        return message

    async def send(self, delivery: Delivery) -> None:
        await asyncio.to_thread(self._send, self.message(delivery))

    def _send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as smtp:
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryFailed(f"SMTP {codes[0] if codes else '?'}", permanent=all(c >= 500 for c in codes)) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(f"SMTP {exc.smtp_code}", permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(type(exc).__name__) from None
