"""A report naming no language is weighed by how often its state's reports share one with the child
(``matching/spoken.py``): through findMatches (a found child's description), through matchCandidates (the report's
own candidates, the same weight from its side) and masked, in words without the share."""

from __future__ import annotations

from typing import Any

from tests.factories import BIHAR, HOWRAH, PATNA, WB, data, found_input, missing_input, run, seed_catalogue
from tests.schema.test_matches import FIND, description
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services

REPORT_MISSING = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }"
REPORT_FOUND = "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }"
CANDIDATES = "query ($id: ID!) { matchCandidates(caseId: $id) { case { id } factors { field weight detail } } }"
BENGAL = {"state": WB, "district": HOWRAH, "text": "Howrah station"}
BIHAR_PLACE = {"state": BIHAR, "district": PATNA, "text": "Patna Junction"}
NAMES = ("Anita", "Sunita", "Rekha", "Kavita", "Mamta", "Pinki", "Rani", "Sita", "Gita", "Lata", "Asha", "Usha")
BIHAR_OFFICER = Principal.for_agency(Agency.POLICE, subject="br-1", state=BIHAR)


async def report(store: Services, name: str, place: dict[str, Any], languages: list[str]) -> str:
    child = {"name": name, "gender": "FEMALE", "ageYears": 10, "guardians": [], "languages": languages}
    result = await run(store, REPORT_MISSING, {"i": missing_input(child=child, place=place)})
    case_id: str = data(result)["reportMissing"]["id"]
    return case_id


def languages_of(found: list[dict[str, Any]], case_id: str) -> dict[str, Any]:
    match = next(m for m in found if m["case"] and m["case"]["id"] == case_id)
    factor: dict[str, Any] = next(f for f in match["factors"] if f["field"] == "languages")
    return factor


async def test_a_report_naming_no_language_is_weighed_by_its_states_reports(store: Services) -> None:
    await seed_catalogue(store)
    for name in NAMES:  # West Bengal's reports name Bengali, Bihar's Hindi
        await report(store, f"{name} Das", BENGAL, ["bn"])
        await report(store, f"{name} Yadav", BIHAR_PLACE, ["hi"])
    in_bengal = await report(store, "Puja Kumari", BENGAL, [])
    in_bihar = await report(store, "Puja Kumari", BIHAR_PLACE, [])
    d = description(name="Puja Kumari", gender="FEMALE", ageYears=10, languages=["bn"])
    found = data(await run(store, FIND, {"d": d}))["findMatches"]
    bengal, bihar = languages_of(found, in_bengal), languages_of(found, in_bihar)
    assert bengal["weight"] > 0 > bihar["weight"]
    assert bengal["detail"].startswith("the report names no language; most reports from its state share one with")
    assert bihar["detail"].startswith("the report names no language; some reports from its state share one with")
    assert bengal["detail"].endswith("%)")
    silent = data(await run(store, FIND, {"d": description(name="Puja Kumari", gender="FEMALE", ageYears=10)}))
    assert all(f["field"] != "languages" for m in silent["findMatches"] for f in m["factors"])

    child = {"name": "Puja Kumari", "gender": "FEMALE", "ageYears": 10, "languages": ["bn"]}
    await run(store, REPORT_FOUND, {"i": found_input(child=child, place=BENGAL)})
    candidates = data(await run(store, CANDIDATES, {"id": in_bengal}))["matchCandidates"]
    assert len(candidates) == 1
    from_report = next(f for f in candidates[0]["factors"] if f["field"] == "languages")
    assert from_report == bengal  # the same pair, the same weight and words from either side

    masked = data(await run(store, FIND, {"d": d | {"state": BIHAR, "district": PATNA}}, BIHAR_OFFICER))
    words = [f["detail"] for m in masked["findMatches"] if m["case"] is None for f in m["factors"]]
    assert "the report names no language; most reports from its state share one with the child" in words
    assert not any("%" in w for w in words)
