"""``addCareEntry``'s input: ``CareEntryInput`` has one field per section of the e-file, and exactly one is set.

This is GraphQL's ``@oneOf`` input pattern, checked here rather than declared with the directive: the federation SDL
is composed by gateways (Hive Gateway, Apollo Router) that do not all accept ``@oneOf`` yet, and the check gives
the same answer a client would get from it: BAD_USER_INPUT naming the field (``entry``: none set; the second one
set: more than one). Each section input is typed (enums, dates, numbers), so most mistakes never reach the hub.
"""

from __future__ import annotations

from datetime import date

import strawberry

from ..domain import care_entries as d
from ..domain.errors import BadUserInput
from . import care_enums  # noqa: F401  (the enums registered before any type names them)


@strawberry.input(description="Admission: the CWC/JJB order and the production report.")
class AdmissionEntryInput:
    order_number: str = strawberry.field(description="The order's number (at most 60 characters).")
    order_date: date = strawberry.field(description="The order's date (not in the future).")
    ordered_by: d.CareBody = strawberry.field(description="CWC or JJB.")
    admitted_on: date = strawberry.field(description="The day the child came to the institution.")
    production_report: str | None = strawberry.field(
        default=None, description="The report of whoever produced the child before the CWC/JJB (child:sensitive)."
    )

    def to_domain(self) -> d.Admission:
        return d.Admission(
            order_number=self.order_number,
            order_date=self.order_date,
            ordered_by=self.ordered_by,
            admitted_on=self.admitted_on,
            production_report=self.production_report,
        )


@strawberry.input(description="A Social Investigation Report (JJ Act s.36).")
class SocialInvestigationInput:
    prepared_on: date = strawberry.field(description="The day it was completed.")
    prepared_by: str = strawberry.field(description="Who prepared it (a social worker, a DCPU caseworker).")
    findings: str = strawberry.field(description="The findings.")
    recommendation: str | None = strawberry.field(default=None, description="The recommendation to the CWC.")

    def to_domain(self) -> d.SocialInvestigation:
        return d.SocialInvestigation(self.prepared_on, self.prepared_by, self.findings, self.recommendation)


@strawberry.input(description="One need area of a care plan and what is planned for it.")
class CareNeedInput:
    area: d.NeedArea = strawberry.field(description="The need area.")
    plan: str = strawberry.field(description="What is planned.")


@strawberry.input(description="An Individual Care Plan: the care options in order of preference and the needs.")
class CarePlanInput:
    prepared_on: date = strawberry.field(description="The day it was made.")
    preferred_care: list[d.CareOption] = strawberry.field(description="Care options, most preferred first.")
    needs: list[CareNeedInput] = strawberry.field(description="Each need area planned, at most once.")

    def to_domain(self) -> d.CarePlan:
        needs = [d.Need(n.area, n.plan) for n in self.needs]
        return d.CarePlan(self.prepared_on, list(self.preferred_care), needs)


@strawberry.input(description="A health check-up; the answer assesses growth against the WHO references.")
class HealthCheckupInput:
    checked_on: date = strawberry.field(description="The day of the check-up.")
    height_cm: float | None = strawberry.field(default=None, description="Height (length under 2 years), 40-200 cm.")
    weight_kg: float | None = strawberry.field(default=None, description="Weight, 2-150 kg.")
    immunisations: list[str] = strawberry.field(
        default_factory=list, description="Vaccines given or confirmed (e.g. 'MR-2', 'DPT booster')."
    )
    conditions: list[str] = strawberry.field(default_factory=list, description="Conditions found.")

    def to_domain(self) -> d.HealthCheckup:
        return d.HealthCheckup(
            self.checked_on, self.height_cm, self.weight_kg, list(self.immunisations), list(self.conditions)
        )


@strawberry.input(description="Education or vocational training progress.")
class EducationProgressInput:
    on: date = strawberry.field(description="The day of the assessment.")
    track: d.LearningTrack = strawberry.field(description="School, open school, bridge course or vocational.")
    provider: str = strawberry.field(description="The school, centre or trainer.")
    level: str | None = strawberry.field(default=None, description="Class or course level.")
    progress: str | None = strawberry.field(default=None, description="How the child is doing.")

    def to_domain(self) -> d.Education:
        return d.Education(self.on, self.track, self.provider, self.level, self.progress)


@strawberry.input(description="A counselling session; the counsellor's note is child:sensitive.")
class CounsellingSessionInput:
    held_on: date = strawberry.field(description="The day of the session.")
    counsellor: str = strawberry.field(description="Who counselled.")
    mode: d.CounsellingMode = strawberry.field(description="Individual, group or family.")
    note: str = strawberry.field(description="The counsellor's note.")

    def to_domain(self) -> d.Counselling:
        return d.Counselling(self.held_on, self.counsellor, self.mode, self.note)


