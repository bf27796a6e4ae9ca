"""The typed per-request context (``Info = strawberry.Info[Context, None]``): a unit of work plus what GraphQL adds.

``services.unit.Unit`` holds the session, the principal and the record loaders every use case works with; a request
adds its id, the reads it records for the access log, the upstream failures reported beside partial data, and live
records from the connected state systems (``fetch_remote``). ``Services`` is re-exported for the callers that build it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import strawberry

from ..audit.entries import ReadRecorder
from ..domain.errors import UpstreamError
from ..services.unit import Services, Unit

__all__ = ["Context", "Info", "Services"]


@dataclass(slots=True)
class Context(Unit):
    request_id: str = field(default_factory=lambda: Context.new_request_id())
    reads: ReadRecorder = field(default_factory=ReadRecorder)
    # Upstream failures reported beside partial data, as (response path, error); see schema/extensions.
    upstream_errors: list[tuple[list[str | int], UpstreamError]] = field(default_factory=list)

    @staticmethod
    def new_request_id() -> str:
        return uuid.uuid4().hex

    async def fetch_remote(self, case_id: str) -> None:
        """A live record's id (``remote_cases``): fetched from its source, which primes the loaders when it holds it."""
        from .remote_cases import fetch_remote, parse_remote_id  # remote_cases builds on this module

        remote = parse_remote_id(case_id)
        if remote is not None:
            await fetch_remote(self, *remote)


Info = strawberry.Info[Context, None]
