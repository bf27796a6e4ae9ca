"""The contract's enums: the domain's own classes, registered with strawberry (which returns them unchanged)."""

from __future__ import annotations

import strawberry

from ..domain.enums import (
    CaseEventType,
    CaseKind,
    CaseStatus,
    DirectoryKind,
    Gender,
    GenderServed,
    GuardianRelation,
    InstitutionType,
    RunBy,
)

strawberry.enum(Gender, description="Gender as recorded.")
strawberry.enum(CaseKind, description="MISSING, FOUND or CARE (in a Child Care Institution).")
strawberry.enum(CaseStatus, description="OPEN; RESOLVED (traced, restored or rehabilitated); CLOSED otherwise.")
strawberry.enum(GuardianRelation, description="How a guardian is related to the child.")
strawberry.enum(CaseEventType, description="What happened on a case's timeline.")
strawberry.enum(DirectoryKind, description="Kinds of resource directory entries.")
strawberry.enum(InstitutionType, description="Kinds of Child Care Institution (JJ Act).")
strawberry.enum(RunBy, description="Who runs an institution.")
strawberry.enum(GenderServed, description="Which children an institution takes in.")

__all__ = [
    "CaseEventType",
    "CaseKind",
    "CaseStatus",
    "DirectoryKind",
    "Gender",
    "GenderServed",
    "GuardianRelation",
    "InstitutionType",
    "RunBy",
]
