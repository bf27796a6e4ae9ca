"""The contract's enums, exposed to GraphQL from the domain's own."""

from __future__ import annotations

import strawberry

from ..domain import enums

Gender = strawberry.enum(enums.Gender, description="Gender as recorded.")
CaseKind = strawberry.enum(enums.CaseKind, description="MISSING, FOUND or CARE (in a Child Care Institution).")
CaseStatus = strawberry.enum(
    enums.CaseStatus, description="OPEN; RESOLVED (child traced, restored or rehabilitated); CLOSED otherwise."
)
GuardianRelation = strawberry.enum(enums.GuardianRelation, description="How a guardian is related to the child.")
CaseEventType = strawberry.enum(enums.CaseEventType, description="What happened on a case's timeline.")
DirectoryKind = strawberry.enum(enums.DirectoryKind, description="Kinds of resource directory entries.")
InstitutionType = strawberry.enum(enums.InstitutionType, description="Kinds of Child Care Institution (JJ Act).")
RunBy = strawberry.enum(enums.RunBy, description="Who runs an institution.")
GenderServed = strawberry.enum(enums.GenderServed, description="Which children an institution takes in.")
