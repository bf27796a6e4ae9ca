"""The record rule, applied in this one place: every record a use case, a query or an input names, loaded through
``auth.record_access.admits`` on the unit of work's principal (``unit.Unit``: a request, a CLI command, a worker).

Hidden records (cases, children, match pairs, the access log of a record) outside the caller's jurisdiction, or
confidential for the caller, are answered exactly as an id that does not exist: ``NOT_FOUND``, same message, same
shape, nothing written. Directory records (police stations, institutions, directory entries) are public to read, so
naming one leaks nothing; what the rule decides for them is where a write may land: a case is placed, and an entry
changed, only inside the writer's jurisdiction, and an entry outside it is as unknown as a missing one.

The schema declares, next to each operation, which of these functions resolves each id its arguments name
(``schema.access.operation(records=...)``); a test fails on an input id without such a declaration.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from ..auth.record_access import admits, case_scope, record_scope
from ..domain.errors import BadUserInput, NotFound
from ..domain.filters import CaseFilter
from ..domain.status_code import DUMMY_HASH, DUMMY_SALT, code_matches, normalise
from ..store.care_entries import CareEntryRepository
from ..store.case_records import CaseShown, ChildShown
from ..store.cases import CaseRepository
from ..store.citizen_reports import CitizenReportRepository
from ..store.directory import DirectoryRepository
from ..store.institution_records import InstitutionRecordRepository
from ..store.institutions import InstitutionRepository
from ..store.models import CitizenReportRow, DirectoryEntryRow, InspectionRow, InstitutionRow
from ..store.models.care import CareEntryRow
from .unit import Unit

OUTSIDE = "it may be outside your jurisdiction"
MAX_REFERENCE = 64  # a citizen report's reference is far shorter: a longer one is no reference, not a long query


def not_found(what: str) -> NotFound:
    """The one answer for a record that does not exist and for one the rule refuses."""
    return NotFound(f"no such {what}", suggestion=OUTSIDE)


# Reads: None when absent or refused (lists and fields drop it).


async def visible_case(ctx: Unit, case_id: str) -> CaseShown | None:
    scope = case_scope(ctx.principal)
    await ctx.fetch_remote(case_id)  # a live record's id: primes the loaders when its source still holds it
    row = await ctx.loaders.case_by_id.one(case_id)
    if row is None:
        return None
    child = await ctx.loaders.child_by_id.one(row.child_id)
    confidential = child is not None and child.confidential
    return row if scope.admits(row.state_code, row.district_code, confidential) else None


async def visible_cases_of_child(ctx: Unit, child: ChildShown) -> list[CaseShown]:
    scope = case_scope(ctx.principal)
    rows = await ctx.loaders.cases_by_child_id.one(child.id) or []
    return [r for r in rows if scope.admits(r.state_code, r.district_code, child.confidential)]


async def visible_child(ctx: Unit, child_id: str) -> ChildShown | None:
    """A child is visible through any case of theirs the caller may see."""
    child = await ctx.loaders.child_by_id.one(child_id)
    if child is None or not await visible_cases_of_child(ctx, child):
        return None
    return child


def scoped_cases(ctx: Unit, where: CaseFilter) -> CaseFilter:
    """A list filter confined to the caller's records: a station or institution named in it only narrows that."""
    return replace(where, scope=case_scope(ctx.principal))


# Ids named by a query argument or an input: the record, or NOT_FOUND.


async def case_named(ctx: Unit, case_id: str | None = None, *, reference: str | None = None) -> CaseShown:
    if case_id is None and reference is not None:
        found = await ctx.read(lambda s: CaseRepository(s).get_by_reference(reference.strip().upper()))
        if found is not None:
            ctx.loaders.case_by_id.prime(found.id, found)
            case_id = found.id
    row = await visible_case(ctx, case_id) if case_id is not None else None
    if row is None:
        raise not_found("case")
    return row


async def care_entry_named(ctx: Unit, case_id: str, entry_id: str) -> CareEntryRow:
    """An e-file entry (its current version) of a case the caller already reached through ``case_named``: an entry of
    another case is answered as one that does not exist."""
    row = await ctx.read(lambda s: CareEntryRepository(s).current(entry_id))
    if row is None or row.case_id != case_id:
        raise not_found("care entry")
    return row


async def citizen_report_named(ctx: Unit, report_id: str) -> CitizenReportRow:
    """A citizen report or sighting at a place inside the caller's jurisdiction (``cases:read``)."""
    scope = case_scope(ctx.principal)
    row = await ctx.read(lambda s: CitizenReportRepository(s).by_id(report_id))
    if row is None or not scope.admits(row.state_code, row.district_code, False):
        raise not_found("citizen report")
    return row


async def citizen_report_referenced(ctx: Unit, reference: str) -> CitizenReportRow:
    """A citizen report or sighting by its reference (``CR-...``, as an alert's link names it), at a place inside the
    caller's jurisdiction (``cases:read``): NOT_FOUND alike for one outside it and for none."""
    scope = case_scope(ctx.principal)
    wanted = normalise(reference)[:MAX_REFERENCE]
    row = await ctx.read(lambda s: CitizenReportRepository(s).by_reference(wanted))
    if row is None or not scope.admits(row.state_code, row.district_code, False):
        raise not_found("citizen report")
    return row


