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
AUDITOR = Principal.for_agency(Agency.CPSU, subject="auditor-1")
TRAIL = "query($id: ID!) { auditTrail(entityId: $id) { subject entityType fields } }"
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


async def test_a_masked_candidates_reasons_do_not_tell_its_age_height_or_dates(store: Services) -> None:
    """With the description they chose, a reason quoting a measure ("ages agree within 0.1 years", "off by 1 cm",
    "found 3 days after going missing") told a caller outside the child's state her date of birth to weeks, her
    height and the day she went missing. Masked, each reason names its level: two children of one district who
    differ only within the same levels read the same, factors and score."""
    await seed_catalogue(store)
    found_on = today() - timedelta(days=2)
    born = found_on - timedelta(days=3835)  # about 10.5 years before: where an estimate of 10 centres
    references = []
    for birth, height, missing_days in ((born, 130, 5), (born - timedelta(days=40), 133, 10)):
        child = _child("Meera Kumari") | {"dateOfBirth": birth.isoformat(), "heightCm": height}
        child.pop("ageYears")
        missing_on = (found_on - timedelta(days=missing_days)).isoformat()
        report = missing_input(child=child, lastSeenDate=missing_on, fir={"number": "1/2026", "date": missing_on})
        references.append(data(await run(store, REPORT, {"i": report}))["reportMissing"]["reference"])
    d = {"name": "Meera Kumari", "gender": "FEMALE", "ageYears": 10, "heightCm": 131, "eventDate": found_on.isoformat()}
    d |= {"state": BIHAR, "district": PATNA}

    def by_reference(found: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
        listed = {m["reference"]: m for m in found}
        return listed[references[0]], listed[references[1]]

    first, second = by_reference(data(await run(store, FIND, {"d": d}, BIHAR_OFFICER))["findMatches"])
    assert first["case"] is None
    assert second["case"] is None
    assert first["factors"] == second["factors"]
    assert first["score"] == second["score"]
    reasons = {f["field"]: f["detail"] for f in first["factors"]}
    assert {"age", "height", "dates"} <= set(reasons)
    assert not any(c.isdigit() for c in reasons["age"])  # "ages agree within half the estimates' error"
    shown = by_reference(data(await run(store, FIND, {"d": d}, NATIONAL_CWC))["findMatches"])
    for field in ("age", "height", "dates"):  # to a caller who may see both cases: what was measured
        one, other = ({f["field"]: f["detail"] for f in m["factors"]}[field] for m in shown)
        assert one != other, field


async def test_who_was_shown_a_masked_candidate_is_on_its_record(store: Services) -> None:
    """Masked reasons are levels, but a caller varying the description from search to search can find where one
    changes: each listing goes into the access log under the candidate's case id, for its state's auditors."""
    await seed_catalogue(store)
    reported = data(await run(store, REPORT, {"i": missing_input(child=_child("Meera Kumari"))}))["reportMissing"]
    d = {"name": "Meera Kumari", "gender": "FEMALE", "ageYears": 10, "state": BIHAR, "district": PATNA}
    masked = data(await run(store, FIND, {"d": d}, BIHAR_OFFICER))["findMatches"]
    assert [m["reference"] for m in masked if m["case"] is None] == [reported["reference"]]
    shown = data(await run(store, FIND, {"d": d}, NATIONAL_CWC))["findMatches"]
    assert shown[0]["case"]["id"] == reported["id"]
    trail = data(await run(store, TRAIL, {"id": reported["id"]}, AUDITOR))["auditTrail"]
    listed = [(e["subject"], e["entityType"], e["fields"]) for e in trail if e["entityType"] == "MatchCandidate"]
    assert listed == [("br-1", "MatchCandidate", ["masked"])]  # the CWC, who may see the case, was not masked
