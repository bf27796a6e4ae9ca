"""The root fields of institution monitoring: ``institutionRecord``, ``staleInstitutions``,
``overCapacityInstitutions``, and the mutations ``setInstitutionInfrastructure``, ``recordInspection`` and
``reviseInspection`` (services/institution_records)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from ..auth.scopes import Scope
from ..resolvers.context import Info
from ..services import institution_records as service
from ..services import record_rule as rule
from ..store.institution_monitoring import InstitutionActivity
from ..store.models import InstitutionRow
from .access import any_of, operation, public_type
from .institution_records import (
    InstitutionInfrastructure,
    InstitutionInfrastructureInput,
    InstitutionInspection,
    RecordInspectionInput,
    ReviseInspectionInput,
)
from .institutions import Institution
from .pagination import Connection


@public_type  # gated where served: institutionRecord needs reports:read or institutions:write
@strawberry.type(description="An institution's own record: its infrastructure (versioned) and its inspections.")
class InstitutionRecord:
    _row: strawberry.Private[InstitutionRow]

    @strawberry.field(description="The institution.")
    def institution(self) -> Institution:
        return Institution.of(self._row)

    @strawberry.field(description="Its infrastructure now (null if never recorded).")
    async def infrastructure(self, info: Info) -> InstitutionInfrastructure | None:
        row = await service.current_infrastructure(info.context, self._row)
        return InstitutionInfrastructure.of(row) if row else None

    @strawberry.field(description="Every recorded version of its infrastructure, newest first.")
    async def infrastructure_history(self, info: Info) -> list[InstitutionInfrastructure]:
        return [InstitutionInfrastructure.of(r) for r in await service.infrastructure_history(info.context, self._row)]

    @strawberry.field(description="Its inspections (their current versions), latest first.")
    async def inspections(self, info: Info, first: int = 20) -> list[InstitutionInspection]:
        return [InstitutionInspection.of(r) for r in await service.inspections(info.context, self._row, first)]


@public_type  # gated where served: staleInstitutions and overCapacityInstitutions need reports:read
@strawberry.type(description="An institution, the children in care there, and when their records last changed.")
class InstitutionUpdateStatus:
    institution: Institution = strawberry.field(description="The institution.")
    children_in_care: int = strawberry.field(description="Open care cases without an exit date.")
    last_updated_at: datetime = strawberry.field(
        description="The latest change to any of their records: a case update or an e-file entry."
    )
    days_since_update: int = strawberry.field(description="Whole days from then to now.")

    @classmethod
    def of(cls, item: InstitutionActivity) -> InstitutionUpdateStatus:
        return cls(
            institution=Institution.of(item.institution),
            children_in_care=item.children,
            last_updated_at=item.last_update,
            days_since_update=(datetime.now(UTC) - item.last_update).days,
        )


async def _record(
    info: Info, institution: Annotated[str, strawberry.argument(description="Institution id or registration number.")]
) -> InstitutionRecord:
    return InstitutionRecord(_row=await service.institution_record(info.context, institution))


async def _stale(
    info: Info,
    days: Annotated[int, strawberry.argument(description="Not updated in this many days (1-3650).")],
    first: int = 20,
    after: str | None = None,
) -> Connection[InstitutionUpdateStatus]:
    page = await service.stale_institutions(info.context, days, first, after)
    return Connection.of(page, InstitutionUpdateStatus.of)


async def _over_capacity(info: Info, first: int = 20, after: str | None = None) -> Connection[InstitutionUpdateStatus]:
    return Connection.of(await service.over_capacity(info.context, first, after), InstitutionUpdateStatus.of)


async def _set_infrastructure(info: Info, input: InstitutionInfrastructureInput) -> InstitutionInfrastructure:
    row = await service.set_infrastructure(info.context, input.institution, input.version, input.to_domain())
    return InstitutionInfrastructure.of(row)


async def _record_inspection(info: Info, input: RecordInspectionInput) -> InstitutionInspection:
    return InstitutionInspection.of(await service.record_inspection(info.context, input.institution, input.to_domain()))


async def _revise_inspection(info: Info, input: ReviseInspectionInput) -> InstitutionInspection:
    row = await service.revise_inspection(info.context, str(input.id), input.version, input.to_domain())
    return InstitutionInspection.of(row)


MONITORING = any_of(Scope.REPORTS_READ)
INSTITUTIONS_WRITE = any_of(Scope.INSTITUTIONS_WRITE)
# Who keeps an institution's record (institutions:write) and who monitors it (legal services, district administration,
# CWC/JJB, AHTU, state IT: reports:read).
KEEPERS_AND_MONITORS = any_of(Scope.REPORTS_READ, Scope.INSTITUTIONS_WRITE)

INSTITUTION_RECORD = operation(
    KEEPERS_AND_MONITORS,
    "An institution's infrastructure and inspections, in your jurisdiction (reports:read or institutions:write); "
    "one elsewhere is BAD_USER_INPUT like an unregistered one.",
    resolver=_record,
    records={"institution": rule.institution_named},
)

STALE_INSTITUTIONS = operation(
    MONITORING,
    "Institutions in your jurisdiction whose children in care have had no update (case or e-file) in `days` days, "
    "stalest first (reports:read).",
    resolver=_stale,
)
OVER_CAPACITY_INSTITUTIONS = operation(
    MONITORING,
    "Institutions in your jurisdiction holding more children in care than their capacity, most over first "
    "(reports:read).",
    resolver=_over_capacity,
)
SET_INSTITUTION_INFRASTRUCTURE = operation(
    INSTITUTIONS_WRITE,
    "Record an institution's infrastructure as it is now, in your jurisdiction: a new version on top of the one you "
    "read; its capacity becomes the institution's (institutions:write).",
    resolver=_set_infrastructure,
    records={"input.institution": rule.institution_named},
)
RECORD_INSPECTION = operation(
    INSTITUTIONS_WRITE,
    "Record an inspection of an institution in your jurisdiction and its findings (institutions:write).",
    resolver=_record_inspection,
    records={"input.institution": rule.institution_named},
)
REVISE_INSPECTION = operation(
    INSTITUTIONS_WRITE,
    "Record a new version of an inspection (a correction, the follow-up done), on top of the one you read "
    "(institutions:write).",
    resolver=_revise_inspection,
    records={"input.id": rule.inspection_named},
)
