"""The demo seeds confidential children, so trying it shows who may see them (CWC, JJB, DCPU) and who may not."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.factories import error_codes, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.demo.confidential import CONFLICT_WITH_LAW_HOMES, POCSO_VICTIMS
from trackchild_hub.sandbox.demo.generator import generate_demo
from trackchild_hub.sandbox.seed import DEMO_TODAY, seed_demo
from trackchild_hub.store.models import CaseRow, ChildRow

CASE = """query($r: String!) { case(reference: $r) { reference ... on CareCase { child { name confidential } }
  ... on FoundCase { child { name confidential } } } }"""
CARE_CASES = """query($s: String!) { cases(first: 100, filter: {kinds: [CARE, FOUND], state: $s}) {
  edges { node { reference
    ... on CareCase { child { confidential } } ... on FoundCase { child { confidential } } } } } }"""


def confidential(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in cases if c["child"].get("confidential")]


def test_children_in_conflict_with_law_and_a_few_pocso_victims_are_confidential() -> None:
    demo = generate_demo(load_geography(), today=DEMO_TODAY)
    homes = {h["registration_number"] for h in demo.institutions if h["type"] in CONFLICT_WITH_LAW_HOMES}
    in_homes = [c for c in demo.cases if c["kind"] == "CARE" and c["care"]["institution"] in homes]
    assert len(in_homes) >= 5
    marked = confidential(demo.cases)
    assert all(c["child"].get("confidential") for c in in_homes)
    victims = [c for c in marked if c not in in_homes]
    assert len(victims) == POCSO_VICTIMS
    assert all(c["kind"] == "FOUND" and c["child"]["gender"] == "FEMALE" for c in victims)
    assert all(12 <= c["child"]["age_years"] <= 17 and "demo_truth" not in c for c in victims)
    again = generate_demo(load_geography(), today=DEMO_TODAY)
    assert [c["external_id"] for c in confidential(again.cases)] == [c["external_id"] for c in marked]


async def test_the_seeded_demo_shows_confidential_children_to_cwc_jjb_dcpu_only(store: Services) -> None:
    report = await seed_demo(store.sessions, store.geography, cases=600)
    assert report is not None
    assert not report.errors
    async with store.sessions() as session:
        rows = (
            await session.execute(
                select(CaseRow.reference, CaseRow.state_code)
                .join(ChildRow, ChildRow.id == CaseRow.child_id)
                .where(ChildRow.confidential.is_(True))
            )
        ).all()
    assert len(rows) >= 3, rows
    reference, state = rows[0]

    for agency in (Agency.CWC, Agency.JJB, Agency.DCPU):
        who = Principal.for_agency(agency, subject=f"{agency.value}-1")
        seen = (await run(store, CASE, {"r": reference}, principal=who)).data
        assert seen is not None
        assert seen["case"]["child"]["confidential"] is True, agency
        assert seen["case"]["child"]["name"], agency
        listed = (await run(store, CARE_CASES, {"s": state}, principal=who)).data
        assert listed is not None
        assert any((e["node"].get("child") or {}).get("confidential") for e in listed["cases"]["edges"]), agency

    missing = await run(store, CASE, {"r": "XX-2000-999999"}, principal=Principal.for_agency(Agency.POLICE))
    for agency in (Agency.POLICE, Agency.CPSU, Agency.CCI, Agency.NGO):
        who = Principal.for_agency(agency, subject=f"{agency.value}-1")
        hidden = await run(store, CASE, {"r": reference}, principal=who)
        assert hidden.data == {"case": None}, agency
        assert error_codes(hidden) == error_codes(missing) == [("NOT_FOUND", None)], agency
        listed = (await run(store, CARE_CASES, {"s": state}, principal=who)).data
        assert listed is not None
        assert not any((e["node"].get("child") or {}).get("confidential") for e in listed["cases"]["edges"]), agency
