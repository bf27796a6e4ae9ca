"""The access log as partners with ``audit:read`` see it."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ..domain.errors import BadUserInput
from ..resolvers.context import Info
from ..store.models import AccessLogRow
from .access import public_type

MAX_ENTITY_TYPES = 20


@public_type  # the whole type is gated where it is served: auditTrail needs audit:read
@strawberry.type(description="One request's reading of protected fields of one record.")
class AccessLogEntry:
    at: datetime = strawberry.field(description="When.")
    request_id: str = strawberry.field(description="The request (X-Request-Id).")
    subject: str | None = strawberry.field(description="Token subject of the reader.")
    client_id: str | None = strawberry.field(description="OAuth client.")
    agency: str | None = strawberry.field(description="Agency role.")
    operation: str | None = strawberry.field(description="GraphQL operation name.")
    entity_type: str = strawberry.field(description="Type of the record read.")
    entity_id: strawberry.ID = strawberry.field(description="Id of the record read.")
    fields: list[str] = strawberry.field(
        description="Protected fields served ('masked' for a MatchCandidate: listed outside the reader's jurisdiction)."
    )
    purpose: str | None = strawberry.field(description="Declared purpose.")
    hash: str = strawberry.field(description="This entry's link in the hash chain.")

    @classmethod
    def of(cls, row: AccessLogRow) -> AccessLogEntry:
        return cls(
            at=row.at,
            request_id=row.request_id,
            subject=row.subject,
            client_id=row.client_id,
            agency=row.agency,
            operation=row.operation,
            entity_type=row.entity_type,
            entity_id=strawberry.ID(row.entity_id),
            fields=list(row.fields),
            purpose=row.purpose,
            hash=row.hash,
        )


def entity_types_named(info: Info, names: list[str] | None) -> frozenset[str] | None:
    """``auditTrail(entityTypes)`` checked against the schema's types: a misspelt type would read as an empty
    trail."""
    if names is None:
        return None
    if not 1 <= len(names) <= MAX_ENTITY_TYPES:
        raise BadUserInput("entityTypes", f"name 1-{MAX_ENTITY_TYPES} types")
    for name in names:
        if info.schema.get_type_by_name(name) is None:
            raise BadUserInput("entityTypes", f"{name[:40]!r} is not a type of this schema")
    return frozenset(names)
