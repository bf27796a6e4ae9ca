"""The e-file's entries as GraphQL types: the ``CareEntry`` interface (id, version, who and when) and one concrete
type per section. What JJ Act s.99 protects (health, counselling, the SIR, the care plan's needs, what a follow-up
found, the production report) is declared ``child:sensitive`` on the concrete types, so every read of it goes to the
access log under the care case's id, as every protected read does; the rest of an entry is readable by whoever may
open the file at all (``careFile`` needs child:sensitive too)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from ..domain import care_entries as d
from ..domain.care_growth import CheckupGrowth
from ..domain.care_schedule import review_overdue
from ..store.models.care import CareEntryRow
from . import care_enums  # noqa: F401  (the enums registered before the types below name them)
from .access import SENSITIVE, protected, public, public_type


@strawberry.interface(description="One version of an e-file entry: who wrote it and when; history is kept.")
class CareEntry:
    id: strawberry.ID = public("This version's id.")
    entry_id: strawberry.ID = public("The entry: the same across its versions (send it in supersedes.entryId).")
    kind: d.CareEntryKind = public("The section.")
    version: int = public("1 for the first; each correction adds one. The highest is current.")
    recorded_at: datetime = public("When this version was written.")
    recorded_by: str = public("Who wrote it (the token's subject).")
    recorded_by_agency: str | None = public("Their agency role.")
    case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "CareCase", self.case_id

    @staticmethod
    def common(row: CareEntryRow) -> dict[str, Any]:
        return {
            "id": strawberry.ID(row.id),
            "entry_id": strawberry.ID(row.entry_id),
            "kind": d.CareEntryKind(row.kind),
            "version": row.version,
            "recorded_at": row.recorded_at,
            "recorded_by": row.recorded_by,
            "recorded_by_agency": row.recorded_agency,
            "case_id": row.case_id,
        }


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@strawberry.type(description="Admission: the CWC/JJB order.")
class AdmissionEntry(CareEntry):
    order_number: str = public("The order's number.")
    order_date: date = public("The order's date.")
    ordered_by: d.CareBody = public("CWC or JJB.")
    admitted_on: date = public("The day the child came.")
    production_report: str | None = protected(SENSITIVE, "The production report (child:sensitive).")

    @classmethod
    def of(cls, row: CareEntryRow) -> AdmissionEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            order_number=p["order_number"],
            order_date=date.fromisoformat(p["order_date"]),
            ordered_by=d.CareBody(p["ordered_by"]),
            admitted_on=date.fromisoformat(p["admitted_on"]),
            production_report=p.get("production_report"),
        )


@strawberry.type(description="A Social Investigation Report.")
class SocialInvestigationEntry(CareEntry):
    prepared_on: date = public("The day it was completed.")
    prepared_by: str = public("Who prepared it.")
    findings: str | None = protected(SENSITIVE, "The findings (child:sensitive).")
    recommendation: str | None = protected(SENSITIVE, "The recommendation (child:sensitive).")

    @classmethod
    def of(cls, row: CareEntryRow) -> SocialInvestigationEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            prepared_on=date.fromisoformat(p["prepared_on"]),
            prepared_by=p["prepared_by"],
            findings=p["findings"],
            recommendation=p.get("recommendation"),
        )


@strawberry.type(description="One need area of a care plan.")
class CareNeed:
    area: d.NeedArea = public("The need area.")
    plan: str | None = protected(SENSITIVE, "What is planned (child:sensitive).")
    case_id: strawberry.Private[str]

    def audit_entity(self) -> tuple[str, str]:
        return "CareCase", self.case_id


@strawberry.type(description="An Individual Care Plan.")
class CarePlanEntry(CareEntry):
    prepared_on: date = public("The day it was made.")
    preferred_care: list[d.CareOption] = public("Care options, most preferred first.")
    needs: list[CareNeed] = public("The need areas planned.")

    @classmethod
    def of(cls, row: CareEntryRow) -> CarePlanEntry:
        p = row.payload
        needs = [CareNeed(area=d.NeedArea(n["area"]), plan=n["plan"], case_id=row.case_id) for n in p["needs"]]
        return cls(
            **cls.common(row),
            prepared_on=date.fromisoformat(p["prepared_on"]),
            preferred_care=[d.CareOption(o) for o in p["preferred_care"]],
            needs=needs,
        )


@public_type
@strawberry.type(description="Growth against the WHO references on the day of a check-up (z below -2: flagged).")
class Growth:
    age_months: int = strawberry.field(description="The child's age in completed months that day.")
    age_estimated: bool = strawberry.field(description="The age comes from the age reported, not a date of birth.")
    weight_for_age_z: float | None = strawberry.field(description="Weight-for-age z-score (to 10 years).")
    height_for_age_z: float | None = strawberry.field(description="Height-for-age z-score.")
    bmi_for_age_z: float | None = strawberry.field(description="BMI-for-age z-score.")
    underweight: bool | None = strawberry.field(description="Weight-for-age below -2 SD.")
    stunted: bool | None = strawberry.field(description="Height-for-age below -2 SD.")
    thin: bool | None = strawberry.field(description="BMI-for-age below -2 SD.")

    @classmethod
    def of(cls, g: CheckupGrowth) -> Growth:
        z = g.growth
        return cls(
            age_months=g.age_months,
            age_estimated=g.age_estimated,
            weight_for_age_z=_z(z.weight_for_age_z),
            height_for_age_z=_z(z.height_for_age_z),
            bmi_for_age_z=_z(z.bmi_for_age_z),
            underweight=z.underweight,
            stunted=z.stunted,
            thin=z.thin,
        )


def _z(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@strawberry.type(description="A health check-up and the child's growth that day.")
class HealthCheckupEntry(CareEntry):
    checked_on: date = public("The day of the check-up.")
    height_cm: float | None = protected(SENSITIVE, "Height in cm (child:sensitive).")
    weight_kg: float | None = protected(SENSITIVE, "Weight in kg (child:sensitive).")
    immunisations: list[str] | None = protected(SENSITIVE, "Vaccines given or confirmed (child:sensitive).")
    conditions: list[str] | None = protected(SENSITIVE, "Conditions found (child:sensitive).")
    growth: Growth | None = protected(
        SENSITIVE, "WHO growth assessment; null when the child's age or sex is not known (child:sensitive)."
    )

    @classmethod
    def of(cls, row: CareEntryRow, growth: CheckupGrowth | None) -> HealthCheckupEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            checked_on=date.fromisoformat(p["checked_on"]),
            height_cm=p.get("height_cm"),
            weight_kg=p.get("weight_kg"),
            immunisations=list(p.get("immunisations", [])),
            conditions=list(p.get("conditions", [])),
            growth=Growth.of(growth) if growth is not None else None,
        )


@strawberry.type(description="Education or vocational training progress.")
class EducationEntry(CareEntry):
    on: date = public("The day of the assessment.")
    track: d.LearningTrack = public("School, open school, bridge course or vocational.")
    provider: str = public("The school, centre or trainer.")
    level: str | None = public("Class or course level.")
    progress: str | None = public("How the child is doing.")

    @classmethod
    def of(cls, row: CareEntryRow) -> EducationEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            on=date.fromisoformat(p["on"]),
            track=d.LearningTrack(p["track"]),
            provider=p["provider"],
            level=p.get("level"),
            progress=p.get("progress"),
        )


@strawberry.type(description="A counselling session.")
class CounsellingEntry(CareEntry):
    held_on: date = public("The day of the session.")
    counsellor: str = public("Who counselled.")
    mode: d.CounsellingMode = public("Individual, group or family.")
    note: str | None = protected(SENSITIVE, "The counsellor's note (child:sensitive; every read is logged).")

    @classmethod
    def of(cls, row: CareEntryRow) -> CounsellingEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            held_on=date.fromisoformat(p["held_on"]),
            counsellor=p["counsellor"],
            mode=d.CounsellingMode(p["mode"]),
            note=p["note"],
        )


@strawberry.type(description="A CWC/JJB review: overdue once its day has passed and it is not recorded as held.")
class CareReviewEntry(CareEntry):
    body: d.CareBody = public("CWC or JJB.")
    scheduled_on: date = public("The day it is due.")
    held_on: date | None = public("The day it was held.")
    order_number: str | None = public("The order it made.")
    outcome: str | None = public("What it decided.")
    overdue: bool = public("Its day has passed and it is not recorded as held.")

    @classmethod
    def of(cls, row: CareEntryRow, today: date) -> CareReviewEntry:
        p = row.payload
        held = _day(p.get("held_on"))
        scheduled = date.fromisoformat(p["scheduled_on"])
        return cls(
            **cls.common(row),
            body=d.CareBody(p["body"]),
            scheduled_on=scheduled,
            held_on=held,
            order_number=p.get("order_number"),
            outcome=p.get("outcome"),
            overdue=review_overdue(scheduled, held, today),
        )


@strawberry.type(description="Restoration, inter-state repatriation or transfer.")
class ReleaseEntry(CareEntry):
    release_kind: d.ReleaseKind = public("Restoration, repatriation or transfer.")
    released_on: date = public("The day the child left.")
    order_number: str = public("The releasing order.")
    restored_to: str | None = public("To whom (a relation).")
    destination_state: str | None = public("LGD state code of the destination.")
    destination_district: str | None = public("LGD district code of the destination.")
    destination_cwc: str | None = public("The receiving CWC.")
    interpreter_needed: bool = public("The child needs an interpreter.")
    interpreter_language: str | None = public("The interpreter's language (ISO 639).")
    escort: str | None = public("Who escorts the child.")

    @classmethod
    def of(cls, row: CareEntryRow) -> ReleaseEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            release_kind=d.ReleaseKind(p["kind"]),
            released_on=date.fromisoformat(p["released_on"]),
            order_number=p["order_number"],
            restored_to=p.get("restored_to"),
            destination_state=p.get("destination_state"),
            destination_district=p.get("destination_district"),
            destination_cwc=p.get("destination_cwc"),
            interpreter_needed=bool(p.get("interpreter_needed")),
            interpreter_language=p.get("interpreter_language"),
            escort=p.get("escort"),
        )


@strawberry.type(description="A post-release follow-up visit.")
class FollowUpEntry(CareEntry):
    month: int = public("Which follow-up: 1, 3 or 6 months.")
    visited_on: date = public("The day of the visit.")
    visited_by: str = public("Who visited.")
    settled: bool = public("The child is settled and safe.")
    findings: str | None = protected(SENSITIVE, "What was found (child:sensitive).")

    @classmethod
    def of(cls, row: CareEntryRow) -> FollowUpEntry:
        p = row.payload
        return cls(
            **cls.common(row),
            month=int(p["month"]),
            visited_on=date.fromisoformat(p["visited_on"]),
            visited_by=p["visited_by"],
            settled=bool(p["settled"]),
            findings=p.get("findings"),
        )


ENTRY_TYPES = (
    AdmissionEntry,
    SocialInvestigationEntry,
    CarePlanEntry,
    HealthCheckupEntry,
    EducationEntry,
    CounsellingEntry,
    CareReviewEntry,
    ReleaseEntry,
    FollowUpEntry,
)


def care_entry_of(row: CareEntryRow, today: date, growth: CheckupGrowth | None = None) -> CareEntry:
    """The concrete type of a stored version (``growth``: a check-up's, from ``services.care_file.growth_of``)."""
    match d.CareEntryKind(row.kind):
        case d.CareEntryKind.ADMISSION:
            return AdmissionEntry.of(row)
        case d.CareEntryKind.SOCIAL_INVESTIGATION:
            return SocialInvestigationEntry.of(row)
        case d.CareEntryKind.CARE_PLAN:
            return CarePlanEntry.of(row)
        case d.CareEntryKind.HEALTH_CHECKUP:
            return HealthCheckupEntry.of(row, growth)
        case d.CareEntryKind.EDUCATION:
            return EducationEntry.of(row)
        case d.CareEntryKind.COUNSELLING:
            return CounsellingEntry.of(row)
        case d.CareEntryKind.REVIEW:
            return CareReviewEntry.of(row, today)
        case d.CareEntryKind.RELEASE:
            return ReleaseEntry.of(row)
        case d.CareEntryKind.FOLLOW_UP:
            return FollowUpEntry.of(row)
