"""The demo institutions' own records: infrastructure (some with a second version), inspections with findings and
follow-ups, a few homes holding more children than their recorded capacity, and a few whose children's records went
quiet -- so ``institutionRecord``, ``overCapacityInstitutions`` and ``staleInstitutions`` show something under
``make run``. Deterministic for a seed; runs after the cases are imported (it reads occupancy)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from random import Random

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.institution_records import Infrastructure, Inspection, StaffPost
from ..store.institution_records import InstitutionRecordRepository
from ..store.institutions import InstitutionRepository
from ..store.models import CareCaseRow, CaseRow, InstitutionRow

ACTOR, AGENCY = "demo-dcpu", "dcpu"
_POSTS = (
    ("Superintendent", 1),
    ("Counsellor", 1),
    ("Probation Officer / Case Worker", 2),
    ("House Mother / House Father", 4),
    ("Paramedical Staff", 1),
    ("Cook", 2),
    ("Educator", 2),
    ("Chowkidar", 2),
)
_BODIES = (
    "District Inspection Committee (JJ Act s.54)",
    "Child Welfare Committee",
    "District Child Protection Unit",
    "District Legal Services Authority",
    "State Commission for Protection of Child Rights",
)
_FINDINGS = (
    ("No adverse findings. Registers up to date.", None),
    ("Grievance box not installed in the girls' wing.", "Install a grievance box and record its weekly opening"),
    ("Two dormitories above the floor-space norm.", "Shift children to the annexe; request sanction for a dormitory"),
    ("Individual Care Plans missing for four children.", "Prepare the care plans with the case worker"),
    ("Medical check-ups overdue for the newest admissions.", "Arrange check-ups at the district hospital"),
    ("CCTV not covering the entrance.", "Move one camera to the entrance"),
)
OVER_CAPACITY_HOMES = 2  # the first homes with children get a recorded capacity below their occupancy
QUIET_HOMES = 3  # and the next ones children whose records were last touched long ago
QUIET_DAYS = 45


def _infrastructure(rng: Random, capacity: int) -> Infrastructure:
    staff = [StaffPost(post, n, max(0, n - (rng.random() < 0.3))) for post, n in _POSTS]
    return Infrastructure(
        capacity=capacity,
        dormitories=max(1, capacity // 12),
        toilets=max(2, capacity // 8),
        classrooms=max(1, capacity // 30),
        medical_room=rng.random() < 0.8,
        kitchen=True,
        cctv_cameras=rng.choice((0, 2, 4, 6, 8)),
        staff=staff,
    )


def _inspection(rng: Random, today: date) -> Inspection:
    on = today - timedelta(days=rng.randrange(10, 300))
    findings, follow_up = rng.choice(_FINDINGS)
    due = on + timedelta(days=30) if follow_up else None
    return Inspection(on, rng.choice(_BODIES), findings, follow_up, due)


async def seed_institution_records(sessions: async_sessionmaker[AsyncSession], today: date, *, seed: int) -> None:
    rng = Random(seed * 14)
    async with sessions() as session, session.begin():
        homes = list(await session.scalars(select(InstitutionRow).order_by(InstitutionRow.registration_number)))
        occupancy = await InstitutionRepository(session).occupancy([h.id for h in homes])
        records = InstitutionRecordRepository(session)
        occupied = [h for h in homes if occupancy[h.id] > 2]
        over = {h.id for h in occupied[:OVER_CAPACITY_HOMES]}
        quiet = [h.id for h in occupied[OVER_CAPACITY_HOMES : OVER_CAPACITY_HOMES + QUIET_HOMES]]
        for n, home in enumerate(homes):
            capacity = occupancy[home.id] - 2 if home.id in over else home.capacity
            value = _infrastructure(rng, capacity)
            await records.set_infrastructure(home, 0, value, actor=ACTOR, agency=AGENCY)
            if n % 4 == 0:  # a second version: cameras installed after an inspection
                value.cctv_cameras += 4
                await records.set_infrastructure(home, 1, value, actor=ACTOR, agency=AGENCY)
            for _ in range(rng.randrange(1, 3)):
                await records.record_inspection(home.id, _inspection(rng, today), actor=ACTOR, agency=AGENCY)
        long_ago = datetime.combine(today - timedelta(days=QUIET_DAYS), time(12), tzinfo=UTC)
        in_quiet_homes = select(CareCaseRow.case_id).where(CareCaseRow.institution_id.in_(quiet))
        await session.execute(update(CaseRow).where(CaseRow.id.in_(in_quiet_homes)).values(updated_at=long_ago))
