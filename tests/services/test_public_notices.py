"""Publication consent and the public notices as use cases (``services.cases.update``,
``services.public_notices``): consent recorded on the timeline, the listing rule, text search, paging, bad filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import update as sql_update

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, POLICE, PUBLIC, WB, seed_catalogue, today
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseEventType, CaseKind, CaseStatus, Gender
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.records import (
    CareDetails,
    CaseData,
    CasePatch,
    ChildData,
    FirData,
    FoundDetails,
    MissingDetails,
    PlaceData,
)
from trackchild_hub.services.cases import admit, close, report, update
from trackchild_hub.services.public_notices import public_notices, warm_notice_search
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store.models import CaseEventRow, CaseRow, ChildRow
from trackchild_hub.store.pagination import Page
from trackchild_hub.store.public_notices import Notice, NoticeFilter, NoticeSearch

CWC = Principal.for_agency(Agency.CWC, subject="cwc-1")  # the police may not see a confidential child; a CWC may


def missing(name: str, *, district: str = HOWRAH, confidential: bool = False, days: int = 10) -> CaseData:
    seen = today() - timedelta(days=days)
    return CaseData(
        kind=CaseKind.MISSING,
        child=ChildData(gender=Gender.FEMALE, name=name, age_years=11, confidential=confidential),
        place=PlaceData(state=WB, district=district, police_station="PS-19-313-002", text="Howrah station"),
        event_date=seen,
        reported_at=datetime.now(UTC) - timedelta(days=days),
        missing=MissingDetails(fir=FirData(f"{days}/2026", seen)),
    )


def found(name: str) -> CaseData:
    return CaseData(
        kind=CaseKind.FOUND,
        child=ChildData(gender=Gender.MALE, name=name, age_years=7),
        place=PlaceData(state=BIHAR, district=PATNA, text="Patna Junction"),
        event_date=today() - timedelta(days=2),
        reported_at=datetime.now(UTC),
        found=FoundDetails(found_by="RPF Patna"),
    )


async def published(store: Services, case: CaseData) -> CaseRow:
    async with Unit.opened(store, CWC if case.child.confidential else POLICE) as unit:
        row = await report(unit, case)
        return await update(unit, row.id, CasePatch(version=row.version, publication_consent=True))


async def notices(store: Services, first: int = 20, after: str | None = None, **where: object) -> Page[Notice]:
    async with Unit.opened(store, PUBLIC) as unit:
        return await public_notices(unit, NoticeFilter(**where), first, after)  # type: ignore[arg-type]


def ids(page: Page[Notice]) -> list[str]:
    return [n.case_id for n in page.rows]


async def test_consent_is_recorded_with_who_and_when_and_withdrawal_removes_the_notice(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, POLICE) as unit:
        row = await report(unit, missing("Pooja Kumari"))
    assert ids(await notices(store)) == []  # reported, not consented
    before = datetime.now(UTC)
    async with Unit.opened(store, POLICE) as unit:
        row = await update(unit, row.id, CasePatch(version=row.version, publication_consent=True, note="family asked"))
    assert ids(await notices(store)) == ids(await notices(store, text="puja")) == [row.id]
    async with Unit.opened(store, POLICE) as unit:
        await update(unit, row.id, CasePatch(version=row.version, publication_consent=False))
    assert ids(await notices(store)) == ids(await notices(store, text="puja")) == []
    async with store.sessions() as session:
        events = list(
            await session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == row.id).order_by(CaseEventRow.id))
        )
    kinds = [(e.type, e.actor, e.data) for e in events]
    assert kinds == [
        (CaseEventType.REPORTED.value, "officer-1", {}),
        (CaseEventType.NOTICE_CONSENTED.value, "officer-1", {"publicationConsent": True}),
        (CaseEventType.NOTICE_WITHDRAWN.value, "officer-1", {"publicationConsent": False}),
    ]
    assert events[1].note == "family asked"
    assert all(e.at.replace(tzinfo=e.at.tzinfo or UTC) >= before - timedelta(seconds=1) for e in events[1:])


async def test_consent_as_it_stands_changes_nothing(store: Services) -> None:
    await seed_catalogue(store)
    row = await published(store, missing("Pooja"))
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(BadUserInput) as raised:
            await update(unit, row.id, CasePatch(version=row.version, publication_consent=True))
    assert raised.value.field == "input"


async def test_a_notice_shows_only_a_first_name_and_whom_to_call(store: Services) -> None:
    await seed_catalogue(store)
    lost = await published(store, missing("Pooja Kumari Singh"))
    child = await published(store, found("Raju Prasad"))
    page = await notices(store)
    by_id = {n.case_id: n for n in page.rows}
    shown = by_id[lost.id]
    assert (shown.first_name, shown.age_years, shown.gender, shown.district) == ("Pooja", 11, "FEMALE", HOWRAH)
    assert shown.contact is not None
    assert shown.contact.id == "PS-19-313-002"  # the case's own station
    assert by_id[child.id].first_name == "Raju"
    assert by_id[child.id].contact is None  # no police station or CWC covers Patna in this directory
    assert ids(page) == [child.id, lost.id]  # newest report first


async def test_confidential_children_closed_and_care_cases_are_never_listed(store: Services) -> None:
    await seed_catalogue(store)
    secret = await published(store, missing("Pooja Devi", confidential=True))
    shown = await published(store, missing("Pooja Rani"))
    closed = await published(store, missing("Pooja Das"))
    async with Unit.opened(store, POLICE) as unit:
        await close(unit, closed.id, closed.version, outcome=CaseStatus.RESOLVED, reason="traced")
        care = CaseData(
            kind=CaseKind.CARE,
            child=ChildData(gender=Gender.FEMALE, name="Pooja Care", age_years=12),
            place=PlaceData(state=WB, district=HOWRAH),
            event_date=today() - timedelta(days=3),
            reported_at=datetime.now(UTC),
            care=CareDetails(institution="WB/CCI/2020/0001", admission_order_number="CWC/1/2026"),
        )
        cared = await admit(unit, care)
        cared = await update(unit, cared.id, CasePatch(version=cared.version, publication_consent=True))
    assert ids(await notices(store)) == [shown.id]
    assert ids(await notices(store, text="Pooja")) == [shown.id]
    # A child made confidential after the index saw the notice: gone at once, text search included.
    async with store.sessions() as session, session.begin():
        await session.execute(sql_update(ChildRow).where(ChildRow.id == shown.child_id).values(confidential=True))
    assert ids(await notices(store, text="Pooja")) == ids(await notices(store)) == []
    del secret, cared


async def test_text_search_is_script_and_typo_tolerant(store: Services) -> None:
    await seed_catalogue(store)
    hindi = await published(store, missing("पूजा कुमारी", days=5))
    pooja = await published(store, missing("Pooja Kumari", days=6))
    puja = await published(store, missing("Puja", days=7))
    other = await published(store, missing("Rahul", days=8))
    everyone = {hindi.id, pooja.id, puja.id}
    for query in ("पूजा", "Puja", "Pooja", "poojaa", "POOJA"):
        assert set(ids(await notices(store, text=query))) == everyone, query
    assert ids(await notices(store, text="Rahul")) == [other.id]
    assert ids(await notices(store, text="Rahl")) == [other.id]  # a typo
    assert ids(await notices(store, text="Kumari")) == []  # only first names are searched: no surname leaks
    assert ids(await notices(store, text="Pooja", district=KOLKATA)) == []
    assert ids(await notices(store, text="Pooja", kinds=(CaseKind.FOUND,))) == []


async def test_the_text_index_is_built_when_the_hub_starts(store: Services) -> None:
    """`serve` builds the index at start (``warm_notice_search`` in app.py's lifespan), not the first search."""
    await seed_catalogue(store)
    shown = await published(store, missing("Pooja", days=5))
    fresh = replace(store, notice_search=NoticeSearch())
    assert not fresh.notice_search.built
    await warm_notice_search(fresh)
    assert fresh.notice_search.built
    assert ids(await notices(fresh, text="Puja")) == [shown.id]


async def test_pages_follow_each_other_with_and_without_text(store: Services) -> None:
    await seed_catalogue(store)
    made = [await published(store, missing("Pooja", days=d)) for d in range(1, 6)]
    for where in ({}, {"text": "Pooja"}):
        seen: list[str] = []
        after = None
        while True:
            page = await notices(store, 2, after, **where)
            seen += ids(page)
            if not page.has_next:
                break
            after = page.cursors[-1]
        assert seen == [r.id for r in made], where  # newest first, each once


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ({"state": "99"}, "filter.state"),
        ({"district": "9999"}, "filter.district"),
        ({"state": BIHAR, "district": HOWRAH}, "filter.district"),
        ({"kinds": (CaseKind.CARE,)}, "filter.kinds"),
        ({"text": "p" * 201}, "filter.text"),
    ],
)
async def test_bad_filters_name_the_field(store: Services, where: dict[str, object], field: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        await notices(store, **where)
    assert raised.value.field == field


@pytest.mark.parametrize("first", [0, 201])
async def test_first_is_bounded(store: Services, first: int) -> None:
    with pytest.raises(BadUserInput) as raised:
        await notices(store, first)
    assert raised.value.field == "first"
