"""Upserting records from a connector's change feed by (``source``, ``external_id``).

A record seen for the first time is created (event SYNCED) through the bulk path (``bulk_cases``: COPY on
PostgreSQL); one the hub already holds is brought to the upstream's content (event UPDATED naming the fields that
changed, version bumped, ``updated_at`` moved) or left alone, nothing written, when nothing changed. Updates are
set-based too: the stored cases are read with a few statements per batch (``stored_cases``), compared in memory
(``case_changes``) and the changed ones written at once (``bulk_updates``: COPY into a staging table and
``UPDATE ... FROM`` on PostgreSQL). The hub's own columns are never overwritten: id, reference, child id,
publication consent, closure reason. Unknown station or institution codes are kept aside, not refused
(``References``, lenient). The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.records import CaseData
from .bulk_cases import create_cases_in_bulk
from .bulk_updates import update_rows, update_target
from .case_changes import CaseChange, case_change
from .case_references import References
from .models.base import utcnow
from .stored_cases import stored_cases


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[tuple[str, BadUserInput], ...] = ()  # (external id, why)
    written: dict[str, int] = field(default_factory=dict)  # rows created or changed per table (for ANALYZE)
    case_ids: tuple[str, ...] = ()  # the cases created or changed (to be matched)
    created_ids: tuple[str, ...] = ()  # the cases created (new to the hub: alerted when recent missing cases)


async def upsert_cases(
    session: AsyncSession, cases: Sequence[CaseData], geography: Geography, *, actor: str
) -> SyncOutcome:
    latest: dict[tuple[str, str], CaseData] = {}
    for case in cases:  # a feed may list a record twice (changed meanwhile): the later listing wins
        assert case.external_id is not None, "synced records always carry their upstream id"
        latest[(case.source, case.external_id)] = case
    existing = await stored_cases(session, list(latest))
    fresh = [c for k, c in latest.items() if k not in existing]
    rejected: list[tuple[str, BadUserInput]] = []
    outcomes, new_rows = await create_cases_in_bulk(
        session, fresh, geography, event=CaseEventType.SYNCED, actor=actor, lenient=True
    )
    for case, outcome in zip(fresh, outcomes, strict=True):
        if outcome.error is not None:
            rejected.append((case.external_id or "", outcome.error))
    references = await References.load(session, [latest[k] for k in existing])
    changes: list[CaseChange] = []
    updated = unchanged = 0
    for key, stored in existing.items():
        case = latest[key]
        try:
            change = case_change(stored, case, references.resolve(case, lenient=True))
        except BadUserInput as exc:
            rejected.append((key[1], exc))
            continue
        if change is not None:
            changes.append(change)
        if change is not None and change.fields:
            updated += 1
        else:
            unchanged += 1
    if changes:
        await (await update_target(session)).update(update_rows(changes, now=utcnow(), actor=actor))
    written = {table: len(rows) for table, rows in new_rows.by_table.items()}
    written["cases"] = written.get("cases", 0) + updated
    case_ids = tuple([o.case_id for o in outcomes if o.created and o.case_id] + [c.case_id for c in changes])
    created_ids = tuple(o.case_id for o in outcomes if o.created and o.case_id)
    created = sum(o.created for o in outcomes)
    return SyncOutcome(created, updated, unchanged, tuple(rejected), written, case_ids, created_ids)
