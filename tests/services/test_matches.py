"""The matching use cases (``services.matches``, ``services.proposals``) with a unit of work: a found child's
candidates, a reviewed pair that resolves both cases once, and the record rule over a pair."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import BIHAR, POLICE, seed_catalogue
from tests.services.test_cases import missing
from tests.services.test_report_found import found
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.domain.errors import Conflict, NotFound
from trackchild_hub.services import cases, matches
from trackchild_hub.services.proposals import propose_for
from trackchild_hub.services.unit import Services, Unit
from trackchild_hub.store.models import CaseRow, MatchProposalRow


async def _pair(store: Services) -> tuple[CaseRow, CaseRow]:
    await seed_catalogue(store)
    lost = missing()
    lost.child.name, lost.child.age_years = "Raju", 10  # the child found in Patna
    async with Unit.opened(store, POLICE) as unit:
        return await cases.report_missing(unit, lost), await cases.report_found(unit, found())


async def test_candidates_list_the_other_side_with_its_stored_proposal(store: Services) -> None:
    lost, seen = await _pair(store)
    async with Unit.opened(store, POLICE) as unit:
        views = await matches.match_candidates(unit, lost.id, 5)
        assert store.matcher is not None
        record = (await store.matcher.index()).record(seen.id)
        assert record is not None
        described = await matches.find_matches(unit, record, frozenset({CaseKind.MISSING}), 5)
    assert [(v.pair_id, v.status) for v in views] == [(f"{lost.id}~{seen.id}", "PROPOSED")]
    assert views[0].row is not None
    assert [v.match.case_id for v in described] == [lost.id]


async def test_a_confirmed_pair_resolves_both_cases_once(store: Services) -> None:
    lost, seen = await _pair(store)
    pair = f"{lost.id}~{seen.id}"
    async with Unit.opened(store, POLICE) as unit:
        view = await matches.review_match(unit, pair, True, "reunited")
    assert view.status == "CONFIRMED"
    async with Unit.opened(store, POLICE) as unit:
        with pytest.raises(Conflict):
            await matches.review_match(unit, pair, False, None)
    async with store.sessions() as session:
        statuses = list(await session.scalars(select(CaseRow.status).order_by(CaseRow.kind)))
        proposal = await session.get(MatchProposalRow, pair)
    assert statuses == ["RESOLVED", "RESOLVED"]
    assert proposal is not None
    assert (proposal.status, proposal.reviewed_by, proposal.note) == ("CONFIRMED", "officer-1", "reunited")


async def test_a_pair_with_a_case_outside_the_callers_state_is_not_found(store: Services) -> None:
    lost, seen = await _pair(store)  # missing in West Bengal, found in Bihar
    bihar = Principal.for_agency(Agency.POLICE, subject="officer-br", state=BIHAR)
    async with Unit.opened(store, bihar) as unit:
        with pytest.raises(NotFound):
            await matches.review_match(unit, f"{lost.id}~{seen.id}", True, None)
    async with store.sessions() as session:
        proposal = await session.get(MatchProposalRow, f"{lost.id}~{seen.id}")
    assert proposal is not None
    assert proposal.status == "PROPOSED"


async def test_proposing_again_stores_each_pair_once(store: Services) -> None:
    lost, seen = await _pair(store)  # reporting proposed the pair already
    assert await propose_for(store, [lost.id, seen.id]) == 0
    async with store.sessions() as session:
        assert list(await session.scalars(select(MatchProposalRow.id))) == [f"{lost.id}~{seen.id}"]