async def citizen_report_by_code(ctx: Unit, reference: str, code: str) -> CitizenReportRow | None:
    """The public reaches a citizen report only by its reference together with its one-time status code: None for a
    wrong pair, after the same work (a dummy hash for an unknown reference) and a constant-time comparison."""
    row = await ctx.read(lambda s: CitizenReportRepository(s).by_reference(reference))
    salt, expected = (row.code_salt, row.code_hash) if row is not None else (DUMMY_SALT, DUMMY_HASH)
    matches = await asyncio.to_thread(code_matches, code, salt, expected)  # scrypt, ~5 ms: off the event loop
    return row if matches and row is not None else None


async def child_named(ctx: Unit, child_id: str) -> ChildShown:
    row = await visible_child(ctx, child_id)
    if row is None:
        raise not_found("child")
    return row


async def match_named(ctx: Unit, pair: str) -> tuple[CaseShown, CaseShown]:
    """``<missing case id>~<other case id>``: both cases must be the caller's to see."""
    missing_id, sep, other_id = pair.partition("~")
    missing = await visible_case(ctx, missing_id) if sep and missing_id else None
    other = await visible_case(ctx, other_id) if missing is not None and other_id else None
    if missing is None or other is None:
        raise not_found("match")
    return missing, other


async def audited_record(ctx: Unit, entity_id: str) -> None:
    """The access log of a record is as visible as the record: a case, a child, a citizen report, or a directory
    entry/functionary inside the caller's jurisdiction. Confidentiality and jurisdiction apply without ``cases:read``
    too."""
    scope = record_scope(ctx.principal)
    await ctx.fetch_remote(entity_id)
    case = await ctx.loaders.case_by_id.one(entity_id)
    child = await ctx.loaders.child_by_id.one(case.child_id if case is not None else entity_id)
    confidential = child is not None and child.confidential
    if case is not None:
        if scope.admits(case.state_code, case.district_code, confidential):
            return
    elif child is not None:
        cases = await ctx.loaders.cases_by_child_id.one(child.id) or []
        if any(scope.admits(c.state_code, c.district_code, confidential) for c in cases):
            return
    elif (report := await ctx.read(lambda s: CitizenReportRepository(s).by_id(entity_id))) is not None:
        if scope.admits(report.state_code, report.district_code, False):  # who read a family's name or photo
            return
    else:
        functionary = await ctx.read(lambda s: DirectoryRepository(s).functionary(entity_id))
        entry = await ctx.loaders.directory_entry_by_id.one(functionary.entry_id if functionary else entity_id)
        if entry is not None and admits(ctx.principal, entry.state_code, entry.district_code):
            return
    raise not_found("record")


async def directory_entry_named(ctx: Unit, entry_id: str) -> DirectoryEntryRow:
    """An entry to change or whose history to read: inside the caller's jurisdiction, or NOT_FOUND."""
    row = await ctx.loaders.directory_entry_by_id.one(entry_id)
    if row is None or not admits(ctx.principal, row.state_code, row.district_code):
        raise not_found("directory entry")
    return row


async def directory_entry_to_replace(ctx: Unit, entry_id: str) -> DirectoryEntryRow | None:
    """An upsert's id: a new one (None), or an entry inside the caller's jurisdiction; elsewhere is NOT_FOUND."""
    row = await ctx.loaders.directory_entry_by_id.one(entry_id)
    if row is not None and not admits(ctx.principal, row.state_code, row.district_code):
        raise not_found("directory entry")
    return row


# Public directory records named to place a case: unknown and elsewhere get the same BAD_USER_INPUT naming the field.
# ``receiving`` (a transfer's state and district): the record must be there; absent: in the caller's jurisdiction.
Receiving = tuple[str, str | None] | None


async def institution_named(ctx: Unit, reference: str, field: str, receiving: Receiving = None) -> InstitutionRow:
    """An institution by id or registration number."""
    row = await ctx.read(lambda s: InstitutionRepository(s).by_reference(reference))
    if row is None or not _placed(ctx, row.state_code, row.district_code, receiving):
        raise BadUserInput(field, f"{reference!r} is not a registered institution {_where(receiving)}")
    return row


async def station_named(ctx: Unit, reference: str, field: str, receiving: Receiving = None) -> DirectoryEntryRow:
    """An active police station by id or CCTNS code."""
    row = await ctx.read(lambda s: DirectoryRepository(s).police_station(reference))
    if row is None or not _placed(ctx, row.state_code, row.district_code, receiving):
        raise BadUserInput(field, f"{reference!r} is not a police station {_where(receiving)}")
    return row


def _placed(ctx: Unit, state: str | None, district: str | None, receiving: Receiving) -> bool:
    if receiving is None:
        return admits(ctx.principal, state, district)
    return state == receiving[0] and (receiving[1] is None or district == receiving[1])


def _where(receiving: Receiving) -> str:
    return "in your jurisdiction" if receiving is None else "in the receiving state and district"


async def inspection_named(ctx: Unit, inspection_id: str) -> InspectionRow:
    """The current version of an inspection of an institution inside the caller's jurisdiction, or NOT_FOUND.

    Institutions are public, but what inspectors found is for the bodies that maintain and monitor them: an
    inspection elsewhere is as unknown as a missing one."""
    versions = await ctx.read(lambda s: InstitutionRecordRepository(s).inspection_versions(inspection_id))
    institution = await ctx.loaders.institution_by_id.one(versions[0].institution_id) if versions else None
    if institution is None or not admits(ctx.principal, institution.state_code, institution.district_code):
        raise not_found("inspection")
    return versions[0]
