"""The alert settings (``Settings.alerting``) read from the environment, and the values refused."""

from __future__ import annotations

import pytest

from trackchild_hub.settings import Alerting, Settings, SettingsError

SECRET = "s" * 32


def test_defaults_configure_no_gateway() -> None:
    assert Settings.from_env({}).alerting == Alerting()
    assert Alerting().sms_url is None
    assert Alerting().smtp_host is None
    assert Alerting().webhooks == ()


def test_the_environment_configures_gateways_pace_and_retries() -> None:
    alerting = Settings.from_env(
        {
            "TRACKCHILD_SMS_URL": "http://127.0.0.1:9000/sms",
            "TRACKCHILD_SMTP_HOST": "127.0.0.1",
            "TRACKCHILD_SMTP_PORT": "2525",
            "TRACKCHILD_ALERT_WEBHOOKS": "https://a.example/hook, https://b.example/hook",
            "TRACKCHILD_WEBHOOK_SECRET": SECRET,
            "TRACKCHILD_DISPATCH_EVERY_S": "0.5",
            "TRACKCHILD_ALERT_MAX_ATTEMPTS": "3",
            "TRACKCHILD_ALERT_LEASE_S": "2",
        }
    ).alerting
    assert alerting.sms_url == "http://127.0.0.1:9000/sms"
    assert (alerting.smtp_host, alerting.smtp_port) == ("127.0.0.1", 2525)
    assert alerting.webhooks == ("https://a.example/hook", "https://b.example/hook")
    assert alerting.webhook_secret == SECRET.encode()
    assert (alerting.every_s, alerting.max_attempts, alerting.lease_s) == (0.5, 3, 2.0)
    assert SECRET not in repr(alerting)


@pytest.mark.parametrize(
    "environ",
    [
        {"TRACKCHILD_ALERT_WEBHOOKS": "https://a.example/hook"},  # no secret to sign with
        {"TRACKCHILD_ALERT_WEBHOOKS": "https://a.example/hook", "TRACKCHILD_WEBHOOK_SECRET": "short"},
        {"TRACKCHILD_DISPATCH_EVERY_S": "0"},
        {"TRACKCHILD_ALERT_MAX_ATTEMPTS": "0"},
        {"TRACKCHILD_ALERT_LEASE_S": "0.1"},
        {"TRACKCHILD_SMTP_PORT": "70000"},
    ],
)
def test_unusable_values_are_refused_naming_the_variable(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="TRACKCHILD_"):
        Settings.from_env(environ)
