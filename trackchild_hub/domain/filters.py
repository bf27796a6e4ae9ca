"""What a caller may filter lists by; plain values, checked before any query runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .age import check_age_years
from .enums import CaseKind, CaseStatus, DirectoryKind, Gender
from .errors import BadUserInput

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class RecordScope:
    """The records a caller may see: a jurisdiction (LGD codes; None = national) and whether confidential children
    (in conflict with law, POCSO victims) are among them. The default sees everything: for the hub's own jobs."""

    state: str | None = None
    district: str | None = None
    confidential: bool = True

    def admits(self, state: str | None, district: str | None, confidential: bool) -> bool:
        if confidential and not self.confidential:
            return False
        if self.state is not None and state != self.state:
            return False
        return self.district is None or district == self.district


@dataclass(frozen=True, slots=True)
class CaseFilter:
    kinds: tuple[CaseKind, ...] = ()
    statuses: tuple[CaseStatus, ...] = ()
    state: str | None = None
    district: str | None = None
    police_station: str | None = None
    institution: str | None = None
    gender: Gender | None = None
    min_age: int | None = None
    max_age: int | None = None
    event_from: date | None = None
    event_to: date | None = None
    name: str | None = None
    # What the caller may see at all (set by the access layer, never by the caller).
    scope: RecordScope = field(default_factory=lambda: RecordScope())

    def check(self) -> None:
        check_age_years("filter.minAge", self.min_age)
        check_age_years("filter.maxAge", self.max_age)
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise BadUserInput("filter.minAge", "is greater than maxAge")
        if self.event_from and self.event_to and self.event_from > self.event_to:
            raise BadUserInput("filter.eventFrom", "is after eventTo")
        if self.name is not None and len(self.name.strip()) < 2:
            raise BadUserInput("filter.name", "needs at least two characters")


@dataclass(frozen=True, slots=True)
class InstitutionFilter:
    state: str | None = None
    district: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    kinds: tuple[DirectoryKind, ...] = ()
    state: str | None = None
    district: str | None = None
    pin_code: str | None = None
    text: str | None = None


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput("first", f"{first} is outside 1-{MAX_PAGE}")
    return first
