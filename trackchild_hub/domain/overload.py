"""The hub at capacity: an answer about the hub, not about the request (which may be sent again in a second).

A subclass of ``HubError`` (domain/errors.py) with the code ``SERVICE_UNAVAILABLE``; the GraphQL endpoint answers it
with HTTP 503 and ``Retry-After``. ``RATE_LIMITED`` (429) is not reused: that one says *this caller* asked too often,
and a client honouring it would throttle itself for the hub's load, while a load balancer should try another hub.
"""

from __future__ import annotations

from .errors import HubError

RETRY_AFTER_S = 1  # long enough for the queue to drain (requests wait at most a fraction of it), short for people


class Overloaded(HubError):
    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str = "the hub is at capacity; try again in a second") -> None:
        super().__init__(message, suggestion=f"retry after {RETRY_AFTER_S} s")
