"""``me``: who the hub thinks is calling, and what they may do."""

from __future__ import annotations

import strawberry

from ..auth.principal import Principal
from .access import public_type


@public_type
@strawberry.type(description="The caller as the hub sees them. Without a token: the public role.")
class Me:
    authenticated: bool = strawberry.field(description="False for the public role (no token).")
    subject: str | None = strawberry.field(description="Token subject.")
    client_id: str | None = strawberry.field(description="OAuth client.")
    agency: str | None = strawberry.field(description="Agency role (police, cwc, ...).")
    scopes: list[str] = strawberry.field(description="Scopes held, sorted.")
    state: str | None = strawberry.field(description="Jurisdiction: LGD state code (null = national).")
    district: str | None = strawberry.field(description="Jurisdiction: LGD district code.")
    purpose: str | None = strawberry.field(description="Declared purpose of access.")

    @classmethod
    def of(cls, p: Principal) -> Me:
        return cls(
            authenticated=not p.is_public,
            subject=p.subject,
            client_id=p.client_id,
            agency=p.agency.value if p.agency else None,
            scopes=sorted(p.scopes),
            state=p.state,
            district=p.district,
            purpose=p.purpose,
        )
