"""The three concrete case kinds, federation entities keyed by ``id``; protected fields live here, not on Case."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from ..domain import enums
from ..resolvers.context import Info
from ..resolvers.record_access import visible_case
from ..store.models import CareCaseRow, CaseRow, FoundCaseRow, MissingCaseRow
from .access import IDENTITY, protected, public, public_type
from .cases import Case, _days_since_event

if TYPE_CHECKING:
    from .institutions import Institution


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


async def _institution(
    root: FoundCase | CareCase, info: Info
) -> Annotated[Institution, strawberry.lazy(".institutions")] | None:
    from .institutions import Institution

    institution_id = root._row.institution_id
    row = await info.context.loaders.institution_by_id.one(institution_id) if institution_id else None
    return Institution.of(row) if row is not None else None


async def _resolve(cls: type[Case], info: Info, id: strawberry.ID, kind: enums.CaseKind) -> Case | None:
    row = await visible_case(info.context, str(id))
    return case_of(row) if row is not None and row.kind == kind.value else None


@strawberry.federation.type(keys=["id"], description="A child reported missing (FIR registered).")
class MissingCase(Case):
    fir: Fir = public("The FIR.")
    last_seen_time: str | None = public("Time last seen, HH:MM.")
    circumstances: str | None = public("Circumstances of going missing.")
    reporter: Reporter = public("Who reported the child missing.")
    days_missing: int = public("Days since last seen (until the case closed).", resolver=_days_since_event)

    @classmethod
    def of(cls, row: MissingCaseRow) -> MissingCase:
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
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case | None:
        return await _resolve(cls, info, id, enums.CaseKind.MISSING)


@strawberry.federation.type(keys=["id"], description="A child found (by police, railways, Childline, a citizen).")
class FoundCase(Case):
    found_by: str | None = public("Who found the child (agency or role).")
    found_by_contact: str | None = protected(IDENTITY, "Phone of whoever found the child, E.164.")
    current_placement: str | None = public("Where the child is now.")
    missing_since: date | None = public("When the child says they left home, if known.")
    institution: Annotated[Institution, strawberry.lazy(".institutions")] | None = public(
        "Institution the child was placed in, if any.", resolver=_institution
    )

    @classmethod
    def of(cls, row: FoundCaseRow) -> FoundCase:
        return cls(
            **Case.common(row),
            found_by=row.found_by,
            found_by_contact=row.found_by_contact,
            current_placement=row.current_placement,
            missing_since=row.missing_since,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case | None:
        return await _resolve(cls, info, id, enums.CaseKind.FOUND)


@strawberry.federation.type(keys=["id"], description="A child in a Child Care Institution.")
class CareCase(Case):
    admission_order: AdmissionOrder = public("The CWC/JJB order.")
    admission_date: date = public("Date of admission.")
    exit_date: date | None = public("Date the child left, if they have.")
    days_in_care: int = public("Days since admission (until exit or closure).", resolver=_days_since_event)
    institution: Annotated[Institution, strawberry.lazy(".institutions")] | None = public(
        "The institution.", resolver=_institution
    )

    @classmethod
    def of(cls, row: CareCaseRow) -> CareCase:
        return cls(
            **Case.common(row),
            admission_order=AdmissionOrder(number=row.admission_order_number, date=row.admission_order_date),
            admission_date=row.admission_date,
            exit_date=row.exit_date,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Case | None:
        return await _resolve(cls, info, id, enums.CaseKind.CARE)


def case_of(row: CaseRow) -> Case:
    if isinstance(row, MissingCaseRow):
        return MissingCase.of(row)
    if isinstance(row, FoundCaseRow):
        return FoundCase.of(row)
    if isinstance(row, CareCaseRow):
        return CareCase.of(row)
    raise TypeError(f"unknown case row {type(row).__name__}")


CASE_TYPES = (MissingCase, FoundCase, CareCase)
