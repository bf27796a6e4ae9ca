"""Creating many cases at database speed: the path of ``import cases`` and of sync's new records.

The same outcomes as ``case_writer.create_cases`` (created, already present by ``source`` + ``external_id``, or an
error naming the field; a key repeated within the batch is an error for the repeats), the same stored rows and the
same first timeline event, written through ``BulkTarget``: one set-based lookup of the keys, the references resolved
in memory and numbered with one counter statement (``bulk_references``), then ``COPY`` (PostgreSQL) or one raw
``executemany`` per table (SQLite). The caller owns the transaction; ``ConcurrentWriteError`` means a concurrent
writer took a key, and the batch is to be redone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseEventType
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.records import CaseData
from .bulk_references import reference_numbers_in_bulk
from .bulk_rows import NewCase, NewRows, new_rows
from .bulk_target import Key, bulk_target
from .case_references import References
from .case_writer import WriteOutcome
from .models.base import new_id, utcnow


async def create_cases_in_bulk(
    session: AsyncSession,
    cases: Sequence[CaseData],
    geography: Geography,
    *,
    event: CaseEventType,
    actor: str | None,
    lenient: bool = False,
) -> tuple[list[WriteOutcome], NewRows]:
    """Outcomes in input order, and the rows written (their counts tell how much of each table changed)."""
    target = await bulk_target(session)
    outcomes = [WriteOutcome() for _ in cases]
    keys: dict[Key, int] = {}
    for i, case in enumerate(cases):
        if case.external_id is None:
            continue
        key = (case.source, case.external_id)
        if key not in keys:
            keys[key] = i
    existing = await target.existing(list(keys))
    for i, case in enumerate(cases):
        if case.external_id is None:
            continue
        key = (case.source, case.external_id)
        stored = existing.get(key)
        if stored is not None:
            outcomes[i].case_id, outcomes[i].reference = stored
        elif keys[key] != i:
            outcomes[i].error = BadUserInput(
                "external_id", f"{case.external_id!r} repeats an earlier record of the same batch"
            )
    fresh = [i for i, o in enumerate(outcomes) if o.case_id is None and o.error is None]
    references = await References.load(session, [cases[i] for i in fresh])
    pending: list[tuple[int, dict[str, object]]] = []
    for i in fresh:
        try:
            pending.append((i, references.resolve(cases[i], lenient=lenient)))
        except BadUserInput as exc:
            outcomes[i].error = exc
    if not pending:
        return outcomes, NewRows()
    numbers = await reference_numbers_in_bulk(session, [cases[i] for i, _ in pending], geography)
    new: list[NewCase] = []
    for (i, resolved), reference in zip(pending, numbers, strict=True):
        case = cases[i]
        new.append(NewCase(case, new_id(), case.child_id or new_id(), reference, resolved))
        outcomes[i] = WriteOutcome(case_id=new[-1].case_id, reference=reference, created=True)
    rows = new_rows(new, now=utcnow(), event=event.value, actor=actor)
    await target.insert_new(rows)
    return outcomes, rows
