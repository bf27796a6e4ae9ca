"""Writes the demo's e-files (``demo.care_files``) for the CARE cases just seeded: each section checked as the API
checks it (``domain.care_entries.validated``), each version a row as ``addCareEntry`` writes it, dated when the CCI
would have written it. One transaction; run once, right after the demo's cases are imported.

The demo makes a few homes quiet by back-dating their children's cases (``institution_seed``: what
``staleInstitutions`` shows); their files stop there too, so nothing is recorded after a case's last update.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.care_entries import validated
from ..domain.geography import Geography
from ..store.models import CaseRow
from ..store.models.base import new_id
from ..store.models.care import CareEntryRow
from .demo.care_files import care_files


async def seed_care_files(
    sessions: async_sessionmaker[AsyncSession],
    geography: Geography,
    records: Iterable[dict[str, Any]],
    *,
    seed: int,
    today: date,
) -> int:
    """Write the e-files of the demo's CARE records; returns the number of versions written."""
    async with sessions() as session, session.begin():
        query = select(CaseRow.external_id, CaseRow.id, CaseRow.updated_at).where(
            CaseRow.source == "demo", CaseRow.kind == "CARE"
        )
        cases = {external_id: (case_id, updated) for external_id, case_id, updated in await session.execute(query)}
        rows: list[dict[str, Any]] = []
        for external_id, entries in care_files(records, seed=seed, today=today):
            if external_id not in cases:
                continue
            case_id, updated = cases[external_id]
            written: list[dict[str, Any]] = []
            for entry in entries:
                recorded_at = datetime.combine(entry.recorded_on, time(11, 0), tzinfo=UTC)
                if recorded_at > updated:
                    break  # a quiet home's child: nothing recorded since (entries come in the order written)
                data = validated(entry.section, today, geography)
                previous = written[entry.corrects] if entry.corrects is not None else None
                entry_id = previous["entry_id"] if previous else new_id()
                written.append(
                    {
                        "id": entry_id if previous is None else new_id(),
                        "entry_id": entry_id,
                        "version": previous["version"] + 1 if previous else 1,
                        "case_id": case_id,
                        "kind": data.kind.value,
                        "occurred_on": data.occurred_on,
                        "due_on": data.due_on,
                        "payload": data.payload,
                        "recorded_by": entry.recorded_by,
                        "recorded_agency": entry.recorded_by.split(":", 1)[0],
                        "recorded_at": recorded_at,
                    }
                )
            rows += written
        if rows:  # one executemany, not an ORM object per version
            await session.execute(insert(CareEntryRow), rows)
    return len(rows)
