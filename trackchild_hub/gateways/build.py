"""The gateways the settings configure, by channel; a channel without one is not dispatched (its alerts wait)."""

from __future__ import annotations

import httpx

from ..domain.alerts import Channel
from ..settings import Alerting
from .port import Gateway
from .sink import FileSink
from .sms_http import HttpSms
from .smtp_email import SmtpEmail
from .webhook import Webhook


def gateways(alerting: Alerting, http: httpx.AsyncClient) -> dict[Channel, Gateway]:
    built: dict[Channel, Gateway] = {}
    if alerting.sms_url:
        built[Channel.SMS] = HttpSms(http, alerting.sms_url, alerting.sms_token)
    if alerting.smtp_host:
        built[Channel.EMAIL] = SmtpEmail(alerting.smtp_host, alerting.smtp_port, alerting.smtp_from)
    if alerting.sink is not None:  # the demo's: SMS and e-mail without a gateway of their own go to a local file
        built.setdefault(Channel.SMS, FileSink(alerting.sink, Channel.SMS.value))
        built.setdefault(Channel.EMAIL, FileSink(alerting.sink, Channel.EMAIL.value))
    if alerting.webhooks:
        built[Channel.WEBHOOK] = Webhook(http, alerting.webhook_secret)
    return built
