"""The three concrete case kinds, federation entities keyed by ``id``; protected fields live here, not on Case."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from ..domain import enums
from ..resolvers.context import Info
from ..services.record_rule import case_named, not_found
from ..store.case_records import CareCaseRecord, CaseRecord, FoundCaseRecord, MissingCaseRecord
from ..store.models import CareCaseRow, CaseRow, FoundCaseRow, MissingCaseRow
from .access import IDENTITY, protected, public, public_type
from .cases import Case, _days_since_event
from .direct_resolvers import direct
from .workflow_types import (
    AhtuEscalation,
    ChecklistEntry,
    RiskAssessment,
    resolve_checklist,
    resolve_escalation,
    resolve_risk,
)

if TYPE_CHECKING:
    from .institutions import Institution


# Free text written by officers and reporters tells a child's story (who they left with, where they are now) and
# can identify them: cases:read grants kind, status, dates, places and descriptions, not narrative.
NARRATIVE = "Free text that may identify the child (child:identity). "
CLOSURE_REASON = NARRATIVE + "Why the case was resolved or closed."


@public_type
@strawberry.type(description="First Information Report registered for a missing child.")
class Fir:
    number: str = strawberry.field(description="FIR number as registered, e.g. 123/2026.")
    date: date = strawberry.field(description="Date of registration.")


@public_type
@strawberry.type(description="The order under which a child was admitted to an institution.")
class AdmissionOrder:
    number: str | None = strawberry.field(description="Order number of the CWC or JJB.")
    date: date | None = strawberry.field(description="Date of the order.")


@strawberry.type(description="Who reported a missing child.")
class Reporter:
    relation: str | None = public("Relation to the child.")
    name: str | None = protected(IDENTITY, "Reporter's name.")
    phone: str | None = protected(IDENTITY, "Reporter's phone, E.164.")
    _case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "MissingCase", self._case_id


InstitutionOrNone = Annotated["Institution", strawberry.lazy(".institutions")] | None


@direct
def _institution(root: FoundCase | CareCase, info: Info) -> Institution | Awaitable[Institution | None] | None:
    """Without an awaitable when the row came with the page (as ``cases._child``)."""
    from .institutions import Institution

    institution_id = root._row.institution_id
    if institution_id is None:
        return None
    loaders = info.context.loaders
    row = loaders.shown.institutions.get(institution_id) or loaders.institution_by_id.known(institution_id)
    return Institution.of(row) if row is not None else _load_institution(institution_id, info)


async def _load_institution(institution_id: str, info: Info) -> Institution | None:
    from .institutions import Institution

    row = await info.context.loaders.institution_by_id.one(institution_id)
    return Institution.of(row) if row is not None else None


async def _resolve(cls: type[Case], info: Info, id: strawberry.ID, kind: enums.CaseKind) -> Case:
    """``_entities``: a case outside the record rule (or of another kind) is NOT_FOUND, as ``case(id:)`` answers."""
    row = await case_named(info.context, str(id))
    if row.kind != kind.value:
        raise not_found("case")
    return case_of(row)


@strawberry.federation.type(keys=["id"], description="A child reported missing (FIR registered).")
class MissingCase(Case):
    fir: Fir = public("The FIR.")
    last_seen_time: str | None = public("Time last seen, HH:MM.")
    circumstances: str | None = protected(IDENTITY, NARRATIVE + "Circumstances of going missing.")
    closure_reason: str | None = protected(IDENTITY, CLOSURE_REASON)
    reporter: Reporter = public("Who reported the child missing.")
    days_missing: int = public("Days since last seen (until the case closed).", resolver=_days_since_event)
    risk_assessment: RiskAssessment | None = public("The SOP 2016 risk assessment, if recorded.", resolver=resolve_risk)
    checklist: list[ChecklistEntry] = public("The investigation checklist (SOP 2016).", resolver=resolve_checklist)
    ahtu_escalation: AhtuEscalation | None = public(
        "The case's escalation to an Anti Human Trafficking Unit, if any.", resolver=resolve_escalation
    )

    @classmethod
    def of(cls, row: MissingCaseRow | MissingCaseRecord) -> MissingCase:
        return cls(
            **Case.common(row),
            fir=Fir(number=row.fir_number, date=row.fir_date),
            last_seen_time=row.last_seen_time,
            circumstances=row.circumstances,
            reporter=Reporter(
                relation=row.reporter_relation, name=row.reporter_name, phone=row.reporter_phone, _case_id=row.id
            ),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case:
        return await _resolve(cls, info, id, enums.CaseKind.MISSING)


@strawberry.federation.type(keys=["id"], description="A child found (by police, railways, Childline, a citizen).")
class FoundCase(Case):
    found_by: str | None = public("Who found the child (agency or role).")
    found_by_contact: str | None = protected(IDENTITY, "Phone of whoever found the child, E.164.")
    current_placement: str | None = protected(IDENTITY, NARRATIVE + "Where the child is now.")
    closure_reason: str | None = protected(IDENTITY, CLOSURE_REASON)
    missing_since: date | None = public("When the child says they left home, if known.")
    institution: InstitutionOrNone = public(
        "Institution the child was placed in, if any.", resolver=_institution, graphql_type=InstitutionOrNone
    )

    @classmethod
    def of(cls, row: FoundCaseRow | FoundCaseRecord) -> FoundCase:
        return cls(
            **Case.common(row),
            found_by=row.found_by,
            found_by_contact=row.found_by_contact,
            current_placement=row.current_placement,
            missing_since=row.missing_since,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case:
        return await _resolve(cls, info, id, enums.CaseKind.FOUND)


@strawberry.federation.type(keys=["id"], description="A child in a Child Care Institution.")
class CareCase(Case):
    admission_order: AdmissionOrder = public("The CWC/JJB order.")
    admission_date: date = public("Date of admission.")
    exit_date: date | None = public("Date the child left, if they have.")
    closure_reason: str | None = protected(IDENTITY, CLOSURE_REASON)
    days_in_care: int = public("Days since admission (until exit or closure).", resolver=_days_since_event)
    institution: InstitutionOrNone = public("The institution.", resolver=_institution, graphql_type=InstitutionOrNone)

    @classmethod
    def of(cls, row: CareCaseRow | CareCaseRecord) -> CareCase:
        return cls(
            **Case.common(row),
            admission_order=AdmissionOrder(number=row.admission_order_number, date=row.admission_order_date),
            admission_date=row.admission_date,
            exit_date=row.exit_date,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case:
        return await _resolve(cls, info, id, enums.CaseKind.CARE)


def case_of(row: CaseRow | CaseRecord) -> Case:
    """A stored row (ORM) or a record of a page read as rows (``store.case_records``)."""
    if isinstance(row, (MissingCaseRow, MissingCaseRecord)):
        return MissingCase.of(row)
    if isinstance(row, (FoundCaseRow, FoundCaseRecord)):
        return FoundCase.of(row)
    if isinstance(row, (CareCaseRow, CareCaseRecord)):
        return CareCase.of(row)
    raise TypeError(f"unknown case row {type(row).__name__}")


CASE_TYPES = (MissingCase, FoundCase, CareCase)
