"""Data-quality rules of the directories: what a DCPU or SCPS should fix first.

* entries not verified in the last 12 months (or never);
* entries without a phone number;
* districts without one of the bodies the JJ Act requires in every district (CWC, JJB, DCPU);
* police stations without a covering SJPU (none named, or the one named is retired or not an SJPU).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..domain.enums import DirectoryKind
from ..domain.geography import Geography

REQUIRED_PER_DISTRICT = (
    DirectoryKind.CHILD_WELFARE_COMMITTEE,
    DirectoryKind.JUVENILE_JUSTICE_BOARD,
    DirectoryKind.DISTRICT_CHILD_PROTECTION_UNIT,
)
STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the rules need of one active entry: no names, no numbers."""

    id: str
    kind: str
    state: str | None
    district: str | None
    has_phone: bool
    last_verified_on: date | None
    sjpu: str | None


@dataclass(frozen=True, slots=True)
class DistrictGap:
    district: str
    missing: tuple[DirectoryKind, ...]


@dataclass(slots=True)
class QualityReport:
    as_of: date
    entries: int = 0
    stale: list[str] = field(default_factory=list)
    without_phone: list[str] = field(default_factory=list)
    district_gaps: list[DistrictGap] = field(default_factory=list)
    stations_without_sjpu: list[str] = field(default_factory=list)


def quality_report(
    facts: Iterable[EntryFacts],
    geography: Geography,
    today: date,
    *,
    state: str | None = None,
    district: str | None = None,
) -> QualityReport:
    """The report for a jurisdiction (LGD codes; None = national). ``facts`` are every active entry: the covering
    SJPU a station names may sit outside the jurisdiction."""
    everything = list(facts)
    sjpus = {f.id for f in everything if f.kind == DirectoryKind.SPECIAL_JUVENILE_POLICE_UNIT.value}
    mine = [f for f in everything if _inside(f.state, f.district, state, district)]
    report = QualityReport(as_of=today, entries=len(mine))
    oldest_fresh = today - STALE_AFTER
    present: dict[str, set[str]] = {}
    for f in sorted(mine, key=lambda f: f.id):
        if f.last_verified_on is None or f.last_verified_on < oldest_fresh:
            report.stale.append(f.id)
        if not f.has_phone:
            report.without_phone.append(f.id)
        if f.kind == DirectoryKind.POLICE_STATION.value and f.sjpu not in sjpus:
            report.stations_without_sjpu.append(f.id)
        if f.district is not None:
            present.setdefault(f.district, set()).add(f.kind)
    for s in geography.states:
        if state is not None and s.code != state:
            continue
        for d in s.districts:
            if district is not None and d.code != district:
                continue
            missing = tuple(k for k in REQUIRED_PER_DISTRICT if k.value not in present.get(d.code, set()))
            if missing:
                report.district_gaps.append(DistrictGap(d.code, missing))
    return report


def _inside(entry_state: str | None, entry_district: str | None, state: str | None, district: str | None) -> bool:
    if state is not None and entry_state != state:
        return False
    return district is None or entry_district == district
