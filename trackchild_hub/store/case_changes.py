"""What bringing a stored case to its upstream's content changes: the fields the timeline names, and the rows to write.

The comparison the ORM path made attribute by attribute (``case_rows`` builds the wanted values, one source of truth
for what a case stores), made on plain values read set-based (``stored_cases``). The hub's own columns are never
overwritten: id, reference, child id, publication consent, closure reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.errors import BadUserInput
from ..domain.naming import camel_case
from ..domain.records import CaseData
from .case_rows import case_row, child_rows
from .stored_cases import GUARDIAN_COLUMNS, StoredCase

# Columns the upstream owns; everything else on the row is the hub's.
CASE_COLUMNS = (
    "status",
    "state_code",
    "district_code",
    "police_station_id",
    "place_text",
    "latitude",
    "longitude",
    "event_date",
    "reported_at",
    "extra",
    "fir_number",
    "fir_date",
    "last_seen_time",
    "circumstances",
    "reporter_name",
    "reporter_relation",
    "reporter_phone",
    "found_by",
    "found_by_contact",
    "current_placement",
    "institution_id",
    "missing_since",
    "admission_order_number",
    "admission_order_date",
    "admission_date",
    "exit_date",
)
CHILD_COLUMNS = (
    "name",
    "search_text",
    "gender",
    "age_years",
    "date_of_birth",
    "birth_estimate",
    "height_cm",
    "complexion",
    "identifying_marks",
    "languages",
    "clothing",
    "confidential",
)

_DERIVED = ("child.searchText", "child.birthEstimate")  # follow from the name and age; not news on the timeline


@dataclass(frozen=True, slots=True)
class CaseChange:
    case_id: str
    child_id: str
    kind: str
    version: int  # as read: the update applies only if no one else changed the case since (optimistic concurrency)
    fields: list[str]  # what the UPDATED event names; empty when only derived child columns moved
    case: dict[str, Any]  # the upstream-owned columns of the case and its kind's details, as wanted
    child: dict[str, Any] | None  # the child's upstream-owned columns and age_reported_on, when any changed
    guardians: list[dict[str, Any]] | None  # the child's guardians, when they changed
    aliases: list[dict[str, Any]] | None  # the child's aliases, when they changed


def case_change(stored: StoredCase, case: CaseData, resolved: dict[str, Any]) -> CaseChange | None:
    """What to write to bring ``stored`` to ``case`` (None: nothing); ``BadUserInput`` if the kind differs.

    Within a batch, the cases of one child share its ``StoredChild``: it is brought up to date here, so a later case
    of the same child compares with what the earlier one wrote (as the ORM's identity map did).
    """
    v = stored.values
    if v["kind"] != case.kind.value:
        raise BadUserInput("kind", f"the hub holds this record as {v['kind']}; a record's kind never changes")
    wanted = case_row(case, v["id"], v["child_id"], v["reference"], resolved, v["created_at"])
    changed = [camel_case(c) for c in CASE_COLUMNS if c in wanted and v[c] != wanted[c]]
    child = stored.child
    rows: dict[str, list[dict[str, Any]]] = {"children": [], "guardians": [], "aliases": []}
    child_rows(rows, v["child_id"], case.child, case.event_date, child.values["created_at"])
    new_child = rows["children"][0]
    changed += ["child." + camel_case(c) for c in CHILD_COLUMNS if child.values[c] != new_child[c]]
    guardians = [tuple(g[c] for c in GUARDIAN_COLUMNS) for g in rows["guardians"]]
    aliases = [(a["alias"],) for a in rows["aliases"]]
    guardians_changed, aliases_changed = guardians != child.guardians, aliases != child.aliases
    if guardians_changed:
        changed.append("child.guardians")
        child.guardians = guardians
    if aliases_changed:
        changed.append("child.aliases")
        child.aliases = aliases
    child_values: dict[str, Any] | None = None
    if any(c.startswith("child.") for c in changed):
        child_values = {c: new_child[c] for c in CHILD_COLUMNS} | {"age_reported_on": case.event_date}
        child.values.update(child_values)
    fields = [c for c in changed if c not in _DERIVED]
    if not fields and child_values is None:
        return None
    return CaseChange(
        v["id"],
        v["child_id"],
        v["kind"],
        v["version"],
        fields,
        {c: wanted.get(c) for c in CASE_COLUMNS},
        child_values,
        rows["guardians"] if guardians_changed else None,
        rows["aliases"] if aliases_changed else None,
    )
