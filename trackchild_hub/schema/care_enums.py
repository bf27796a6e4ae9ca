"""The e-file's enums, registered with strawberry once, before any e-file type or input names them (a plain enum
named first would be converted on its own, and registering it afterwards would define it twice)."""

from __future__ import annotations

import strawberry

from ..domain import care_entries as d

strawberry.enum(d.CareEntryKind, description="The sections of a child's e-file.")
strawberry.enum(d.CareBody, description="CWC (children in need of care and protection) or JJB (in conflict with law).")
strawberry.enum(d.CareOption, description="Care options of an Individual Care Plan; institution is the last resort.")
strawberry.enum(d.NeedArea, name="CareNeedArea", description="The needs an Individual Care Plan addresses.")
strawberry.enum(d.LearningTrack, description="How the child is learning: school, open school, bridge, vocational.")
strawberry.enum(d.CounsellingMode, description="Individual, group or family counselling.")
strawberry.enum(
    d.ReleaseKind,
    name="CareReleaseKind",
    description="RESTORATION (home), REPATRIATION (home in another state, through its CWC), TRANSFER (elsewhere).",
)
