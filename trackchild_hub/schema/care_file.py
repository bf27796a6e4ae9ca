"""The CCI e-file's root fields: ``careFile(caseId)`` and ``addCareEntry(caseId, entry, supersedes)`` (CONTRACT.md),
and the lists of what is overdue in the caller's jurisdiction: ``overdueCareReviews`` and ``overdueCareFollowUps``.
Each is one line over ``services.care_file``; the file's sections are built from its one read."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from ..auth.scopes import Scope
from ..domain.care_entries import CareBody, CareEntryKind, ReleaseKind
from ..domain.care_schedule import FollowUpDue
from ..resolvers.context import Info
from ..services import care_file as service
from ..services import record_rule as rule
from ..store.care_entries import Owed
from ..store.models.care import CareEntryRow
from .access import any_of, operation, public, public_type
from .care_entries import (
    AdmissionEntry,
    CareEntry,
    CarePlanEntry,
    CareReviewEntry,
    CounsellingEntry,
    EducationEntry,
    FollowUpEntry,
    HealthCheckupEntry,
    ReleaseEntry,
    SocialInvestigationEntry,
    care_entry_of,
)
from .care_inputs import CareEntryInput, CareEntryVersionInput
from .case_kinds import CareCase
from .pagination import Connection


@public_type
@strawberry.type(description="A follow-up a restoration or repatriation calls for, 1, 3 or 6 months after it.")
class CareFollowUpDue:
    release_entry_id: strawberry.ID = strawberry.field(description="The release entry it follows.")
    month: int = strawberry.field(description="1, 3 or 6.")
    due_on: date = strawberry.field(description="The day it is due.")
    done_on: date | None = strawberry.field(description="The day of the visit recorded for it.")
    follow_up_entry_id: strawberry.ID | None = strawberry.field(description="That visit's entry.")
    overdue: bool = strawberry.field(description="Due before today and no visit recorded.")
    days_overdue: int = strawberry.field(description="Days past due (0 when not overdue).")

    @classmethod
    def of(cls, due: FollowUpDue, today: date) -> CareFollowUpDue:
        visit = due.follow_up_entry_id
        return cls(
            release_entry_id=strawberry.ID(due.release_entry_id),
            month=due.month,
            due_on=due.due_on,
            done_on=due.done_on,
            follow_up_entry_id=strawberry.ID(visit) if visit else None,
            overdue=due.overdue(today),
            days_overdue=due.days_overdue(today),
        )


@strawberry.type(description="A child's CCI e-file: the current version of each entry, by section; history on request.")
class CareFile:
    _file: strawberry.Private[service.CareFile]

    @public("The care case.")
    def case(self) -> CareCase:
        return CareCase.of(self._file.case)  # type: ignore[arg-type]

    @public("Every current entry, all sections, by the day each is about.")
    def entries(self) -> list[CareEntry]:
        return [self._entry(r) for r in self._file.current()]

    @public("Admission entries (the CWC/JJB order).")
    def admissions(self) -> list[AdmissionEntry]:
        return self._of(CareEntryKind.ADMISSION)  # type: ignore[return-value]

    @public("Social Investigation Reports.")
    def social_investigations(self) -> list[SocialInvestigationEntry]:
        return self._of(CareEntryKind.SOCIAL_INVESTIGATION)  # type: ignore[return-value]

    @public("Individual Care Plans.")
    def care_plans(self) -> list[CarePlanEntry]:
        return self._of(CareEntryKind.CARE_PLAN)  # type: ignore[return-value]

    @public("Health check-ups, each with the child's growth that day.")
    def health_checkups(self) -> list[HealthCheckupEntry]:
        return self._of(CareEntryKind.HEALTH_CHECKUP)  # type: ignore[return-value]

    @public("Education and vocational progress.")
    def education(self) -> list[EducationEntry]:
        return self._of(CareEntryKind.EDUCATION)  # type: ignore[return-value]

    @public("Counselling sessions.")
    def counselling(self) -> list[CounsellingEntry]:
        return self._of(CareEntryKind.COUNSELLING)  # type: ignore[return-value]

    @public("CWC/JJB reviews, scheduled and held.")
    def reviews(self) -> list[CareReviewEntry]:
        return self._of(CareEntryKind.REVIEW)  # type: ignore[return-value]

    @public("Restorations, repatriations and transfers.")
    def releases(self) -> list[ReleaseEntry]:
        return self._of(CareEntryKind.RELEASE)  # type: ignore[return-value]

    @public("Post-release follow-up visits.")
    def follow_ups(self) -> list[FollowUpEntry]:
        return self._of(CareEntryKind.FOLLOW_UP)  # type: ignore[return-value]

    @public("The follow-ups the releases call for (1, 3, 6 months), done or not.")
    def follow_ups_due(self) -> list[CareFollowUpDue]:
        return [CareFollowUpDue.of(due, self._file.today) for due in self._file.follow_ups()]

    @public("Every version of one entry, oldest first (empty for an entry not in this file).")
    def history(self, entry_id: strawberry.ID) -> list[CareEntry]:
        return [self._entry(r) for r in self._file.history(str(entry_id))]

    def _of(self, kind: CareEntryKind) -> list[CareEntry]:
        return [self._entry(r) for r in self._file.of_kind(kind)]

    def _entry(self, row: CareEntryRow) -> CareEntry:
        return care_entry_of(row, self._file.today, self._file.growth(row))


@public_type
@strawberry.type(description="A CWC/JJB review past its day and not recorded as held (no identity).")
class OverdueCareReview:
    case_id: strawberry.ID = strawberry.field(description="The care case.")
    reference: str = strawberry.field(description="Its reference.")
    institution_id: strawberry.ID | None = strawberry.field(description="The institution.")
    state: str = strawberry.field(description="LGD state code.")
    district: str | None = strawberry.field(description="LGD district code.")
    entry_id: strawberry.ID = strawberry.field(description="The review entry (record it as held with a new version).")
    version: int = strawberry.field(description="Its current version.")
    body: CareBody = strawberry.field(description="CWC or JJB.")
    scheduled_on: date = strawberry.field(description="The day it was due.")
    days_overdue: int = strawberry.field(description="Days since.")

    @classmethod
    def of(cls, owed: Owed, today: date) -> OverdueCareReview:
        scheduled = date.fromisoformat(owed.entry.payload["scheduled_on"])
        return cls(
            **_where(owed),
            entry_id=strawberry.ID(owed.entry.entry_id),
            version=owed.entry.version,
            body=CareBody(owed.entry.payload["body"]),
            scheduled_on=scheduled,
            days_overdue=(today - scheduled).days,
        )


@public_type
@strawberry.type(description="A post-release follow-up past its day with no visit recorded (no identity).")
class OverdueCareFollowUp:
    case_id: strawberry.ID = strawberry.field(description="The care case.")
    reference: str = strawberry.field(description="Its reference.")
    institution_id: strawberry.ID | None = strawberry.field(description="The institution the child left.")
    state: str = strawberry.field(description="LGD state code.")
    district: str | None = strawberry.field(description="LGD district code.")
    release_entry_id: strawberry.ID = strawberry.field(description="The release it follows.")
    release_kind: ReleaseKind = strawberry.field(description="Restoration or repatriation.")
    released_on: date = strawberry.field(description="The day the child left.")
    month: int = strawberry.field(description="1, 3 or 6.")
    due_on: date = strawberry.field(description="The day it was due.")
    days_overdue: int = strawberry.field(description="Days since.")

    @classmethod
    def of(cls, item: service.OverdueFollowUp, today: date) -> OverdueCareFollowUp:
        p = item.release.entry.payload
        return cls(
            **_where(item.release),
            release_entry_id=strawberry.ID(item.release.entry.entry_id),
            release_kind=ReleaseKind(p["kind"]),
            released_on=date.fromisoformat(p["released_on"]),
            month=item.due.month,
            due_on=item.due.due_on,
            days_overdue=item.due.days_overdue(today),
        )


def _where(owed: Owed) -> dict[str, Any]:
    return {
        "case_id": strawberry.ID(owed.case_id),
        "reference": owed.reference,
        "institution_id": strawberry.ID(owed.institution_id) if owed.institution_id else None,
        "state": owed.state_code,
        "district": owed.district_code,
    }


async def _care_file(info: Info, case_id: strawberry.ID) -> CareFile:
    return CareFile(_file=await service.care_file(info.context, str(case_id)))


async def _add(
    info: Info, case_id: strawberry.ID, entry: CareEntryInput, supersedes: CareEntryVersionInput | None = None
) -> CareEntry:
    previous = (str(supersedes.entry_id), supersedes.version) if supersedes else None
    written = await service.add_entry(info.context, str(case_id), entry.to_domain(), previous)
    return care_entry_of(written.entry, info.context.today, service.growth_of(written.child, written.entry))


async def _overdue_reviews(info: Info, first: int = 100, after: str | None = None) -> Connection[OverdueCareReview]:
    today = info.context.today
    page = await service.overdue_reviews(info.context, first, after)
    return Connection.of(page, lambda o: OverdueCareReview.of(o, today))


async def _overdue_follow_ups(
    info: Info, first: int = 100, after: str | None = None
) -> Connection[OverdueCareFollowUp]:
    today = info.context.today
    page = await service.overdue_follow_ups(info.context, first, after)
    return Connection.of(page, lambda o: OverdueCareFollowUp.of(o, today))


SENSITIVE_READ = any_of(Scope.CHILD_SENSITIVE)
CARE_FILE = operation(
    SENSITIVE_READ,
    "A child in care's e-file (a CARE case you may see), current entries by section (child:sensitive).",
    resolver=_care_file,
    records={"caseId": rule.case_named},
)
ADD_CARE_ENTRY = operation(
    any_of(Scope.CARE_WRITE),
    "Add an entry to a child's e-file, or a new version of one (supersedes: the entry and the version read); "
    "earlier versions are kept (care:write).",
    resolver=_add,
    records={"caseId": rule.case_named, "supersedes.entryId": rule.care_entry_named},
)
OVERDUE_CARE_REVIEWS = operation(
    SENSITIVE_READ,
    "CWC/JJB reviews past their day and not recorded as held, in your jurisdiction, longest overdue first, "
    "a page at a time (child:sensitive).",
    resolver=_overdue_reviews,
)
OVERDUE_CARE_FOLLOW_UPS = operation(
    SENSITIVE_READ,
    "Post-release follow-ups (1, 3, 6 months after a restoration or repatriation) past their day with no visit "
    "recorded, in your jurisdiction, longest overdue first, a page at a time (child:sensitive).",
    resolver=_overdue_follow_ups,
)
