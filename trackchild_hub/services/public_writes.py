"""The port through which a public write (a citizen report, a sighting) is counted against its caller's allowance
before anything else is done: the HTTP edge plugs in its per-IP limiter (``http.rate_limit.PublicWriteLimit``);
a unit opened without one (a CLI command, a test) is not limited here. The per-phone limit is the use case's own
(``citizen_reports.PER_PHONE``), counted in the store."""

from __future__ import annotations

from typing import Protocol


class PublicWriteGate(Protocol):
    async def admit(self) -> None:
        """Count this write; raise ``domain.too_many.TooMany`` (RATE_LIMITED) when the allowance is used up."""
