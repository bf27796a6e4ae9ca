"""The CCI e-file (issue 14): a child in care's entries, each a series of versions, and what is overdue on them.

Whose file: a CARE case's. A FOUND child placed in an institution gets one once the CWC's order admits them
(``admitToInstitution`` makes the CARE case, whose admission entry carries that order): before it, the placement is
interim and the child's record is the found case. A state system's live record has no file at the hub (nothing is
stored for it) until it is synced.

Who: the schema declares the scopes (``care:write`` to write, ``child:sensitive`` to read); here every case and entry
named goes through the record rule, so a case outside the caller's jurisdiction, or confidential for them, is answered
exactly as one that does not exist. A new version names the entry and the version read (CONFLICT otherwise, and when
two writers race the store lets one win). Reading the file is one statement for the entries whatever their number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.record_access import record_scope
from ..domain.care_entries import CareEntryKind, Section, validated
from ..domain.care_growth import CheckupGrowth, checkup_growth
from ..domain.care_schedule import FollowUpDue, add_months, follow_ups
from ..domain.errors import BadUserInput, Conflict
from ..domain.filters import check_first
from ..domain.naming import camel_case
from ..store.care_entries import CareEntryRepository, Owed
from ..store.case_records import CaseShown, ChildShown
from ..store.live_records import LiveCareCaseRecord
from ..store.models.care import CareEntryRow
from ..store.pagination import Page, decode_cursor, decode_date, decode_number, encode_cursor
from .record_rule import care_entry_named, case_named, not_found
from .unit import Unit


@dataclass(frozen=True, slots=True)
class CareFile:
    """One child's file as read: the case, the child (for growth), every version of every entry, and the current
    versions by section (worked out once: a page asks for several sections)."""

    case: CaseShown
    child: ChildShown
    versions: list[CareEntryRow]  # by entry, then version
    today: date
    _current: list[CareEntryRow] = field(init=False)
    _by_kind: dict[str, list[CareEntryRow]] = field(init=False)

    def __post_init__(self) -> None:
        latest: dict[str, CareEntryRow] = {}
        for row in self.versions:
            latest[row.entry_id] = row  # versions ascend within an entry
        current = sorted(latest.values(), key=lambda r: (r.occurred_on, r.entry_id))
        by_kind: dict[str, list[CareEntryRow]] = {}
        for row in current:
            by_kind.setdefault(row.kind, []).append(row)
        object.__setattr__(self, "_current", current)
        object.__setattr__(self, "_by_kind", by_kind)

    def current(self) -> list[CareEntryRow]:
        """The latest version of each entry, by the day it is about, then by entry."""
        return self._current

    def of_kind(self, kind: CareEntryKind) -> list[CareEntryRow]:
        return self._by_kind.get(kind.value, [])

    def history(self, entry_id: str) -> list[CareEntryRow]:
        """Every version of one entry, oldest first (empty for an entry not in this file)."""
        return [r for r in self.versions if r.entry_id == entry_id]

    def follow_ups(self) -> list[FollowUpDue]:
        releases = [(r.entry_id, r.payload) for r in self.of_kind(CareEntryKind.RELEASE)]
        visits = [(r.entry_id, r.payload) for r in self.of_kind(CareEntryKind.FOLLOW_UP)]
        return follow_ups(releases, visits)

    def growth(self, row: CareEntryRow) -> CheckupGrowth | None:
        return growth_of(self.child, row)


@dataclass(frozen=True, slots=True)
class Written:
    entry: CareEntryRow
    child: ChildShown


@dataclass(frozen=True, slots=True)
class OverdueFollowUp:
    release: Owed
    due: FollowUpDue


async def care_file(unit: Unit, case_id: str) -> CareFile:
    case, child = await _care_case(unit, case_id)
    versions = await unit.read(lambda s: CareEntryRepository(s).file_of(case.id))
    return CareFile(case=case, child=child, versions=versions, today=unit.today)


async def add_entry(unit: Unit, case_id: str, section: Section, supersedes: tuple[str, int] | None = None) -> Written:
    """Version 1 of a new entry, or (``supersedes`` = entry id, version read) the next version of an entry of this
    case, of the same kind. Nothing is written unless everything checks."""
    case, child = await _care_case(unit, case_id)
    try:
        data = validated(section, unit.today, unit.geography)
    except BadUserInput as exc:
        raise _in_entry(exc) from None
    previous = None
    if supersedes is not None:
        entry_id, version = supersedes
        previous = await care_entry_named(unit, case.id, entry_id)
        if previous.kind != data.kind.value:
            raise BadUserInput(
                "supersedes.entryId", f"is a {previous.kind} entry: a new version keeps its kind ({data.kind.value})"
            )
        if previous.version != version:
            raise _stale(previous.version)
    async with unit.write():
        repo = CareEntryRepository(unit.session)
        if previous is not None:
            latest = await repo.current(previous.entry_id)  # again, inside the transaction that writes
            if latest is None or latest.version != previous.version:
                raise _stale(latest.version if latest else 0)
        agency = unit.principal.agency.value if unit.principal.agency else None
        actor = unit.principal.actor
        row = await repo.add(case.id, data, actor=actor, agency=agency, supersedes=previous)
    return Written(entry=row, child=child)


async def overdue_reviews(unit: Unit, first: int, after: str | None) -> Page[Owed]:
    """CWC/JJB reviews of children in care inside the caller's jurisdiction, scheduled before today and not recorded
    as held, the longest overdue first; a page of them."""
    check_first(first)
    scope, today = record_scope(unit.principal), unit.today
    return await unit.read(lambda s: CareEntryRepository(s).reviews_due(scope, today, first, after))


async def overdue_follow_ups(unit: Unit, first: int, after: str | None) -> Page[OverdueFollowUp]:
    """Post-release follow-ups (1, 3, 6 months) due before today with no visit recorded, inside the caller's
    jurisdiction, the longest overdue first; a page of them. Two statements: the releases, then the visits of their
    cases.

    The due days are computed here from each release and its case's visits (``domain.care_schedule``), not in SQL,
    so every page reads all the jurisdiction's releases of the last months and computes them all again; only the
    page is returned. The order is stable -- (due day, case id, release entry id, month), unique per follow-up --
    and the cursor is the last item's key, so paging has no skips or repeats whatever the page size."""
    check_first(first)
    scope, today = record_scope(unit.principal), unit.today
    released_before = add_months(today, -1)  # a release less than a month ago owes nothing yet
    start = _follow_up_key(after) if after is not None else None

    async def read(session: AsyncSession) -> tuple[list[Owed], list[CareEntryRow]]:
        repo = CareEntryRepository(session)
        releases = await repo.releases_followed_since(scope, released_before)
        visits = await repo.current_of_kind(sorted({r.case_id for r in releases}), CareEntryKind.FOLLOW_UP)
        return releases, visits

    releases, visits = await unit.read(read)
    by_case: dict[str, list[CareEntryRow]] = {}
    for v in visits:
        by_case.setdefault(v.case_id, []).append(v)
    releases_by_case: dict[str, dict[str, Owed]] = {}
    for release in releases:
        releases_by_case.setdefault(release.case_id, {})[release.entry.entry_id] = release
    out = []
    for case_id, case_releases in releases_by_case.items():  # one schedule per case, not one per release
        case_visits = [(v.entry_id, v.payload) for v in by_case.get(case_id, [])]
        for due in follow_ups([(i, r.entry.payload) for i, r in case_releases.items()], case_visits):
            if due.overdue(today):
                item = OverdueFollowUp(release=case_releases[due.release_entry_id], due=due)
                if start is None or _key(item) > start:
                    out.append(item)
    out.sort(key=_key)
    shown = out[:first]
    cursors = [
        encode_cursor(o.due.due_on.isoformat(), o.release.case_id, o.release.entry.entry_id, str(o.due.month))
        for o in shown
    ]
    return Page(shown, len(out) > first, cursors)


