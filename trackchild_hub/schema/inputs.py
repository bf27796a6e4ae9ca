"""Mutation and filter inputs, and their translation into domain values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry

from ..domain import enums
from ..domain.records import (
    CareDetails,
    CaseData,
    ChildData,
    ChildPatch,
    FirData,
    FoundDetails,
    GuardianData,
    MissingDetails,
    PlaceData,
)
from ..domain.reference import IST
from .enums import CaseStatus, Gender, GuardianRelation
from .workflow_types import RiskAssessmentInput


@strawberry.input(description="A parent or guardian.")
class GuardianInput:
    relation: GuardianRelation = strawberry.field(description="How they are related to the child.")
    name: str | None = strawberry.field(default=None, description="Name.")
    phone: str | None = strawberry.field(default=None, description="Indian phone number.")


@strawberry.input(description="The child as described by the reporter.")
class ChildInput:
    gender: Gender = strawberry.field(default=enums.Gender.UNKNOWN, description="Gender.")
    name: str | None = strawberry.field(default=None, description="Name, if known.")
    aliases: list[str] = strawberry.field(default_factory=list, description="Other names, nicknames.")
    age_years: int | None = strawberry.field(default=None, description="Age in years (0-17), estimated if need be.")
    date_of_birth: date | None = strawberry.field(default=None, description="Date of birth, if known.")
    height_cm: int | None = strawberry.field(default=None, description="Height in cm.")
    complexion: str | None = strawberry.field(default=None, description="Complexion.")
    identifying_marks: list[str] = strawberry.field(default_factory=list, description="Scars, moles, ...")
    languages: list[str] = strawberry.field(default_factory=list, description="ISO 639 codes: hi, bn, ...")
    clothing: str | None = strawberry.field(default=None, description="Clothing.")
    guardians: list[GuardianInput] = strawberry.field(default_factory=list, description="Parents, guardians.")
    confidential: bool = strawberry.field(default=False, description="In conflict with law, or POCSO victim.")

    def to_domain(self) -> ChildData:
        return ChildData(
            gender=self.gender,
            name=self.name,
            aliases=list(self.aliases),
            age_years=self.age_years,
            date_of_birth=self.date_of_birth,
            height_cm=self.height_cm,
            complexion=self.complexion,
            identifying_marks=list(self.identifying_marks),
            languages=list(self.languages),
            clothing=self.clothing,
            guardians=[GuardianData(relation=g.relation, name=g.name, phone=g.phone) for g in self.guardians],
            confidential=self.confidential,
        )


@strawberry.input(description="A place: LGD codes, words and coordinates.")
class PlaceInput:
    state: str = strawberry.field(description="LGD state code.")
    district: str | None = strawberry.field(default=None, description="LGD district code.")
    police_station: str | None = strawberry.field(default=None, description="Police station id or CCTNS code.")
    text: str | None = strawberry.field(default=None, description="The place in words.")
    latitude: float | None = strawberry.field(default=None, description="WGS 84 latitude.")
    longitude: float | None = strawberry.field(default=None, description="WGS 84 longitude.")

    def to_domain(self) -> PlaceData:
        return PlaceData(
            state=self.state,
            district=self.district,
            police_station=self.police_station,
            text=self.text,
            latitude=self.latitude,
            longitude=self.longitude,
        )


@strawberry.input(description="The FIR registered for a missing child.")
class FirInput:
    number: str = strawberry.field(description="FIR number.")
    date: date = strawberry.field(description="Date of registration.")


@strawberry.input(description="Who reported the child missing.")
class ReporterInput:
    name: str | None = strawberry.field(default=None, description="Name.")
    relation: str | None = strawberry.field(default=None, description="Relation to the child.")
    phone: str | None = strawberry.field(default=None, description="Indian phone number.")


def _reported(at: datetime | None) -> datetime:
    """Now by default; a time without an offset is Indian Standard Time."""
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=IST) if at.tzinfo is None else at


@strawberry.input(description="A police report of a missing child; an FIR is mandatory.")
class ReportMissingInput:
    child: ChildInput = strawberry.field(description="The child.")
    place: PlaceInput = strawberry.field(description="Where last seen.")
    last_seen_date: date = strawberry.field(description="When last seen.")
    last_seen_time: str | None = strawberry.field(default=None, description="Time last seen, HH:MM.")
    fir: FirInput | None = strawberry.field(default=None, description="The FIR (required).")
    circumstances: str | None = strawberry.field(default=None, description="Circumstances.")
    reporter: ReporterInput | None = strawberry.field(default=None, description="Who reported it.")
    reported_at: datetime | None = strawberry.field(default=None, description="When reported; default now.")
    risk_assessment: RiskAssessmentInput | None = strawberry.field(
        default=None,
        description="The SOP 2016 risk assessment: sets the alerts' urgency; trafficking goes to the AHTU.",
    )

    def to_domain(self) -> CaseData:
        r = self.reporter or ReporterInput()
        return CaseData(
            kind=enums.CaseKind.MISSING,
            child=self.child.to_domain(),
            place=self.place.to_domain(),
            event_date=self.last_seen_date,
            reported_at=_reported(self.reported_at),
            missing=MissingDetails(
                fir=FirData(number=self.fir.number, date=self.fir.date) if self.fir else None,
                last_seen_time=self.last_seen_time,
                circumstances=self.circumstances,
                reporter_name=r.name,
                reporter_relation=r.relation,
                reporter_phone=r.phone,
                risk=self.risk_assessment.to_domain() if self.risk_assessment else None,
            ),
        )


@strawberry.input(description="A child found: by police, railways, Childline or a citizen.")
class ReportFoundInput:
    child: ChildInput = strawberry.field(description="The child as found.")
    place: PlaceInput = strawberry.field(description="Where found.")
    found_on: date = strawberry.field(description="When found.")
    found_by: str | None = strawberry.field(default=None, description="Who found the child.")
    found_by_contact: str | None = strawberry.field(default=None, description="Their phone number.")
    current_placement: str | None = strawberry.field(default=None, description="Where the child is now.")
    institution: str | None = strawberry.field(default=None, description="Institution id or registration number.")
    missing_since: date | None = strawberry.field(default=None, description="When the child left home, if known.")
    reported_at: datetime | None = strawberry.field(default=None, description="When reported; default now.")

    def to_domain(self) -> CaseData:
        return CaseData(
            kind=enums.CaseKind.FOUND,
            child=self.child.to_domain(),
            place=self.place.to_domain(),
            event_date=self.found_on,
            reported_at=_reported(self.reported_at),
            found=FoundDetails(
                found_by=self.found_by,
                found_by_contact=self.found_by_contact,
                current_placement=self.current_placement,
                institution=self.institution,
                missing_since=self.missing_since,
            ),
        )


@strawberry.input(description="The order under which a child is admitted.")
class AdmissionOrderInput:
    number: str | None = strawberry.field(default=None, description="Order number.")
    date: date | None = strawberry.field(default=None, description="Order date.")


@strawberry.input(description="Admit a child to a Child Care Institution: an existing child (childId) or a new one.")
class AdmitToInstitutionInput:
    institution: str = strawberry.field(description="Institution id or registration number.")
    admission_date: date = strawberry.field(description="Date of admission.")
    child_id: strawberry.ID | None = strawberry.field(default=None, description="A child the hub knows already.")
    child: ChildInput | None = strawberry.field(default=None, description="Or a new child.")
    admission_order: AdmissionOrderInput | None = strawberry.field(default=None, description="The CWC/JJB order.")
    reported_at: datetime | None = strawberry.field(default=None, description="When recorded; default now.")

    def to_domain(self) -> CaseData:
        """The place is the institution's, filled in once it is looked up."""
        order = self.admission_order or AdmissionOrderInput()
        return CaseData(
            kind=enums.CaseKind.CARE,
            child=self.child.to_domain() if self.child else ChildData(gender=enums.Gender.UNKNOWN),
            child_id=str(self.child_id) if self.child_id else None,
            place=PlaceData(state=""),
            event_date=self.admission_date,
            reported_at=_reported(self.reported_at),
            care=CareDetails(
                institution=self.institution,
                admission_order_number=order.number,
                admission_order_date=order.date,
                admission_date=self.admission_date,
            ),
        )


