"""The root Query."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ..auth.scopes import Scope
from ..resolvers.context import Info
from ..resolvers.federated_cases import federated_cases
from ..resolvers.sources import source_health
from ..services import audit_trail, case_queries, catalogue
from ..services import directory as directory_service
from ..services import record_rule as rule
from .access import PUBLIC_RECORD, any_of, operation, public_operation
from .audit import MAX_ENTITY_TYPES, AccessLogEntry, entity_types_named
from .care_file import (
    CARE_FILE,
    OVERDUE_CARE_FOLLOW_UPS,
    OVERDUE_CARE_REVIEWS,
    CareFile,
    OverdueCareFollowUp,
    OverdueCareReview,
)
from .case_connection import CaseConnection, joins_selected, references_selected
from .case_kinds import case_of
from .cases import Case
from .children import Child
from .citizen_reports import (
    CASE_STATUS,
    CITIZEN_REPORT,
    CITIZEN_REPORT_BACKLOG,
    SIGHTING_CANDIDATES,
    UNTRIAGED_CITIZEN_REPORTS,
    CitizenCaseStatus,
    CitizenReport,
    TriageBacklog,
)
from .directory import DirectoryEntry, directory_entry_of
from .directory_fields import COVERING_BODIES, DIRECTORY_CHANGES, DIRECTORY_DATA, DIRECTORY_QUALITY, NEAREST
from .directory_results import CoveringBodies, DirectoryChange, DirectoryQualityReport, NearbyEntry
from .filters import CaseFilterInput, DirectoryFilterInput, InstitutionFilterInput
from .geography import State
from .institution_fields import (
    INSTITUTION_RECORD,
    OVER_CAPACITY_INSTITUTIONS,
    STALE_INSTITUTIONS,
    InstitutionRecord,
    InstitutionUpdateStatus,
)
from .institutions import Institution
from .matches import FIND_MATCHES, MATCH_CANDIDATES, MatchCandidate
from .me import Me
from .pagination import Connection
from .progress_report import PROGRESS_REPORT, ProgressReport
from .public_notices import PUBLIC_NOTICES, PublicNotice
from .sources import SourceStatus
from .stats import DISTRICT_DIGEST, STATS, DistrictDigest, Stats
from .workflow import OVERDUE_AHTU_REPORTS, OverdueAhtuReport


async def _case(info: Info, id: strawberry.ID | None = None, reference: str | None = None) -> Case | None:
    row = await case_queries.case(info.context, id=str(id) if id else None, reference=reference)
    return case_of(row)


async def _cases(
    info: Info,
    filter: CaseFilterInput | None = None,
    first: int = 20,
    after: str | None = None,
    sources: Annotated[
        list[str] | None,
        strawberry.argument(
            description="Where to look: 'local' (the hub's store), connector ids (see `sources`), or 'all'. "
            "Default: local. Live sources are called concurrently under one deadline; one that fails is reported "
            "in `errors` (UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE) and in the connection's `sources`."
        ),
    ] = None,
) -> CaseConnection:
    where = (filter or CaseFilterInput()).to_domain()
    joins, references = joins_selected(info), references_selected(info)
    result = await federated_cases(info.context, where, first, after, sources, joins, references=references)
    info.context.upstream_errors += [(info.path.as_list(), e) for e in result.errors]
    return CaseConnection.of_cases(result.page, None if result.sources is None else result.sources)


async def _child(info: Info, id: strawberry.ID) -> Child | None:
    return await Child.resolve_reference(info, id)


async def _institution(info: Info, id: strawberry.ID) -> Institution | None:
    return Institution.of(await catalogue.institution(info.context, str(id)))


async def _institutions(
    info: Info, filter: InstitutionFilterInput | None = None, first: int = 20, after: str | None = None
) -> Connection[Institution]:
    where = (filter or InstitutionFilterInput()).to_domain()
    return Connection.of(await catalogue.institutions(info.context, where, first, after), Institution.of)


async def _directory(
    info: Info, filter: DirectoryFilterInput | None = None, first: int = 20, after: str | None = None
) -> Connection[DirectoryEntry]:
    where = (filter or DirectoryFilterInput()).to_domain()
    return Connection.of(await directory_service.directory(info.context, where, first, after), directory_entry_of)


def _states(info: Info) -> list[State]:
    return [State.of(s) for s in info.context.geography.states]


async def _audit_trail(
    info: Info,
    entity_id: strawberry.ID,
    first: int = 100,
    before: Annotated[
        str | None,
        strawberry.argument(description="An entry's hash: the entries written before it (the next page)."),
    ] = None,
    entity_types: Annotated[
        list[str] | None,
        strawberry.argument(
            description=f"Only entries of these record types, as `entityType` names them (Child, MissingCase, "
            f"MatchCandidate, ...; at most {MAX_ENTITY_TYPES})."
        ),
    ] = None,
) -> list[AccessLogEntry]:
    rows = await audit_trail.audit_trail(
        info.context, str(entity_id), first, before, entity_types_named(info, entity_types)
    )
    return [AccessLogEntry.of(r) for r in rows]


async def _sources(info: Info) -> list[SourceStatus]:
    return [SourceStatus.of(s) for s in await source_health(info.context)]


def _me(info: Info) -> Me:
    return Me.of(info.context.principal)


CASES_READ = any_of(Scope.CASES_READ)


@strawberry.type(description="Read the hub. Each field names the scope it needs, or says it is public.")
class Query:
    case: Case | None = operation(
        CASES_READ,
        "A case by id or by reference number (cases:read).",
        resolver=_case,
        records={"id": rule.case_named, "reference": rule.case_named},
    )
    cases: CaseConnection = operation(
        CASES_READ,
        "Cases, newest report first, filtered and paged (cases:read).",
        resolver=_cases,
        records={"filter.policeStation": rule.scoped_cases, "filter.institution": rule.scoped_cases},
    )
    child: Child | None = operation(
        CASES_READ, "A child by id (cases:read).", resolver=_child, records={"id": rule.child_named}
    )
    institution: Institution | None = public_operation(
        "A Child Care Institution by id.", resolver=_institution, why=DIRECTORY_DATA, records={"id": PUBLIC_RECORD}
    )
    institutions: Connection[Institution] = public_operation(
        "Child Care Institutions by name.", resolver=_institutions, why=DIRECTORY_DATA
    )
    directory: Connection[DirectoryEntry] = public_operation(
        "Resource directory entries: by name, or with `filter.text` best match first (typo-tolerant).",
        resolver=_directory,
        why=DIRECTORY_DATA,
    )
    nearest: list[NearbyEntry] = NEAREST
    covering_bodies: CoveringBodies = COVERING_BODIES
    directory_quality: DirectoryQualityReport = DIRECTORY_QUALITY
    directory_changes: list[DirectoryChange] = DIRECTORY_CHANGES
    institution_record: InstitutionRecord = INSTITUTION_RECORD
    stale_institutions: Connection[InstitutionUpdateStatus] = STALE_INSTITUTIONS
    over_capacity_institutions: Connection[InstitutionUpdateStatus] = OVER_CAPACITY_INSTITUTIONS
    progress_report: ProgressReport = PROGRESS_REPORT
    stats: Stats = STATS
    district_digest: DistrictDigest = DISTRICT_DIGEST
    states: list[State] = public_operation(
        "States/UTs and their districts (LGD reference data).",
        resolver=_states,
        why="LGD codes are published reference data, needed to fill in any form",
    )
    me: Me = public_operation(
        "The caller as the hub sees them.",
        resolver=_me,
        why="tells every caller, the public too, which role and scopes the hub sees for it",
    )
    sources: list[SourceStatus] = operation(
        CASES_READ,
        "The connected state systems and how each answered a health check just now (cases:read).",
        resolver=_sources,
    )
    public_notices: Connection[PublicNotice] = PUBLIC_NOTICES
    case_status: CitizenCaseStatus = CASE_STATUS
    untriaged_citizen_reports: list[CitizenReport] = UNTRIAGED_CITIZEN_REPORTS
    citizen_report: CitizenReport | None = CITIZEN_REPORT
    citizen_report_backlog: list[TriageBacklog] = CITIZEN_REPORT_BACKLOG
    sighting_candidates: list[MatchCandidate] = SIGHTING_CANDIDATES
    find_matches: list[MatchCandidate] = FIND_MATCHES
    match_candidates: list[MatchCandidate] = MATCH_CANDIDATES
    overdue_ahtu_reports: Connection[OverdueAhtuReport] = OVERDUE_AHTU_REPORTS
    care_file: CareFile = CARE_FILE
    overdue_care_reviews: Connection[OverdueCareReview] = OVERDUE_CARE_REVIEWS
    overdue_care_follow_ups: Connection[OverdueCareFollowUp] = OVERDUE_CARE_FOLLOW_UPS
    audit_trail: list[AccessLogEntry] = operation(
        any_of(Scope.AUDIT_READ),
        "Who read protected fields of a record (a child or case id), or was shown it as a match candidate outside "
        "their jurisdiction (entityType MatchCandidate), newest first (audit:read); `before` pages back.",
        resolver=_audit_trail,
        records={"entityId": rule.audited_record},
    )
