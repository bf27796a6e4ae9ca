"""``RATE_LIMITED`` raised by a use case (a per-phone limit), saying when to retry."""

from __future__ import annotations

from .errors import HubError


class TooMany(HubError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(f"{message}; retry in {retry_after_s} s", suggestion="in an emergency call 112 or 1098")
        self.retry_after_s = retry_after_s

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "retryAfterSeconds": self.retry_after_s}
