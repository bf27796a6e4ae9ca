"""Seeds the deterministic demo picture into an empty store (``serve --demo`` on first start)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.geography import Geography
from ..domain.photos import PhotoShelf
from ..domain.workflow_rules import WorkflowRule
from ..imports.cases import ImportReport, import_cases
from ..store.catalogue_writer import add_directory_entries, add_institutions
from ..store.models import CaseRow, DirectoryEntryRow
from ..store.workflow_job import escalate_batch, window_end
from .care_seed import seed_care_files
from .demo import workflow as demo_workflow
from .demo.generator import generate_demo
from .institution_seed import seed_institution_records
from .photo_seed import seed_demo_photos
from .progress_seed import seed_progress_financials

DEMO_TODAY = date(2026, 11, 1)  # fixed, so every machine seeds the same picture


async def seed_demo(
    sessions: async_sessionmaker[AsyncSession],
    geography: Geography,
    *,
    seed: int = 2026,
    cases: int = 2000,
    photos: PhotoShelf | None = None,
) -> ImportReport | None:
    """Seed once; returns None when the store already holds cases or directory entries. With ``photos`` (the hub's
    photo store) a few notices get placeholder photos."""
    async with sessions() as session:
        existing = await session.scalar(select(func.count()).select_from(CaseRow))
        existing = existing or await session.scalar(select(func.count()).select_from(DirectoryEntryRow))
    if existing:
        return None
    data = generate_demo(geography, seed=seed, today=DEMO_TODAY, cases=cases)
    async with sessions() as session, session.begin():
        await add_institutions(session, data.institutions)
        await add_directory_entries(session, data.directory, verified_on=DEMO_TODAY)
    lines = (json.dumps(record) for record in data.cases)
    report = await import_cases(sessions, lines, geography, DEMO_TODAY, actor="demo-seed")
    await _overdue_ahtu_cases(sessions, DEMO_TODAY)  # a few AHTU progress reports overdue
    await seed_institution_records(sessions, DEMO_TODAY, seed=seed)  # infrastructure, inspections, stale, over
    await seed_care_files(sessions, geography, data.cases, seed=seed, today=DEMO_TODAY)  # e-files of children in care
    await seed_progress_financials(sessions, DEMO_TODAY, seed=seed)  # Mission Vatsalya financial statements
    if photos is not None:
        await seed_demo_photos(sessions, photos, seed=seed)  # placeholder photos on a few public notices
    return report


async def _overdue_ahtu_cases(sessions: async_sessionmaker[AsyncSession], today: date) -> int:
    """Escalate the oldest few untraced cases as the workflow job would have done five months before ``today``."""
    back = demo_workflow.escalated_on(today)
    async with sessions() as session, session.begin():
        last = await window_end(session, back, None, demo_workflow.OVERDUE_CASES)
        at = datetime.combine(back, time(9, 0), UTC)
        rule, cases = WorkflowRule.ESCALATE_UNTRACED, demo_workflow.OVERDUE_CASES
        done = await escalate_batch(session, rule, back, at, "demo-seed", cases, (None, last))
    return done.changed
