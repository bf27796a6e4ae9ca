"""Bad input to every mutation: BAD_USER_INPUT naming the field, nothing written, never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.factories import (
    BIHAR,
    HOWRAH,
    PATNA,
    case_count,
    error_codes,
    found_input,
    missing_input,
    run,
    seed_catalogue,
    today,
)
from trackchild_hub.resolvers.context import Services

REPORT_MISSING = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id } }"
REPORT_FOUND = "mutation($input: ReportFoundInput!) { reportFound(input: $input) { id } }"
ADMIT = "mutation($input: AdmitToInstitutionInput!) { admitToInstitution(input: $input) { id } }"
TOMORROW = (today() + timedelta(days=1)).isoformat()


def _child(**fields: Any) -> dict[str, Any]:
    return {**missing_input()["child"], **fields}


MISSING_CASES = [
    ({"place": {"state": "99"}}, "input.place.state"),
    ({"place": {"state": "19", "district": "99999"}}, "input.place.district"),
    ({"place": {"state": BIHAR, "district": HOWRAH}}, "input.place.district"),
    ({"place": {"state": "19", "policeStation": "PS-NOWHERE"}}, "input.place.policeStation"),
    ({"place": {"state": "19", "latitude": 51.5, "longitude": -0.1}}, "input.place.latitude"),
    ({"lastSeenDate": TOMORROW}, "input.lastSeenDate"),
    ({"fir": None}, "input.fir"),
    ({"fir": {"number": "1/2026", "date": "2000-01-01"}}, "input.fir.date"),
    ({"child": _child(ageYears=18)}, "input.child.ageYears"),
    ({"child": _child(ageYears=-1)}, "input.child.ageYears"),
    ({"child": _child(dateOfBirth="2001-01-01", ageYears=None)}, "input.child.dateOfBirth"),
    ({"child": _child(guardians=[{"relation": "MOTHER", "phone": "12345"}])}, "input.child.guardians.0.phone"),
    ({"child": _child(languages=["hindi language"])}, "input.child.languages.0"),
    # Each name word is a key the matcher reaches the case by: lists are bounded, far above what a child is recorded
    # with (domain.validation.MAX_*).
    ({"child": _child(aliases=[f"Monu {i}" for i in range(21)])}, "input.child.aliases"),
    (
        {"child": _child(guardians=[{"relation": "OTHER", "name": f"Ram {i}"} for i in range(11)])},
        "input.child.guardians",
    ),
    ({"child": _child(identifyingMarks=["mole"] * 31)}, "input.child.identifyingMarks"),
    ({"child": _child(languages=["hi"] * 11)}, "input.child.languages"),
    ({"reporter": {"phone": "+1 555 0100"}}, "input.reporter.phone"),
    ({"reportedAt": "2000-01-01T00:00:00+05:30"}, "input.reportedAt"),
]


@pytest.mark.parametrize(("change", "field"), MISSING_CASES, ids=[f for _, f in MISSING_CASES])
async def test_report_missing_rejects(store: Services, change: dict[str, Any], field: str) -> None:
    await seed_catalogue(store)
    result = await run(store, REPORT_MISSING, {"input": missing_input(**change)})
    assert error_codes(result) == [("BAD_USER_INPUT", field)]
    assert result.data is None
    assert await case_count(store) == 0


async def test_found_date_before_missing_since(store: Services) -> None:
    found = found_input(missingSince=today().isoformat())
    result = await run(store, REPORT_FOUND, {"input": found})
    assert error_codes(result) == [("BAD_USER_INPUT", "input.foundOn")]
    result = await run(store, REPORT_FOUND, {"input": found_input(foundOn=TOMORROW)})
    assert error_codes(result) == [("BAD_USER_INPUT", "input.foundOn")]
    result = await run(store, REPORT_FOUND, {"input": found_input(institution="WB/CCI/NOPE")})
    assert error_codes(result) == [("BAD_USER_INPUT", "input.institution")]
    assert await case_count(store) == 0


async def test_admit_rejects_unknown_institution_and_child(store: Services) -> None:
    await seed_catalogue(store)
    admit = {"institution": "WB/CCI/NOPE", "admissionDate": today().isoformat(), "child": {"ageYears": 8}}
    assert error_codes(await run(store, ADMIT, {"input": admit})) == [("BAD_USER_INPUT", "input.institution")]
    admit = {"institution": "WB/CCI/2020/0001", "admissionDate": today().isoformat(), "childId": "nobody"}
    # An unknown child is NOT_FOUND, as one outside the caller's jurisdiction (no existence oracle).
    assert error_codes(await run(store, ADMIT, {"input": admit})) == [("NOT_FOUND", None)]
    assert await case_count(store) == 0


async def test_wrong_types_are_bad_user_input_not_500(store: Services) -> None:
    result = await run(store, REPORT_FOUND, {"input": {**found_input(), "foundOn": "yesterday"}})
    assert [code for code, _ in error_codes(result)] == ["BAD_USER_INPUT"]
    result = await run(store, REPORT_FOUND, {"input": {**found_input(), "place": {"state": PATNA, "district": 5}}})
    assert [code for code, _ in error_codes(result)] == ["BAD_USER_INPUT"]


async def test_list_arguments_are_checked(store: Services) -> None:
    query = "query($f: CaseFilterInput, $n: Int!, $a: String) { cases(filter: $f, first: $n, after: $a) { edges { cursor } } }"  # noqa: E501
    assert error_codes(await run(store, query, {"n": 0})) == [("BAD_USER_INPUT", "first")]
    assert error_codes(await run(store, query, {"n": 500})) == [("BAD_USER_INPUT", "first")]
    assert error_codes(await run(store, query, {"n": 5, "a": "garbage!"})) == [("BAD_USER_INPUT", "after")]
    assert error_codes(await run(store, query, {"n": 5, "f": {"minAge": 12, "maxAge": 3}})) == [
        ("BAD_USER_INPUT", "filter.minAge")
    ]
