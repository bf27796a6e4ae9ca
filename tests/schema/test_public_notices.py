"""``publicNotices`` and publication consent through GraphQL, on both databases: an anonymous caller sees exactly a
notice's fields, consent through ``updateCase`` is on the timeline with who did it, confidential children and care
cases never appear, text search across scripts and typos, paging, bad filters and control characters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import (
    HOWRAH,
    PATNA,
    PUBLIC,
    SCHEMA,
    WB,
    data,
    error_codes,
    found_input,
    missing_input,
    run,
    seed_catalogue,
)
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_directory_entries

CWC = Principal.for_agency(Agency.CWC, subject="cwc-howrah")
REPORT = """mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id version } }"""
REPORT_FOUND = """mutation($input: ReportFoundInput!) { reportFound(input: $input) { id version } }"""
ADMIT = """mutation($input: AdmitToInstitutionInput!) { admitToInstitution(input: $input) { id version } }"""
CONSENT = """mutation($id: ID!, $version: Int!, $consent: Boolean!) {
  updateCase(input: {id: $id, version: $version, publicationConsent: $consent}) {
    version events { type actor at } } }"""
NOTICES = """query($filter: PublicNoticeFilterInput, $first: Int = 20, $after: String) {
  publicNotices(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id kind firstName ageYears gender photoUrl eventDate
      state { code } district { code name } contact { id kind name phones } } }
    pageInfo { hasNextPage endCursor } } }"""
NOTICE_FIELDS = {
    "id",
    "kind",
    "firstName",
    "ageYears",
    "gender",
    "photoUrl",
    "state",
    "district",
    "eventDate",
    "contact",
}


async def reported(store: Services, name: str, *, confidential: bool = False, **place: Any) -> dict[str, Any]:
    child = {"name": name, "gender": "FEMALE", "ageYears": 11, "confidential": confidential}
    given = missing_input(child=child, place={**missing_input()["place"], **place})
    return data(await run(store, REPORT, {"input": given}, principal=CWC))[
        "reportMissing"
    ]  # a CWC may see a confidential child


async def consent(store: Services, case: dict[str, Any], given: bool = True) -> dict[str, Any]:
    variables = {"id": case["id"], "version": case["version"], "consent": given}
    updated: dict[str, Any] = data(await run(store, CONSENT, variables, principal=CWC))["updateCase"]
    case["version"] = updated["version"]
    return updated


async def notices(store: Services, **variables: Any) -> list[dict[str, Any]]:
    page = data(await run(store, NOTICES, variables, principal=PUBLIC))["publicNotices"]
    return [e["node"] for e in page["edges"]]


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [n["id"] for n in nodes]


async def test_consent_on_and_off_is_on_the_timeline_and_the_notice_follows_it(store: Services) -> None:
    await seed_catalogue(store)
    case = await reported(store, "Pooja Kumari")
    assert await notices(store) == []
    given = await consent(store, case)
    assert [(e["type"], e["actor"]) for e in given["events"]][-1] == ("NOTICE_CONSENTED", "cwc-howrah")
    [shown] = await notices(store)
    assert shown["id"] == case["id"]
    assert (shown["firstName"], shown["ageYears"], shown["gender"], shown["photoUrl"]) == ("Pooja", 11, "FEMALE", None)
    assert shown["district"]["code"] == HOWRAH
    assert shown["contact"] == {"id": "PS-19-313-001", "kind": "POLICE_STATION", "name": "Station 1",
                                "phones": ["+913326412345"]}  # fmt: skip
    assert ids(await notices(store, filter={"text": "पूजा"})) == [case["id"]]
    withdrawn = await consent(store, case, given=False)
    assert [e["type"] for e in withdrawn["events"]][-2:] == ["NOTICE_CONSENTED", "NOTICE_WITHDRAWN"]
    assert withdrawn["events"][-1]["actor"] == "cwc-howrah"
    assert await notices(store) == []
    assert await notices(store, filter={"text": "Pooja"}) == []


async def test_consent_needs_cases_write(store: Services) -> None:
    await seed_catalogue(store)
    case = await reported(store, "Pooja")
    variables = {"id": case["id"], "version": case["version"], "consent": True}
    for caller in (PUBLIC, Principal.for_agency(Agency.NGO, subject="ngo-1")):
        assert error_codes(await run(store, CONSENT, variables, principal=caller)) == [("FORBIDDEN", None)]
    assert await notices(store) == []


async def test_confidential_children_and_care_cases_are_never_listed(store: Services) -> None:
    await seed_catalogue(store)
    secret = await reported(store, "Pooja Devi", confidential=True)
    await consent(store, secret)
    care_input = {
        "child": {"name": "Pooja Rani", "gender": "FEMALE", "ageYears": 12},
        "institution": "WB/CCI/2020/0001",
        "admissionDate": found_input()["foundOn"],
        "admissionOrder": {"number": "CWC/HWH/2026/1"},
    }
    care = data(await run(store, ADMIT, {"input": care_input}, principal=CWC))["admitToInstitution"]
    await consent(store, care)
    assert await notices(store) == []
    assert await notices(store, filter={"text": "Pooja"}) == []
    result = await run(store, NOTICES, {"filter": {"kinds": ["CARE"]}}, principal=PUBLIC)
    assert error_codes(result) == [("BAD_USER_INPUT", "filter.kinds")]


async def test_a_found_child_names_the_districts_cwc(store: Services) -> None:
    cwc = {"id": "CWC-10-212", "kind": "CHILD_WELFARE_COMMITTEE", "name": "CWC Patna", "state": "10",
           "district": PATNA, "phones": ["+916122222222"]}  # fmt: skip
    async with store.sessions() as session, session.begin():
        await add_directory_entries(session, [cwc])
    case = data(await run(store, REPORT_FOUND, {"input": found_input()}, principal=CWC))["reportFound"]
    await consent(store, case)
    [shown] = await notices(store, filter={"kinds": ["FOUND"], "state": "10", "district": PATNA})
    assert (shown["kind"], shown["firstName"], shown["contact"]["id"]) == ("FOUND", "Raju", "CWC-10-212")
    assert await notices(store, filter={"kinds": ["MISSING"]}) == []


def test_a_notice_carries_exactly_the_notice_fields() -> None:
    notice = SCHEMA._schema.type_map["PublicNotice"]
    assert set(notice.fields) == NOTICE_FIELDS  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "selection",
    [
        "name",
        "child { name }",
        "reference",
        "aliases",
        "guardians { phone }",
        "circumstances",
        "fir { number }",
        "events { note }",
        "... on MissingCase { reporter { phone } }",
    ],
)
async def test_identity_fields_are_unreachable_through_a_notice(store: Services, selection: str) -> None:
    query = f"{{ publicNotices {{ edges {{ node {{ id {selection} }} }} }} }}"
    result = await run(store, query, principal=PUBLIC)
    assert error_codes(result) == [("GRAPHQL_VALIDATION_FAILED", None)], selection


async def test_text_search_across_scripts_and_typos(store: Services) -> None:
    await seed_catalogue(store)
    made = {}
    for name in ("पूजा कुमारी", "Pooja", "Puja Das", "Rahul"):
        made[name] = await reported(store, name)
        await consent(store, made[name])
    poojas = {made[n]["id"] for n in ("पूजा कुमारी", "Pooja", "Puja Das")}
    for text in ("पूजा", "Puja", "Pooja", "Poojaa"):
        assert set(ids(await notices(store, filter={"text": text}))) == poojas, text
    assert ids(await notices(store, filter={"text": "Rahl"})) == [made["Rahul"]["id"]]
    assert await notices(store, filter={"text": "Das"}) == []  # surnames are not shown, so not searched


@pytest.mark.parametrize("text", [None, "Pooja"])
async def test_pages_follow_each_other(store: Services, text: str | None) -> None:
    await seed_catalogue(store)
    made = []
    for _ in range(5):
        case = await reported(store, "Pooja")
        await consent(store, case)
        made.append(case["id"])
    seen: list[str] = []
    after = None
    while True:
        variables = {"filter": {"text": text}, "first": 2, "after": after}
        page = data(await run(store, NOTICES, variables, principal=PUBLIC))["publicNotices"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(made))  # newest report first (ties in text score), each once


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"filter": {"state": "99"}}, "filter.state"),
        ({"filter": {"district": "x"}}, "filter.district"),
        ({"filter": {"state": "10", "district": HOWRAH}}, "filter.district"),
        ({"filter": {"kinds": ["CARE"]}}, "filter.kinds"),
        ({"filter": {"text": "Pooja\x00"}}, "filter.text"),
        ({"filter": {"text": "Pooja\x1b[2J"}}, "filter.text"),
        ({"filter": {"text": "p" * 201}}, "filter.text"),
        ({"first": 0}, "first"),
        ({"first": 201}, "first"),
        ({"after": "not-a-cursor"}, "after"),
        ({"filter": {"text": "Pooja"}, "after": "not-a-cursor"}, "after"),
    ],
)
async def test_bad_input_is_refused_naming_the_field(store: Services, variables: dict[str, Any], field: str) -> None:
    result = await run(store, NOTICES, variables, principal=PUBLIC)
    assert error_codes(result) == [("BAD_USER_INPUT", field)]


async def test_a_listed_case_in_another_district_is_filtered_out(store: Services) -> None:
    await seed_catalogue(store)
    case = await reported(store, "Pooja")
    await consent(store, case)
    assert ids(await notices(store, filter={"state": WB, "district": HOWRAH})) == [case["id"]]
    assert await notices(store, filter={"state": WB, "district": "315"}) == []
    assert await notices(store, filter={"state": "10"}) == []