@strawberry.input(description="A CWC/JJB review: scheduled (may be ahead), then a new version once held.")
class CareReviewInput:
    body: d.CareBody = strawberry.field(description="CWC or JJB.")
    scheduled_on: date = strawberry.field(description="The day the review is due.")
    held_on: date | None = strawberry.field(default=None, description="The day it was held (not in the future).")
    order_number: str | None = strawberry.field(default=None, description="The order it made, if any.")
    outcome: str | None = strawberry.field(default=None, description="What it decided.")

    def to_domain(self) -> d.Review:
        return d.Review(self.body, self.scheduled_on, self.held_on, self.order_number, self.outcome)


@strawberry.input(description="Restoration, inter-state repatriation or transfer of the child.")
class ReleaseInput:
    release_kind: d.ReleaseKind = strawberry.field(description="Restoration, repatriation or transfer.")
    released_on: date = strawberry.field(description="The day the child left.")
    order_number: str = strawberry.field(description="The CWC/JJB order releasing the child.")
    restored_to: str | None = strawberry.field(default=None, description="To whom (a relation: 'mother').")
    destination_state: str | None = strawberry.field(
        default=None, description="LGD state code (repatriation and transfer)."
    )
    destination_district: str | None = strawberry.field(default=None, description="LGD district code there.")
    destination_cwc: str | None = strawberry.field(
        default=None, description="The receiving CWC (repatriation and transfer)."
    )
    interpreter_needed: bool = strawberry.field(default=False, description="The child needs an interpreter.")
    interpreter_language: str | None = strawberry.field(default=None, description="ISO 639 code, e.g. 'bn'.")
    escort: str | None = strawberry.field(default=None, description="Who escorts the child.")

    def to_domain(self) -> d.Release:
        return d.Release(
            kind=self.release_kind,
            released_on=self.released_on,
            order_number=self.order_number,
            restored_to=self.restored_to,
            destination_state=self.destination_state,
            destination_district=self.destination_district,
            destination_cwc=self.destination_cwc,
            interpreter_needed=self.interpreter_needed,
            interpreter_language=self.interpreter_language,
            escort=self.escort,
        )


@strawberry.input(description="A post-release follow-up visit (1, 3 or 6 months after restoration).")
class FollowUpInput:
    month: int = strawberry.field(description="Which follow-up: 1, 3 or 6.")
    visited_on: date = strawberry.field(description="The day of the visit.")
    visited_by: str = strawberry.field(description="Who visited (DCPU, CWC member, NGO).")
    settled: bool = strawberry.field(description="The child is settled and safe.")
    findings: str | None = strawberry.field(default=None, description="What was found (child:sensitive).")

    def to_domain(self) -> d.FollowUp:
        return d.FollowUp(self.month, self.visited_on, self.visited_by, self.settled, self.findings)


SectionInput = (
    AdmissionEntryInput
    | SocialInvestigationInput
    | CarePlanInput
    | HealthCheckupInput
    | EducationProgressInput
    | CounsellingSessionInput
    | CareReviewInput
    | ReleaseInput
    | FollowUpInput
)


@strawberry.input(description="One e-file entry: set exactly one of these fields (BAD_USER_INPUT otherwise).")
class CareEntryInput:
    admission: AdmissionEntryInput | None = strawberry.field(default=None, description="Admission.")
    social_investigation: SocialInvestigationInput | None = strawberry.field(
        default=None, description="Social Investigation Report."
    )
    care_plan: CarePlanInput | None = strawberry.field(default=None, description="Individual Care Plan.")
    health_checkup: HealthCheckupInput | None = strawberry.field(default=None, description="Health check-up.")
    education: EducationProgressInput | None = strawberry.field(default=None, description="Education progress.")
    counselling: CounsellingSessionInput | None = strawberry.field(default=None, description="Counselling session.")
    review: CareReviewInput | None = strawberry.field(default=None, description="CWC/JJB review.")
    release: ReleaseInput | None = strawberry.field(default=None, description="Restoration or transfer.")
    follow_up: FollowUpInput | None = strawberry.field(default=None, description="Post-release follow-up.")

    def to_domain(self) -> d.Section:
        given = [(name, value) for name, value in _sections(self) if value is not None]
        if not given:
            raise BadUserInput("entry", "set one section (admission, healthCheckup, review, ...)")
        if len(given) > 1:
            raise BadUserInput(f"entry.{given[1][0]}", f"set exactly one section; entry.{given[0][0]} is set too")
        return given[0][1].to_domain()


def _sections(entry: CareEntryInput) -> list[tuple[str, SectionInput | None]]:
    return [
        ("admission", entry.admission),
        ("socialInvestigation", entry.social_investigation),
        ("carePlan", entry.care_plan),
        ("healthCheckup", entry.health_checkup),
        ("education", entry.education),
        ("counselling", entry.counselling),
        ("review", entry.review),
        ("release", entry.release),
        ("followUp", entry.follow_up),
    ]


@strawberry.input(description="The entry a new version replaces, and the version you read.")
class CareEntryVersionInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry (its entryId).")
    version: int = strawberry.field(description="The version you read (CONFLICT if it is no longer the latest).")
