"""The caller of a request, as the hub's access rules see it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .scopes import ROLE_SCOPES, Agency


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str | None = None
    client_id: str | None = None
    agency: Agency | None = None
    scopes: frozenset[str] = frozenset()
    state: str | None = None  # LGD codes; None = national jurisdiction
    district: str | None = None
    purpose: str | None = None
    # The token's ``exp`` (Unix seconds): what outlives one request (a subscription) ends there. Not part of who it is.
    expires_at: float | None = field(default=None, compare=False)

    @property
    def is_public(self) -> bool:
        return self.subject is None

    @property
    def actor(self) -> str:
        """Who a write is recorded under: the token's subject, else its client (a client-credentials token may name
        no subject), else "public" (no token)."""
        return self.subject or (f"client:{self.client_id}" if self.client_id else "public")

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    def satisfies(self, requirement: Sequence[Iterable[str]]) -> bool:
        """Federation ``@requiresScopes`` semantics: any inner list (OR) of which all scopes are held (AND)."""
        return any(all(s in self.scopes for s in group) for group in requirement)

    @classmethod
    def public(cls) -> Principal:
        return cls()

    @classmethod
    def for_agency(
        cls,
        agency: Agency,
        *,
        subject: str | None = None,
        state: str | None = None,
        district: str | None = None,
    ) -> Principal:
        """A principal holding the scopes CONTRACT.md grants ``agency`` (dev issuer and tests)."""
        return cls(
            subject=subject or f"demo-{agency.value}",
            client_id=f"demo-{agency.value}",
            agency=agency,
            scopes=ROLE_SCOPES[agency],
            state=state,
            district=district,
        )
