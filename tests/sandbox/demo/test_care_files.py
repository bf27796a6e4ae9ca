"""The seeded demo holds e-files for its children in care (what `make run` shows): every CARE case has its admission
order, check-ups carry WHO growth flags, some histories hold corrected versions, and overdue reviews and follow-ups
are listed; the homes the demo made quiet stay quiet."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import data, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.institution_seed import QUIET_DAYS
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.store.models import CaseRow
from trackchild_hub.store.models.care import CareEntryRow

NATIONAL_CWC = Principal.for_agency(Agency.CWC, subject="cwc-1")  # national, and may see confidential children
FILE = """query($case: ID!) { careFile(caseId: $case) {
  admissions { orderNumber } healthCheckups { growth { stunted underweight } } reviews { overdue }
  entries { entryId version } } }"""
STALE = "query { staleInstitutions(days: 30, first: 50) { edges { node { daysSinceUpdate } } } }"


async def test_the_seeded_demo_holds_e_files_for_its_children_in_care(store: Services) -> None:
    assert await seed_demo(store.sessions, store.geography, cases=600) is not None
    async with store.sessions() as session:
        rows = (await session.execute(select(CaseRow.id, CaseRow.event_date, CaseRow.updated_at))).all()
        # A quiet home's child admitted after their case was back-dated has no file (nothing recorded since).
        care_cases = {i for i, admitted, updated in rows if updated.date() >= admitted}
        care_cases &= set((await session.scalars(select(CaseRow.id).where(CaseRow.kind == "CARE"))).all())
        with_files = set((await session.scalars(select(func.distinct(CareEntryRow.case_id)))).all())
        corrected = await session.scalar(select(func.count()).where(CareEntryRow.version > 1))
        admissions = await session.scalar(select(func.count()).where(CareEntryRow.kind == "ADMISSION"))
    assert care_cases
    assert with_files == care_cases
    assert admissions == len(care_cases)
    assert corrected
    flags = []
    for case_id in sorted(care_cases)[:40]:
        file = data(await run(store, FILE, {"case": case_id}, NATIONAL_CWC))["careFile"]
        assert file["admissions"][0]["orderNumber"].startswith("CWC/")
        flags += [c["growth"]["stunted"] for c in file["healthCheckups"] if c["growth"]]
    assert True in flags
    assert False in flags
    reviews = data(
        await run(store, "{ overdueCareReviews(first: 200) { edges { node { daysOverdue } } } }", None, NATIONAL_CWC)
    )
    assert reviews["overdueCareReviews"]["edges"]
    follow_ups = data(await run(store, "{ overdueCareFollowUps { edges { node { month } } } }", None, NATIONAL_CWC))
    assert follow_ups["overdueCareFollowUps"]["edges"]
    stale = data(await run(store, STALE, None, NATIONAL_CWC))["staleInstitutions"]["edges"]
    assert any(e["node"]["daysSinceUpdate"] >= QUIET_DAYS for e in stale)
