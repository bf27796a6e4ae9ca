"""A live record from a state system as the read model's records (``case_records``): never stored, never an ORM row.

Its values come from the same builders the writers use (``case_rows``), so a live case and the stored copy of the
same record carry the same values under the same names; the schema shows either through one type, and the list
filter (``domain.case_conditions``) tests either the same way. A live case also keeps its record's ``extra``, with
the codes the hub could not resolve (``extra["unresolved"]``), as a stored one does in its column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from ..domain.records import CaseData
from .case_records import (
    CareCaseRecord,
    ChildRecord,
    FoundCaseRecord,
    GuardianRecord,
    MissingCaseRecord,
    record_of,
)
from .case_rows import Rows, case_row, child_rows


@dataclass(frozen=True)
class LiveMissingCaseRecord(MissingCaseRecord):
    extra: dict[str, Any]


@dataclass(frozen=True)
class LiveFoundCaseRecord(FoundCaseRecord):
    extra: dict[str, Any]


@dataclass(frozen=True)
class LiveCareCaseRecord(CareCaseRecord):
    extra: dict[str, Any]


LiveCaseRecord = LiveMissingCaseRecord | LiveFoundCaseRecord | LiveCareCaseRecord
_LIVE: dict[str, type[LiveCaseRecord]] = {
    "MISSING": LiveMissingCaseRecord,
    "FOUND": LiveFoundCaseRecord,
    "CARE": LiveCareCaseRecord,
}


class LiveRecords(NamedTuple):
    """One live record: its case, its child, the child's guardians and aliases (a tuple: made for every record an
    answer holds, before the filter drops most)."""

    case: LiveCaseRecord
    child: ChildRecord
    guardians: list[GuardianRecord]
    aliases: list[str]


def live_records(
    case: CaseData, case_id: str, child_id: str, resolved: dict[str, Any], fetched_at: datetime
) -> LiveRecords:
    """``case`` (mapped and validated by its connector) under the ids the hub gives it, its references as
    ``resolved`` (district, police station and institution ids, the codes left unresolved)."""
    rows: Rows = {"children": [], "guardians": [], "aliases": []}
    child_rows(rows, child_id, case.child, case.event_date, fetched_at)
    values = case_row(case, case_id, child_id, case.reference or case.external_id or case_id, resolved, fetched_at)
    del values["case_id"]  # the detail tables' key: not a record's field
    record = record_of(_LIVE[values["kind"]], values)
    child = record_of(ChildRecord, rows["children"][0])
    guardians = [record_of(GuardianRecord, g) for g in rows["guardians"]]
    return LiveRecords(record, child, guardians, [a["alias"] for a in rows["aliases"]])


def with_references(record: LiveCaseRecord, case: CaseData, resolved: dict[str, Any]) -> LiveCaseRecord:
    """A copy of ``record`` with its reference columns as ``resolved`` gives them (the rest as it was built; copied
    as ``record_of`` builds, not through ``dataclasses.replace``'s ``__init__``)."""
    changes: dict[str, Any] = {
        "district_code": resolved["district_code"],
        "police_station_id": resolved["police_station_id"],
    }
    if resolved["unresolved"]:
        changes["extra"] = {**case.extra, "unresolved": resolved["unresolved"]}
    if not isinstance(record, LiveMissingCaseRecord):  # found and care cases name an institution
        changes["institution_id"] = resolved["institution_id"]
    changed: LiveCaseRecord = object.__new__(type(record))
    changed.__dict__.update(record.__dict__, **changes)
    return changed