def _key(item: OverdueFollowUp) -> tuple[date, str, str, int]:
    return (item.due.due_on, item.release.case_id, item.release.entry.entry_id, item.due.month)


def _follow_up_key(after: str) -> tuple[date, str, str, int]:
    day, case_id, release_id, month = decode_cursor(after, 4)
    return (decode_date(day), case_id, release_id, decode_number(month))


def growth_of(child: ChildShown, row: CareEntryRow) -> CheckupGrowth | None:
    """A health check-up's growth on the day it was done (None for other entries, or when the age is unknown)."""
    if row.kind != CareEntryKind.HEALTH_CHECKUP.value:
        return None
    p: Mapping[str, object] = row.payload
    height, weight = p.get("height_cm"), p.get("weight_kg")
    return checkup_growth(
        child.gender,
        child.date_of_birth,
        child.birth_estimate,
        row.occurred_on,
        float(height) if isinstance(height, int | float) else None,
        float(weight) if isinstance(weight, int | float) else None,
    )


async def _care_case(unit: Unit, case_id: str) -> tuple[CaseShown, ChildShown]:
    case = await case_named(unit, case_id)
    if case.kind != "CARE":
        raise BadUserInput(
            "caseId",
            f"is a {case.kind} case: an e-file is kept for a child in care",
            suggestion="admit the child (admitToInstitution) and use the care case",
        )
    if isinstance(case, LiveCareCaseRecord):
        raise BadUserInput("caseId", "is a state system's live record: its e-file is kept once it is synced")
    child = await unit.loaders.child_by_id.one(case.child_id)
    if child is None:  # a case's child always exists; answered as a missing case all the same
        raise not_found("case")
    return case, child


def _in_entry(exc: BadUserInput) -> BadUserInput:
    path = ".".join(camel_case(part) for part in exc.field.split("."))
    return BadUserInput(f"entry.{path}", exc.reason, suggestion=exc.suggestion)


def _stale(current: int) -> Conflict:
    return Conflict(
        f"this entry is at version {current} now", suggestion="read the e-file again and send the version you read"
    )