@strawberry.input(description="Child fields to change; omitted fields stay as they are.")
class ChildPatchInput:
    name: str | None = strawberry.field(default=None, description="Name.")
    aliases: list[str] | None = strawberry.field(default=None, description="Replaces the aliases.")
    gender: Gender | None = strawberry.field(default=None, description="Gender.")
    age_years: int | None = strawberry.field(default=None, description="Age in years.")
    date_of_birth: date | None = strawberry.field(default=None, description="Date of birth.")
    height_cm: int | None = strawberry.field(default=None, description="Height in cm.")
    complexion: str | None = strawberry.field(default=None, description="Complexion.")
    identifying_marks: list[str] | None = strawberry.field(default=None, description="Replaces the marks.")
    languages: list[str] | None = strawberry.field(default=None, description="Replaces the languages.")
    clothing: str | None = strawberry.field(default=None, description="Clothing.")

    def to_domain(self) -> ChildPatch:
        return ChildPatch(
            name=self.name,
            aliases=self.aliases,
            gender=self.gender,
            age_years=self.age_years,
            date_of_birth=self.date_of_birth,
            height_cm=self.height_cm,
            complexion=self.complexion,
            identifying_marks=self.identifying_marks,
            languages=self.languages,
            clothing=self.clothing,
        )


@strawberry.input(description="Change a case; send the version you read.")
class UpdateCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    version: int = strawberry.field(description="The version you read; a stale one gets CONFLICT.")
    child: ChildPatchInput | None = strawberry.field(default=None, description="Child fields to change.")
    place_text: str | None = strawberry.field(default=None, description="The place in words.")
    circumstances: str | None = strawberry.field(default=None, description="Circumstances (missing cases).")
    current_placement: str | None = strawberry.field(default=None, description="Placement (found cases).")
    publication_consent: bool | None = strawberry.field(default=None, description="Consent to publish a notice.")
    note: str | None = strawberry.field(default=None, description="Why; goes on the timeline.")


@strawberry.input(description="Move a case to another jurisdiction (or a care case to another institution).")
class TransferCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    version: int = strawberry.field(description="The version you read.")
    state: str = strawberry.field(description="LGD code of the receiving state.")
    district: str | None = strawberry.field(default=None, description="LGD code of the receiving district.")
    police_station: str | None = strawberry.field(default=None, description="Receiving police station.")
    institution: str | None = strawberry.field(default=None, description="Receiving institution (care cases).")
    note: str | None = strawberry.field(default=None, description="Why; goes on the timeline.")


@strawberry.input(description="Close a case as RESOLVED (traced, restored) or CLOSED.")
class CloseCaseInput:
    id: strawberry.ID = strawberry.field(description="The case.")
    version: int = strawberry.field(description="The version you read.")
    outcome: CaseStatus = strawberry.field(description="RESOLVED or CLOSED.")
    reason: str = strawberry.field(description="Why.")
