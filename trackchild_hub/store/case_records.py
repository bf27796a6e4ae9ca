"""The case page's read model: plain frozen records read from Core rows, not ORM objects.

A page of cases is only shown, never changed, so it needs no identity map, no change tracking and no lazy loading:
building ORM objects for the nested page (50 cases, their children, stations, institutions) cost about a third more
CPU than reading the same statement as rows. Each record carries the columns of its table under the ORM attribute's
name, so whatever reads a row's attributes to show it (``schema``'s ``of`` builders) reads a record alike; what
writes goes on reading ORM rows through its repository.

A live record from a state system is held as the same records (``live_records``), so one schema type shows both.
Case, child and guardian records keep a ``__dict__`` (no slots): a live record is built from the writers' dicts
straight into it (``record_of``), and its values compare as a whole with ``vars``, as its transient row's did.

``columns(Record)`` is the statement's column list for a record, in field order, so a record is built positionally
from its slice of a result row (``Record(*row[a:b])``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Column, Table

from .models import (
    CareCaseRow,
    CaseRow,
    ChildRow,
    DirectoryEntryRow,
    FoundCaseRow,
    GuardianRow,
    InstitutionRow,
    MissingCaseRow,
)


@dataclass(frozen=True)
class CaseRecord:
    id: str
    kind: str
    reference: str
    status: str
    version: int
    child_id: str
    source: str
    external_id: str
    state_code: str
    district_code: str | None
    police_station_id: str | None
    place_text: str | None
    latitude: float | None
    longitude: float | None
    event_date: date
    reported_at: datetime
    closure_reason: str | None
    publication_consent: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class MissingCaseRecord(CaseRecord):
    fir_number: str
    fir_date: date
    last_seen_time: str | None
    circumstances: str | None
    reporter_name: str | None
    reporter_relation: str | None
    reporter_phone: str | None


@dataclass(frozen=True)
class FoundCaseRecord(CaseRecord):
    found_by: str | None
    found_by_contact: str | None
    current_placement: str | None
    institution_id: str | None
    missing_since: date | None


@dataclass(frozen=True)
class CareCaseRecord(CaseRecord):
    institution_id: str | None
    admission_order_number: str | None
    admission_order_date: date | None
    admission_date: date
    exit_date: date | None


@dataclass(frozen=True)
class ChildRecord:
    id: str
    name: str | None
    search_text: str
    gender: str
    age_years: int | None
    age_reported_on: date
    date_of_birth: date | None
    birth_estimate: date | None
    height_cm: int | None
    complexion: str | None
    identifying_marks: list[str]
    languages: list[str]
    clothing: str | None
    confidential: bool
    created_at: datetime


@dataclass(frozen=True)
class GuardianRecord:
    child_id: str
    position: int
    relation: str
    name: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class DirectoryEntryRecord:
    id: str
    kind: str
    name: str
    search_text: str
    code: str | None
    state_code: str | None
    district_code: str | None
    address: str | None
    pin_code: str | None
    latitude: float | None
    longitude: float | None
    phones: list[str]
    email: str | None
    hours: str | None
    languages: list[str]
    institution_id: str | None
    sjpu_id: str | None
    ahtu_id: str | None
    last_verified_on: date | None
    retired_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class InstitutionRecord:
    id: str
    registration_number: str
    name: str
    type: str
    run_by: str
    gender_served: str
    capacity: int
    address: str | None
    state_code: str
    district_code: str | None
    pin_code: str | None
    phone: str | None
    email: str | None
    latitude: float | None
    longitude: float | None
    created_at: datetime


# A case's kind details, after the common columns: the record class, its table and the detail fields.
_KIND_TABLES: dict[type[Any], type[Any]] = {
    MissingCaseRecord: MissingCaseRow,
    FoundCaseRecord: FoundCaseRow,
    CareCaseRecord: CareCaseRow,
}
_TABLES: dict[type[Any], type[Any]] = {
    CaseRecord: CaseRow,
    ChildRecord: ChildRow,
    DirectoryEntryRecord: DirectoryEntryRow,
    InstitutionRecord: InstitutionRow,
}
COMMON = [f.name for f in fields(CaseRecord)]


def table_of(orm: type[Any]) -> Table:
    table = orm.__table__
    assert isinstance(table, Table)
    return table


def columns(record: type[Any]) -> list[Column[Any]]:
    """The columns a record is read from, in its field order (a kind's: its detail columns only)."""
    if record in _KIND_TABLES:
        table = table_of(_KIND_TABLES[record])
        return [table.c[f.name] for f in fields(record) if f.name not in COMMON]
    table = table_of(_TABLES[record])
    return [table.c[f.name] for f in fields(record)]


KIND_RECORDS: dict[str, type[CaseRecord]] = {
    "MISSING": MissingCaseRecord,
    "FOUND": FoundCaseRecord,
    "CARE": CareCaseRecord,
}

# What the request's loaders hand the schema: a row of the store, or a record (of a page read as rows, or of a live
# record from a state system, which is never an ORM row).
CaseShown = CaseRow | CaseRecord
ChildShown = ChildRow | ChildRecord
GuardianShown = GuardianRow | GuardianRecord

R = TypeVar("R")


def record_of(cls: type[R], values: dict[str, Any]) -> R:
    """A record of ``cls`` (a dataclass with a ``__dict__``) whose ``__dict__`` is ``values``, which must hold exactly
    its fields and is the record's from now on (as SQLAlchemy loads a row). A frozen dataclass's ``__init__`` sets
    each field through ``object.__setattr__``: about 25 times the cost of a ``SimpleNamespace`` for a live case's 28
    fields, which made turning a system's answer into records half as slow again."""
    record: R = object.__new__(cls)
    object.__setattr__(record, "__dict__", values)  # past the frozen dataclass's __setattr__
    return record
