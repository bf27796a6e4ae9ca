"""The port through which ``caseStatus`` is counted before its work: per IP (a refusal is RATE_LIMITED, which says
nothing of any reference), and per reference from every IP together (past that allowance the reference is locked:
its answer is a wrong pair's, whatever the code). The HTTP edge plugs in its limiter
(``http.rate_limit.CaseStatusLimit``); a unit opened without one (a CLI command, a test) is not limited.

Why a locked reference answers exactly as a wrong pair, and why every attempt counts (the right code's too):

- The lock must not tell an attacker that a reference exists. So it is keyed by the reference as typed, counted
  the same for a reference that exists and one that does not, before the status code is looked at; every reference
  locks after the same number of tries, and a locked one answers ``UNKNOWN`` (CHILDLINE) after the same work (the
  scrypt comparison still runs and its result is dropped). Nothing an attacker can observe differs.
- Counting only the wrong codes would mean checking the lock before the work and counting after it: a burst of
  concurrent guesses would all pass the check before any was counted. Counting each attempt first is one atomic step
  (the limiter's moving window; in Redis a single script), so at most the allowance of guesses reaches the comparison,
  however many arrive at once. A family checking its status now and then stays far below the allowance.
- The cost: someone who knows a reference (not its code) can lock it for the family for a while. The family is
  answered as for a mistyped code and can call the station or 1098; the lock ends by itself as its window moves on.
"""

from __future__ import annotations

from typing import Protocol


class StatusGuessGate(Protocol):
    async def admit_ip(self) -> None:
        """Count this ``caseStatus`` call against its IP; raise ``domain.too_many.TooMany`` past the allowance."""

    async def admit_reference(self, reference: str) -> bool:
        """Count this attempt against ``reference`` (normalised); False when the reference is locked."""
