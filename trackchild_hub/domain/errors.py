"""Errors the hub raises below the GraphQL edge; the schema maps each to an ``extensions.code``.

HubError                      (code)
├── BadUserInput              BAD_USER_INPUT       carries the offending field path
├── NotFound                  NOT_FOUND
├── Conflict                  CONFLICT             e.g. a stale version in updateCase
├── Forbidden                 FORBIDDEN            the caller's scopes do not allow the operation
├── Unauthenticated           UNAUTHENTICATED
└── UpstreamError             UPSTREAM_UNAVAILABLE a state system failed; carries its ``source`` and ``retryable``
    ├── UpstreamUnavailable   UPSTREAM_UNAVAILABLE unreachable, an error status or a bad answer, an open breaker
    └── UpstreamTimeout       UPSTREAM_TIMEOUT     no answer before the deadline

Upstream errors in a federated read are reported beside the other sources' data (a partial answer), not raised.
"""

from __future__ import annotations


class HubError(Exception):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion

    def extensions(self) -> dict[str, object]:
        ext: dict[str, object] = {"code": self.code}
        if self.suggestion:
            ext["suggestion"] = self.suggestion
        return ext


class BadUserInput(HubError):
    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(f"{field}: {message}", suggestion=suggestion)
        self.field = field
        self.reason = message

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "field": self.field}


class NotFound(HubError):
    code = "NOT_FOUND"


class Conflict(HubError):
    code = "CONFLICT"


class Forbidden(HubError):
    code = "FORBIDDEN"


class Unauthenticated(HubError):
    code = "UNAUTHENTICATED"


class UpstreamError(HubError):
    code = "UPSTREAM_UNAVAILABLE"

    def __init__(self, source: str, message: str, *, retryable: bool = True) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.retryable = retryable  # False: asking again at once would get the same answer (credentials refused)

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "source": self.source}


class UpstreamUnavailable(UpstreamError):
    code = "UPSTREAM_UNAVAILABLE"


class UpstreamTimeout(UpstreamError):
    code = "UPSTREAM_TIMEOUT"
