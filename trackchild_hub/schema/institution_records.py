"""An institution's infrastructure and inspections as the API shows and takes them (services/institution_records)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from ..domain import institution_records as domain
from ..resolvers.context import Info
from ..services import institution_records as service
from ..store.models import InfrastructureRow, InspectionRow
from .access import public_type


@public_type  # gated where served: institutionRecord (reports:read or institutions:write), the mutation
@strawberry.type(description="One post of an institution's staffing pattern.")
class StaffPost:
    post: str = strawberry.field(description="The post (superintendent, counsellor, house mother, ...).")
    sanctioned: int = strawberry.field(description="Posts sanctioned.")
    in_position: int = strawberry.field(description="Posts filled.")

    @strawberry.field(description="Sanctioned posts not filled.")
    def vacant(self) -> int:
        return max(0, self.sanctioned - self.in_position)


@public_type  # gated where served: institutionRecord (reports:read or institutions:write), the mutation
@strawberry.type(description="What an institution has (JJ Model Rules 2016, rule 29): one version, who wrote it, when.")
class InstitutionInfrastructure:
    version: int = strawberry.field(description="1 for the first record, then one more per change.")
    capacity: int = strawberry.field(description="Children it may hold (also the institution's current capacity).")
    dormitories: int = strawberry.field(description="Dormitories.")
    toilets: int = strawberry.field(description="Toilets.")
    classrooms: int = strawberry.field(description="Classrooms.")
    medical_room: bool = strawberry.field(description="Has a medical room.")
    kitchen: bool = strawberry.field(description="Has a kitchen.")
    cctv_cameras: int = strawberry.field(description="CCTV cameras installed (0: none).")
    staff: list[StaffPost] = strawberry.field(description="Staff by post, in the order recorded.")
    recorded_by: str = strawberry.field(description="Who recorded this version (the token's subject).")
    recorded_agency: str | None = strawberry.field(description="Their agency role.")
    recorded_at: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, row: InfrastructureRow) -> InstitutionInfrastructure:
        return cls(
            version=row.version,
            capacity=row.capacity,
            dormitories=row.dormitories,
            toilets=row.toilets,
            classrooms=row.classrooms,
            medical_room=row.medical_room,
            kitchen=row.kitchen,
            cctv_cameras=row.cctv_cameras,
            staff=[
                StaffPost(post=s["post"], sanctioned=s["sanctioned"], in_position=s["in_position"]) for s in row.staff
            ],
            recorded_by=row.recorded_by,
            recorded_agency=row.recorded_agency,
            recorded_at=row.recorded_at,
        )


@public_type  # gated where served: institutionRecord (reports:read or institutions:write), the mutations
@strawberry.type(description="An inspection of an institution and what it found: one version, who wrote it, when.")
class InstitutionInspection:
    id: strawberry.ID = strawberry.field(description="The inspection (the same over its versions).")
    version: int = strawberry.field(description="1 when first recorded, then one more per revision.")
    inspected_on: date = strawberry.field(description="Day of the inspection.")
    inspecting_body: str = strawberry.field(description="Who inspected (an Inspection Committee, CWC, DCPU, DLSA...).")
    findings: str = strawberry.field(description="What they found (line breaks kept).")
    follow_up: str | None = strawberry.field(description="What is to be done about it, and what was done.")
    follow_up_due: date | None = strawberry.field(description="By when the follow-up is due.")
    recorded_by: str = strawberry.field(description="Who recorded this version (the token's subject).")
    recorded_agency: str | None = strawberry.field(description="Their agency role.")
    recorded_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="Every version of this inspection, newest first.")
    async def history(self, info: Info) -> list[InstitutionInspection]:
        return [InstitutionInspection.of(r) for r in await service.inspection_history(info.context, str(self.id))]

    @classmethod
    def of(cls, row: InspectionRow) -> InstitutionInspection:
        return cls(
            id=strawberry.ID(row.inspection_id),
            version=row.version,
            inspected_on=row.inspected_on,
            inspecting_body=row.inspecting_body,
            findings=row.findings,
            follow_up=row.follow_up,
            follow_up_due=row.follow_up_due,
            recorded_by=row.recorded_by,
            recorded_agency=row.recorded_agency,
            recorded_at=row.recorded_at,
        )


@strawberry.input(description="One post of the staffing pattern.")
class StaffPostInput:
    post: str = strawberry.field(description="The post, as the institution names it.")
    sanctioned: int = strawberry.field(description="Posts sanctioned.")
    in_position: int = strawberry.field(description="Posts filled.")


@strawberry.input(description="An institution's infrastructure as it is now (a new version of its record).")
class InstitutionInfrastructureInput:
    institution: str = strawberry.field(description="Institution id or registration number.")
    version: int = strawberry.field(description="The version you read (0 when it has none yet).")
    capacity: int = strawberry.field(description="Children it may hold; becomes the institution's capacity.")
    dormitories: int = strawberry.field(description="Dormitories.")
    toilets: int = strawberry.field(description="Toilets.")
    classrooms: int = strawberry.field(description="Classrooms.")
    medical_room: bool = strawberry.field(description="Has a medical room.")
    kitchen: bool = strawberry.field(description="Has a kitchen.")
    cctv_cameras: int = strawberry.field(description="CCTV cameras installed (0: none).")
    staff: list[StaffPostInput] = strawberry.field(default_factory=list, description="Staff by post.")

    def to_domain(self) -> domain.Infrastructure:
        return domain.Infrastructure(
            capacity=self.capacity,
            dormitories=self.dormitories,
            toilets=self.toilets,
            classrooms=self.classrooms,
            medical_room=self.medical_room,
            kitchen=self.kitchen,
            cctv_cameras=self.cctv_cameras,
            staff=[domain.StaffPost(s.post, s.sanctioned, s.in_position) for s in self.staff],
        )


@strawberry.input(description="What an inspection found.")
class InspectionInput:
    inspected_on: date = strawberry.field(description="Day of the inspection.")
    inspecting_body: str = strawberry.field(description="Who inspected.")
    findings: str = strawberry.field(description="What they found ('no adverse findings' when nothing).")
    follow_up: str | None = strawberry.field(default=None, description="What is to be done, or was done.")
    follow_up_due: date | None = strawberry.field(default=None, description="By when.")

    def to_domain(self) -> domain.Inspection:
        return domain.Inspection(
            self.inspected_on, self.inspecting_body, self.findings, self.follow_up, self.follow_up_due
        )


@strawberry.input(description="A new inspection of an institution.")
class RecordInspectionInput(InspectionInput):
    institution: str = strawberry.field(description="Institution id or registration number.")


@strawberry.input(description="A new version of an inspection: a correction, or the follow-up done.")
class ReviseInspectionInput(InspectionInput):
    id: strawberry.ID = strawberry.field(description="The inspection.")
    version: int = strawberry.field(description="The version you read.")
