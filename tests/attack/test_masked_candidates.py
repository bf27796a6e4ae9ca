"""A candidate listed masked (outside the caller's jurisdiction) shows its state, reference, score and reasons, not
the case: its reasons must not carry what the mask hides. The place reason was the exact distance from the point
the caller chose to the child's recorded point, so three searches from three points put the child (where they were
last seen, often home) within a kilometre. A masked candidate is weighed from its district's centre instead: two
children last seen at different points of one district read the same to a caller outside it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.factories import BIHAR, HOWRAH, PATNA, WB, data, missing_input, run, seed_catalogue, today
from tests.schema.test_matches import FIND
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services

REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference } }"
BIHAR_OFFICER = Principal.for_agency(Agency.POLICE, subject="br-1", state=BIHAR)
NATIONAL_CWC = Principal.for_agency(Agency.CWC, subject="cwc-1")
POINTS = ((22.75, 88.15), (22.45, 88.15))  # two places in Howrah, about 33 km apart north to south


def _child(name: str) -> dict[str, Any]:
    return {"name": name, "gender": "FEMALE", "ageYears": 10, "guardians": []}


async def test_a_masked_candidates_reasons_do_not_place_the_child(store: Services) -> None:
    await seed_catalogue(store)
    references = []
    for latitude, longitude in POINTS:
        place = {"state": WB, "district": HOWRAH, "text": "a lane", "latitude": latitude, "longitude": longitude}
        reported = await run(store, REPORT, {"i": missing_input(child=_child("Meera Kumari"), place=place)})
        references.append(data(reported)["reportMissing"]["reference"])
    seen = (today() - timedelta(days=2)).isoformat()
    for point in ((25.6, 85.1), (26.1, 86.0)):  # searched from Patna, then Darbhanga: never the child's district
        d = {"name": "Meera Kumari", "gender": "FEMALE", "ageYears": 10, "eventDate": seen}
        d |= {"latitude": point[0], "longitude": point[1]}
        masked = data(await run(store, FIND, {"d": d}, BIHAR_OFFICER))["findMatches"]
        by_reference = {m["reference"]: m for m in masked if m["reference"] in references}
        assert set(by_reference) == set(references)
        assert all(m["case"] is None for m in by_reference.values())
        first, second = (by_reference[r] for r in references)
        assert first["factors"] == second["factors"]
        assert first["score"] == second["score"]
        assert first["score"] + second["score"] <= 1.0  # re-weighed, they still compete: at most one is the child
        shown = data(await run(store, FIND, {"d": d}, NATIONAL_CWC))["findMatches"]
        places = {m["reference"]: next(f for f in m["factors"] if f["field"] == "place") for m in shown}
        assert places[references[0]] != places[references[1]]  # the caller who may see the cases: the points
    d = {"name": "Meera Kumari", "gender": "FEMALE", "ageYears": 10, "state": BIHAR, "district": PATNA}
    assert data(await run(store, FIND, {"d": d}, BIHAR_OFFICER))["findMatches"][0]["case"] is None
