"""The public notices' text index follows the store (``store.public_notices.NoticeSearch``): writes after its
position are applied at the next search, and a version committed late, stamped behind that position, is found by
the re-check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import POLICE, PUBLIC, seed_catalogue
from tests.services.test_public_notices import missing, published
from trackchild_hub.domain.records import CasePatch
from trackchild_hub.services.cases import update as update_case
from trackchild_hub.services.public_notices import public_notices
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store import public_notices as store_notices
from trackchild_hub.store.models import CaseRow
from trackchild_hub.store.public_notices import NoticeFilter, NoticeSearch


async def found(store: Services, text: str) -> set[str]:
    async with Unit.opened(store, PUBLIC) as unit:
        page = await public_notices(unit, NoticeFilter(text=text), 50, None)
    return {n.case_id for n in page.rows}


async def test_writes_after_the_index_position_reach_the_next_search(store: Services) -> None:
    await seed_catalogue(store)
    object.__setattr__(store, "notice_search", NoticeSearch())
    first = await published(store, missing("Pooja"))
    assert await found(store, "Pooja") == {first.id}
    second = await published(store, missing("Puja"))
    assert await found(store, "Pooja") == {first.id, second.id}
    async with Unit.opened(store, POLICE) as unit:
        await update_case(unit, first.id, CasePatch(version=first.version, publication_consent=False))
    assert await found(store, "Pooja") == {second.id}


async def test_a_late_commit_behind_the_position_is_found_by_the_recheck(
    store: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_catalogue(store)
    search = NoticeSearch()
    object.__setattr__(store, "notice_search", search)
    monkeypatch.setattr(store_notices, "RECHECK_S", 3600.0)  # no re-check unless the test says so
    first = await published(store, missing("Pooja"))
    assert await found(store, "Pooja") == {first.id}
    late = await published(store, missing("Puja"))
    async with store.sessions() as session, session.begin():
        stamp = await session.scalar(select(CaseRow.updated_at).where(CaseRow.id == first.id))
        assert stamp is not None
        # As if its transaction had stamped it before the first case's and committed after the index read past it.
        await session.execute(
            update(CaseRow.__table__).where(CaseRow.id == late.id).values(updated_at=stamp - timedelta(seconds=5))
        )  # type: ignore[arg-type]
    assert await found(store, "Pooja") == {first.id}  # behind the position: the catch-up cannot see it
    monkeypatch.setattr(store_notices, "RECHECK_S", 0.0)
    assert await found(store, "Pooja") == {first.id, late.id}
