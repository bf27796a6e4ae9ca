"""The CCI e-file through GraphQL (issue 14): entries versioned with who and when, history kept; validation naming
the field; the record rule (outside or confidential = not found); every role field by field; the counsellor's note
in the access log; growth on check-ups; overdue reviews and follow-ups; statements independent of the entries."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.factories import HOWRAH, WB, data, error_codes, run, seed_catalogue, today
from tests.live_server import serving
from tests.schema.test_page_statements import statements
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.domain.care_entries import CareBody, Review, validated
from trackchild_hub.domain.care_schedule import add_months
from trackchild_hub.domain.errors import Conflict
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.care_entries import CareEntryRepository
from trackchild_hub.store.models.care import CareEntryRow

CCI = Principal.for_agency(Agency.CCI, subject="cci-howrah-1", state=WB, district=HOWRAH)
CWC = Principal.for_agency(Agency.CWC, subject="cwc-howrah-1", state=WB, district=HOWRAH)
AUDITOR = Principal.for_agency(Agency.CPSU, subject="cpsu-1")
ELSEWHERE = Principal.for_agency(Agency.CCI, subject="cci-patna-1", state="10", district="212")

ADMIT = """mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }"""
ADD = """
mutation($case: ID!, $entry: CareEntryInput!, $supersedes: CareEntryVersionInput) {
  addCareEntry(caseId: $case, entry: $entry, supersedes: $supersedes) {
    id entryId kind version recordedBy recordedByAgency recordedAt
    ... on HealthCheckupEntry { heightCm weightKg growth { ageMonths ageEstimated underweight stunted thin
                                                          weightForAgeZ heightForAgeZ } }
    ... on CareReviewEntry { scheduledOn heldOn overdue }
  }
}"""
# Every protected field of the e-file, once each (the role matrix below reads them field by field).
FILE = """
query($case: ID!) {
  careFile(caseId: $case) {
    case { id reference }
    entries { id entryId kind version }
    admissions { orderNumber orderDate orderedBy admittedOn productionReport }
    socialInvestigations { preparedBy findings recommendation }
    carePlans { preferredCare needs { area plan } }
    healthCheckups { checkedOn heightCm weightKg immunisations conditions growth { stunted underweight } }
    education { track provider progress }
    counselling { counsellor mode note }
    reviews { entryId version scheduledOn heldOn overdue }
    releases { releaseKind releasedOn destinationState destinationCwc interpreterNeeded interpreterLanguage escort }
    followUps { month settled findings }
    followUpsDue { month dueOn doneOn overdue daysOverdue }
  }
}"""
HISTORY = """
query($case: ID!, $entry: ID!) {
  careFile(caseId: $case) { history(entryId: $entry) { version recordedBy ... on CareReviewEntry { heldOn } } }
}"""
# (type, field) -> where FILE reads it: a section and the field (or the nested path).
PROTECTED: dict[tuple[str, str], tuple[str, ...]] = {
    ("AdmissionEntry", "productionReport"): ("admissions", "productionReport"),
    ("SocialInvestigationEntry", "findings"): ("socialInvestigations", "findings"),
    ("SocialInvestigationEntry", "recommendation"): ("socialInvestigations", "recommendation"),
    ("CareNeed", "plan"): ("carePlans", "needs", "plan"),
    ("HealthCheckupEntry", "heightCm"): ("healthCheckups", "heightCm"),
    ("HealthCheckupEntry", "weightKg"): ("healthCheckups", "weightKg"),
    ("HealthCheckupEntry", "immunisations"): ("healthCheckups", "immunisations"),
    ("HealthCheckupEntry", "conditions"): ("healthCheckups", "conditions"),
    ("HealthCheckupEntry", "growth"): ("healthCheckups", "growth"),
    ("CounsellingEntry", "note"): ("counselling", "note"),
    ("FollowUpEntry", "findings"): ("followUps", "findings"),
}


def _ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


async def admitted(store: Services, **child: Any) -> str:
    child = {"name": "Asha", "gender": "MALE", "dateOfBirth": _years_ago(10), **child}
    i = {"institution": "WB/CCI/2020/0001", "admissionDate": _ago(200), "child": child}
    return str(data(await run(store, ADMIT, {"i": i}, CWC))["admitToInstitution"]["id"])


def _years_ago(years: int) -> str:
    t = today()
    return t.replace(year=t.year - years, day=min(t.day, 28)).isoformat()


async def add(store: Services, case_id: str, entry: dict[str, Any], principal: Principal = CCI, **kw: Any) -> Any:
    return await run(store, ADD, {"case": case_id, "entry": entry, **kw}, principal)


def every_section() -> list[dict[str, Any]]:
    return [
        {
            "admission": {
                "orderNumber": "CWC/HWH/2026/114",
                "orderDate": _ago(201),
                "orderedBy": "CWC",
                "admittedOn": _ago(200),
                "productionReport": "Produced by RPF Howrah",
            }
        },
        {
            "socialInvestigation": {
                "preparedOn": _ago(180),
                "preparedBy": "DCPU caseworker",
                "findings": "Left home after a quarrel",
                "recommendation": "Restore after counselling of the family",
            }
        },
        {
            "carePlan": {
                "preparedOn": _ago(170),
                "preferredCare": ["FAMILY", "KINSHIP", "INSTITUTION"],
                "needs": [
                    {"area": "HEALTH", "plan": "Deworming, eye test"},
                    {"area": "EDUCATION_AND_TRAINING", "plan": "Class 4 at the local school"},
                ],
            }
        },
        {
            "healthCheckup": {
                "checkedOn": _ago(150),
                "heightCm": 112,
                "weightKg": 17.5,
                "immunisations": ["MR-2"],
                "conditions": ["anaemia"],
            }
        },
        {"education": {"on": _ago(100), "track": "SCHOOL", "provider": "Howrah Primary", "progress": "reads well"}},
        {
            "counselling": {
                "heldOn": _ago(90),
                "counsellor": "Ms. Sen",
                "mode": "INDIVIDUAL",
                "note": "Misses his sister",
            }
        },
        {"review": {"body": "CWC", "scheduledOn": _ago(30)}},
        {
            "release": {
                "releaseKind": "RESTORATION",
                "releasedOn": _ago(20),
                "orderNumber": "CWC/HWH/2026/301",
                "restoredTo": "mother",
                "interpreterNeeded": True,
                "interpreterLanguage": "bn",
                "escort": "DCPU outreach worker",
            }
        },
        {
            "followUp": {
                "month": 1,
                "visitedOn": _ago(1),
                "visitedBy": "DCPU",
                "settled": True,
                "findings": "Back at school",
            }
        },
    ]


async def test_an_entry_is_versioned_with_who_and_when_and_its_history_is_kept(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    for entry in every_section():
        data(await add(store, case_id, entry))
    file = data(await run(store, FILE, {"case": case_id}, CWC))["careFile"]
    assert len(file["entries"]) == 9
    assert {e["version"] for e in file["entries"]} == {1}
    [review] = file["reviews"]
    assert review["overdue"] is True
    assert review["heldOn"] is None
    # The review held: a new version of the same entry; the first stays in the history.
    held = {"review": {"body": "CWC", "scheduledOn": _ago(30), "heldOn": _ago(29), "outcome": "continue"}}
    version = {"entryId": review["entryId"], "version": 1}
    answer = data(await add(store, case_id, held, supersedes=version))["addCareEntry"]
    assert (answer["entryId"], answer["version"], answer["overdue"]) == (review["entryId"], 2, False)
    assert (answer["recordedBy"], answer["recordedByAgency"]) == ("cci-howrah-1", "cci")
    file = data(await run(store, FILE, {"case": case_id}, CWC))["careFile"]
    assert [(r["version"], r["heldOn"]) for r in file["reviews"]] == [(2, _ago(29))]
    assert len(file["entries"]) == 9
    history = data(await run(store, HISTORY, {"case": case_id, "entry": review["entryId"]}, CWC))
    assert [(v["version"], v["heldOn"]) for v in history["careFile"]["history"]] == [(1, None), (2, _ago(29))]
    async with store.sessions() as session:  # never updated in place: both rows as written
        rows = (await session.scalars(select(CareEntryRow).where(CareEntryRow.entry_id == review["entryId"]))).all()
    assert sorted((r.version, r.due_on) for r in rows) == [(1, today() - timedelta(days=30)), (2, None)]
    # Sections as given, with the restoration's follow-ups derived: month 1 done, 3 and 6 ahead.
    assert file["admissions"][0]["orderNumber"] == "CWC/HWH/2026/114"
    assert file["carePlans"][0]["preferredCare"] == ["FAMILY", "KINSHIP", "INSTITUTION"]
    assert file["releases"][0]["interpreterLanguage"] == "bn"
    released = today() - timedelta(days=20)
    due = [(f["month"], f["dueOn"], f["doneOn"]) for f in file["followUpsDue"]]
    assert due == [
        (1, add_months(released, 1).isoformat(), _ago(1)),
        (3, add_months(released, 3).isoformat(), None),
        (6, add_months(released, 6).isoformat(), None),
    ]


async def test_a_stale_version_conflicts_and_a_kind_cannot_change(store: Services) -> None:
    await seed_catalogue(store)
    case_id, other = await admitted(store), await admitted(store, name="Bina", gender="FEMALE")
    first = data(await add(store, case_id, {"review": {"body": "CWC", "scheduledOn": _ago(3)}}))["addCareEntry"]
    again = {"review": {"body": "CWC", "scheduledOn": _ago(3), "heldOn": _ago(2)}}
    version = {"entryId": first["entryId"], "version": 1}
    data(await add(store, case_id, again, supersedes=version))
    assert error_codes(await add(store, case_id, again, supersedes=version)) == [("CONFLICT", None)]
    checkup = {"healthCheckup": {"checkedOn": _ago(1), "weightKg": 30}}
    wrong_kind = await add(store, case_id, checkup, supersedes={"entryId": first["entryId"], "version": 2})
    assert error_codes(wrong_kind) == [("BAD_USER_INPUT", "supersedes.entryId")]
    # Another child's entry named under this case: as unknown as an entry that does not exist.
    for entry_id in (first["entryId"], "no-such-entry"):
        result = await add(store, other, again, supersedes={"entryId": entry_id, "version": 2})
        assert error_codes(result) == [("NOT_FOUND", None)]
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CareEntryRow)) == 2


async def test_two_writers_of_the_same_version_one_wins(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    first = data(await add(store, case_id, {"review": {"body": "CWC", "scheduledOn": _ago(3)}}))["addCareEntry"]
    version = {"entryId": first["entryId"], "version": 1}
    held = [
        {"review": {"body": "CWC", "scheduledOn": _ago(3), "heldOn": _ago(n), "outcome": f"by {n}"}} for n in (1, 2)
    ]
    results = await asyncio.gather(*(add(store, case_id, h, supersedes=version) for h in held))
    assert sorted(error_codes(r)[0][0] if r.errors else "OK" for r in results) == ["CONFLICT", "OK"]
    async with store.sessions() as session:
        versions = (await session.scalars(select(CareEntryRow.version).where(CareEntryRow.case_id == case_id))).all()
    assert sorted(versions) == [1, 2]
    # Past the check in the transaction (a writer that read version 1 just before the other committed version 2),
    # the store's unique (entry, version) key refuses the second version 2.
    async with store.sessions() as session, session.begin():
        repo = CareEntryRepository(session)
        stale = await repo.current(first["entryId"])
        assert stale is not None
        stale.version = 1  # what that writer read
        session.expunge(stale)
        data_ = validated(Review(CareBody.CWC, today() - timedelta(days=3)), today(), store.geography)
        with pytest.raises(Conflict):
            await repo.add(case_id, data_, actor="late", agency="cci", supersedes=stale)


BAD = [
    ({}, "entry"),
    ({"review": {"body": "CWC", "scheduledOn": _ago(1)}, "education": {"on": _ago(1), "track": "SCHOOL",
      "provider": "x"}}, "entry.review"),  # the second set, in the input type's order
    ({"healthCheckup": {"checkedOn": _ago(-1), "weightKg": 20}}, "entry.healthCheckup.checkedOn"),
    ({"healthCheckup": {"checkedOn": _ago(1), "heightCm": 39.9}}, "entry.healthCheckup.heightCm"),
    ({"healthCheckup": {"checkedOn": _ago(1), "heightCm": 201}}, "entry.healthCheckup.heightCm"),
    ({"healthCheckup": {"checkedOn": _ago(1), "weightKg": 1.9}}, "entry.healthCheckup.weightKg"),
    ({"healthCheckup": {"checkedOn": _ago(1), "weightKg": 151}}, "entry.healthCheckup.weightKg"),
    ({"healthCheckup": {"checkedOn": _ago(1)}}, "entry.healthCheckup.heightCm"),
    ({"healthCheckup": {"checkedOn": _ago(1), "weightKg": 20, "conditions": ["a\u0007"]}},
     "entry.healthCheckup.conditions.0"),
    ({"admission": {"orderNumber": "12\n3", "orderDate": _ago(2), "orderedBy": "CWC", "admittedOn": _ago(1)}},
     "entry.admission.orderNumber"),
    ({"admission": {"orderNumber": "x" * 61, "orderDate": _ago(2), "orderedBy": "CWC", "admittedOn": _ago(1)}},
     "entry.admission.orderNumber"),
    ({"admission": {"orderNumber": "1", "orderDate": _ago(-2), "orderedBy": "JJB", "admittedOn": _ago(1)}},
     "entry.admission.orderDate"),
    ({"carePlan": {"preparedOn": _ago(1), "preferredCare": [], "needs": [{"area": "HEALTH", "plan": "x"}]}},
     "entry.carePlan.preferredCare"),
    ({"carePlan": {"preparedOn": _ago(1), "preferredCare": ["FAMILY"],
                   "needs": [{"area": "HEALTH", "plan": "x"}, {"area": "HEALTH", "plan": "y"}]}},
     "entry.carePlan.needs.1.area"),
    ({"review": {"body": "CWC", "scheduledOn": _ago(1), "heldOn": _ago(-1)}}, "entry.review.heldOn"),
    ({"release": {"releaseKind": "REPATRIATION", "releasedOn": _ago(1), "orderNumber": "1",
                  "destinationCwc": "CWC Patna"}}, "entry.release.destinationState"),
    ({"release": {"releaseKind": "REPATRIATION", "releasedOn": _ago(1), "orderNumber": "1",
                  "destinationState": "10"}}, "entry.release.destinationCwc"),
    ({"release": {"releaseKind": "TRANSFER", "releasedOn": _ago(1), "orderNumber": "1", "destinationState": "10",
                  "destinationDistrict": HOWRAH, "destinationCwc": "CWC Patna"}}, "entry.release.destinationDistrict"),
    ({"release": {"releaseKind": "RESTORATION", "releasedOn": _ago(1), "orderNumber": "1",
                  "interpreterNeeded": True, "interpreterLanguage": "bengali"}}, "entry.release.interpreterLanguage"),
    ({"followUp": {"month": 2, "visitedOn": _ago(1), "visitedBy": "DCPU", "settled": True}}, "entry.followUp.month"),
    ({"counselling": {"heldOn": _ago(1), "counsellor": "Ms. Sen", "mode": "GROUP", "note": "  "}},
     "entry.counselling.note"),
]  # fmt: skip


async def test_bad_input_names_the_field_and_writes_nothing(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    for entry, field in BAD:
        result = await add(store, case_id, entry)
        assert error_codes(result) == [("BAD_USER_INPUT", field)], (entry, result.errors)
    async with store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CareEntryRow)) == 0


async def test_a_case_outside_or_confidential_is_answered_as_one_that_does_not_exist(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    secret = await admitted(store, name="Chand", confidential=True)
    entry = {"education": {"on": _ago(1), "track": "VOCATIONAL", "provider": "ITI Howrah"}}
    missing = await run(store, FILE, {"case": "no-such-case"}, CCI)
    assert error_codes(missing) == [("NOT_FOUND", None)]
    for principal, target in ((ELSEWHERE, case_id), (CCI, secret)):
        for result in (await run(store, FILE, {"case": target}, principal), await add(store, target, entry, principal)):
            assert error_codes(result) == error_codes(missing)
            assert result.errors is not None
            assert result.errors[0].message == "no such case"
    # The CWC deciding a confidential child's case keeps the file (it may read it; the CCI cannot reach it).
    assert data(await run(store, FILE, {"case": secret}, CWC))["careFile"]["entries"] == []
    found = {"child": {"gender": "MALE"}, "place": {"state": WB, "district": HOWRAH}, "foundOn": _ago(1)}
    found_id = data(await run(store, "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }",
                              {"i": found}, CWC))["reportFound"]["id"]  # fmt: skip
    assert error_codes(await run(store, FILE, {"case": found_id}, CWC)) == [("BAD_USER_INPUT", "caseId")]


def _values(section: Any, path: tuple[str, ...]) -> list[Any]:
    items = section if isinstance(section, list) else [section]
    if not path:
        return items
    return [v for item in items for v in _values(item[path[0]], path[1:])]


async def test_each_role_reads_and_writes_the_file_exactly_as_its_scopes_allow(store: Services) -> None:
    """The role matrix for the e-file (tests/auth/test_role_matrix.py's COVERED_ELSEWHERE points here): every agency,
    with a token of the embedded issuer for the child's district, over real HTTP; every protected field; the public."""
    await seed_catalogue(store)
    case_id = await admitted(store)
    for entry in every_section():
        data(await add(store, case_id, entry))
    issuer = dev_issuer(store.settings)
    review = {"review": {"body": "CWC", "scheduledOn": _ago(-30)}}
    with serving(create_app(store.settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:

            async def post(query: str, variables: dict[str, Any], token: str | None) -> dict[str, Any]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
                assert response.status_code == 200
                body: dict[str, Any] = response.json()
                return body

            public = await post(FILE, {"case": case_id}, None)
            assert public["data"] is None
            assert [e["extensions"]["code"] for e in public["errors"]] == ["FORBIDDEN"]
            for agency in Agency:
                token = issuer.issue(issuer.clients[f"demo-{agency.value}"], state=WB, district=HOWRAH)
                scopes = ROLE_SCOPES[agency]
                body = await post(FILE, {"case": case_id}, token)
                if "child:sensitive" not in scopes:
                    assert body["data"] is None, agency
                    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], agency
                else:
                    assert "errors" not in body, (agency, body.get("errors"))
                    file = body["data"]["careFile"]
                    for (type_name, field), (section, *path) in PROTECTED.items():
                        values = _values(file[section], (*path,))
                        assert values, (agency, type_name, field)
                        assert all(v is not None for v in values), (agency, type_name, field)
                written = await post(ADD, {"case": case_id, "entry": review}, token)
                if "care:write" in scopes:
                    assert written["data"]["addCareEntry"]["recordedByAgency"] == agency.value
                else:
                    assert [e["extensions"]["code"] for e in written["errors"]] == ["FORBIDDEN"], agency
    assert [a for a in Agency if "care:write" in ROLE_SCOPES[a]] == [Agency.CCI]


async def test_a_counsellors_note_read_is_in_the_access_log(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)
    data(await add(store, case_id, every_section()[5]))
    trail = "query($id: ID!) { auditTrail(entityId: $id) { subject fields } }"
    before = data(await run(store, trail, {"id": case_id}, AUDITOR))["auditTrail"]
    assert not any("note" in e["fields"] for e in before)
    without_note = "query($case: ID!) { careFile(caseId: $case) { counselling { counsellor mode } } }"
    data(await run(store, without_note, {"case": case_id}, CWC))
    assert not any("note" in e["fields"] for e in data(await run(store, trail, {"id": case_id}, AUDITOR))["auditTrail"])
    read = "query($case: ID!) { careFile(caseId: $case) { counselling { note } } }"
    assert data(await run(store, read, {"case": case_id}, CWC))["careFile"]["counselling"] == [
        {"note": "Misses his sister"}
    ]
    after = data(await run(store, trail, {"id": case_id}, AUDITOR))["auditTrail"]
    assert [(e["subject"], e["fields"]) for e in after if "note" in e["fields"]] == [("cwc-howrah-1", ["note"])]


async def test_a_checkup_says_whether_the_child_is_underweight_or_stunted(store: Services) -> None:
    await seed_catalogue(store)
    case_id = await admitted(store)  # a boy of 10 by his date of birth
    small = {"healthCheckup": {"checkedOn": _ago(0), "heightCm": 112, "weightKg": 17.5}}
    growth = data(await add(store, case_id, small))["addCareEntry"]["growth"]
    assert growth["ageEstimated"] is False
    assert 119 <= growth["ageMonths"] <= 120
    assert (growth["underweight"], growth["stunted"]) == (True, True)
    assert -5 < growth["heightForAgeZ"] < -3  # 112 cm against a median near 138 cm (SD about 6)
    typical = {"healthCheckup": {"checkedOn": _ago(0), "heightCm": 138, "weightKg": 31}}
    growth = data(await add(store, case_id, typical))["addCareEntry"]["growth"]
    assert (growth["underweight"], growth["stunted"], growth["thin"]) == (False, False, False)
    # No sex the WHO tables know: measured, not assessed (null flags, never a guess).
    unknown = await admitted(store, gender="UNKNOWN", dateOfBirth=None, ageYears=6)
    growth = data(await add(store, unknown, small))["addCareEntry"]["growth"]
    assert growth["ageEstimated"] is True
    assert growth["stunted"] is None


OVERDUE_REVIEWS = """query($first: Int! = 100, $after: String) { overdueCareReviews(first: $first, after: $after) {
  edges { cursor node { caseId reference entryId version body scheduledOn daysOverdue } }
  pageInfo { hasNextPage endCursor } } }"""
OVERDUE_FOLLOW_UPS = """query($first: Int! = 100, $after: String) { overdueCareFollowUps(first: $first, after: $after) {
  edges { cursor node { caseId releaseEntryId releaseKind releasedOn month dueOn daysOverdue } }
  pageInfo { hasNextPage endCursor } } }"""


async def overdue(store: Services, query: str, principal: Principal) -> list[dict[str, Any]]:
    """One page holding everything (the default first)."""
    field = "overdueCareReviews" if query is OVERDUE_REVIEWS else "overdueCareFollowUps"
    page = data(await run(store, query, None, principal))[field]
    assert page["pageInfo"]["hasNextPage"] is False
    return [e["node"] for e in page["edges"]]


async def paged(store: Services, query: str, first: int) -> tuple[list[dict[str, Any]], int]:
    """Every item, ``first`` at a time following endCursor; and how many pages that took."""
    field = "overdueCareReviews" if query is OVERDUE_REVIEWS else "overdueCareFollowUps"
    items: list[dict[str, Any]] = []
    after, pages = None, 0
    while True:
        page = data(await run(store, query, {"first": first, "after": after}, CWC))[field]
        pages += 1
        assert len(page["edges"]) <= first
        items += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return items, pages
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


async def test_overdue_reviews_are_listed_in_the_readers_jurisdiction_until_held(store: Services) -> None:
    await seed_catalogue(store)
    case_id, other = await admitted(store), await admitted(store, name="Dev")
    late = data(await add(store, case_id, {"review": {"body": "JJB", "scheduledOn": _ago(12)}}))["addCareEntry"]
    data(await add(store, other, {"review": {"body": "CWC", "scheduledOn": _ago(3)}}))
    data(await add(store, other, {"review": {"body": "CWC", "scheduledOn": _ago(-3)}}))  # ahead: not overdue
    data(await add(store, other, {"review": {"body": "CWC", "scheduledOn": _ago(40), "heldOn": _ago(40)}}))
    listed = await overdue(store, OVERDUE_REVIEWS, CWC)
    assert [(r["caseId"], r["body"], r["daysOverdue"], r["version"]) for r in listed] == [
        (case_id, "JJB", 12, 1),
        (other, "CWC", 3, 1),
    ]
    assert await overdue(store, OVERDUE_REVIEWS, ELSEWHERE) == []
    assert error_codes(await run(store, OVERDUE_REVIEWS, None, Principal.for_agency(Agency.POLICE))) == [
        ("FORBIDDEN", None)
    ]
    held = {"review": {"body": "JJB", "scheduledOn": _ago(12), "heldOn": _ago(1)}}
    data(await add(store, case_id, held, supersedes={"entryId": late["entryId"], "version": 1}))
    listed = await overdue(store, OVERDUE_REVIEWS, CWC)
    assert [r["caseId"] for r in listed] == [other]
    # A child no longer in care: a review left pending is moot.
    close = {"id": other, "version": 1, "outcome": "RESOLVED", "reason": "restored to the family"}
    data(await run(store, "mutation($i: CloseCaseInput!) { closeCase(input: $i) { id } }", {"i": close}, CWC))
    assert await overdue(store, OVERDUE_REVIEWS, CWC) == []


async def test_follow_ups_fall_due_at_one_three_and_six_months_after_a_restoration(store: Services) -> None:
    await seed_catalogue(store)
    home, away, moved = await admitted(store), await admitted(store, name="Esha"), await admitted(store, name="F")
    released = today() - timedelta(days=100)  # 1 month overdue; 3 months due in a few days or just past
    restoration = {"releaseKind": "RESTORATION", "releasedOn": released.isoformat(), "orderNumber": "R/1"}
    data(await add(store, home, {"release": restoration}))
    repatriation = {
        **restoration,
        "releaseKind": "REPATRIATION",
        "releasedOn": _ago(45),
        "destinationState": "10",
        "destinationCwc": "CWC Patna",
        "interpreterNeeded": True,
        "interpreterLanguage": "hi",
        "escort": "Two constables, one woman",
    }
    data(await add(store, away, {"release": repatriation}))
    transfer = {**repatriation, "releaseKind": "TRANSFER", "releasedOn": _ago(300)}  # no follow-ups owed
    data(await add(store, moved, {"release": transfer}))
    listed = await overdue(store, OVERDUE_FOLLOW_UPS, CWC)
    expected = [(home, 1, add_months(released, 1)), (away, 1, add_months(today() - timedelta(days=45), 1))]
    if add_months(released, 3) < today():
        expected.append((home, 3, add_months(released, 3)))
    expected.sort(key=lambda e: e[2])
    assert [(f["caseId"], f["month"], f["dueOn"]) for f in listed] == [(c, m, d.isoformat()) for c, m, d in expected]
    visit = {"month": 1, "visitedOn": _ago(2), "visitedBy": "DCPU Howrah", "settled": True}
    data(await add(store, home, {"followUp": visit}))
    data(await add(store, away, {"followUp": visit}))
    listed = await overdue(store, OVERDUE_FOLLOW_UPS, CWC)
    assert all(f["month"] == 3 for f in listed)
    assert await overdue(store, OVERDUE_FOLLOW_UPS, ELSEWHERE) == []


async def test_overdue_reviews_page_past_a_full_page_without_skips_or_repeats(store: Services) -> None:
    await seed_catalogue(store)
    cases = [await admitted(store), await admitted(store, name="Dev"), await admitted(store, name="Esha")]
    for n in range(7):  # 7 reviews, several due the same day (the tie is broken by a unique id)
        review = {"review": {"body": "CWC", "scheduledOn": _ago(10 + n % 3)}}
        data(await add(store, cases[n % 3], review))
    everything = await overdue(store, OVERDUE_REVIEWS, CWC)
    assert len(everything) == 7
    assert [r["scheduledOn"] for r in everything] == sorted(r["scheduledOn"] for r in everything)
    items, pages = await paged(store, OVERDUE_REVIEWS, first=2)
    assert pages == 4
    assert [r["entryId"] for r in items] == [r["entryId"] for r in everything]
    assert len({r["entryId"] for r in items}) == 7
    for bad in ("nope", "WyJ4Il0", "WyIyMDI2LTEzLTQwIiwgIngiXQ"):  # not base64 JSON; one part; month 13
        result = await run(store, OVERDUE_REVIEWS, {"first": 2, "after": bad}, CWC)
        assert error_codes(result) == [("BAD_USER_INPUT", "after")]
    result = await run(store, OVERDUE_REVIEWS, {"first": 201}, CWC)
    assert error_codes(result) == [("BAD_USER_INPUT", "first")]


async def test_overdue_follow_ups_page_past_a_full_page_without_skips_or_repeats(store: Services) -> None:
    await seed_catalogue(store)
    restoration = {"releaseKind": "RESTORATION", "releasedOn": _ago(120), "orderNumber": "R/1"}
    for n in range(4):  # released the same day: each owes its 1- and 3-month follow-ups on the same days
        data(await add(store, await admitted(store, name=f"Child {n}"), {"release": restoration}))
    everything = await overdue(store, OVERDUE_FOLLOW_UPS, CWC)
    assert len(everything) == 8
    items, pages = await paged(store, OVERDUE_FOLLOW_UPS, first=3)
    assert pages == 3
    key = [(f["dueOn"], f["caseId"], f["releaseEntryId"], f["month"]) for f in items]
    assert key == [(f["dueOn"], f["caseId"], f["releaseEntryId"], f["month"]) for f in everything]
    assert key == sorted(key)
    assert len(set(key)) == 8
    for bad in ("nope", "WyJ4Il0", "WyIyMDI2LTAxLTAxIiwgImEiLCAiYiIsICLCsiJd"):  # one part; month "²"
        result = await run(store, OVERDUE_FOLLOW_UPS, {"first": 2, "after": bad}, CWC)
        assert error_codes(result) == [("BAD_USER_INPUT", "after")]


def test_follow_up_months_end_on_the_months_last_day() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)


async def _seed_entries(store: Services, case_id: str, count: int) -> None:
    rows = [
        CareEntryRow(
            id=f"{case_id[:20]}{n:012d}",
            entry_id=f"{case_id[:20]}{n:012d}",
            version=1,
            case_id=case_id,
            kind="COUNSELLING",
            occurred_on=today() - timedelta(days=n % 300),
            payload={"held_on": _ago(n % 300), "counsellor": "Ms. Sen", "mode": "GROUP", "note": f"session {n}"},
            recorded_by="seed",
        )
        for n in range(count)
    ]
    async with store.sessions() as session, session.begin():
        session.add_all(rows)


async def test_the_file_page_costs_the_same_statements_for_5_or_500_entries(store: Services) -> None:
    await seed_catalogue(store)
    small, large = await admitted(store), await admitted(store, name="Gita")
    await _seed_entries(store, small, 5)
    await _seed_entries(store, large, 500)
    data(await add(store, large, every_section()[3]))  # a check-up too: growth computed per entry, no statement
    page = "query($case: ID!) { careFile(caseId: $case) { case { reference } entries { id kind version } " \
           "counselling { note } healthCheckups { growth { stunted } } } }"  # fmt: skip
    counts = {}
    for case_id, size in ((small, 5), (large, 501), (small, 5)):  # the first read learns the log's chain head
        with statements(store) as seen:
            file = data(await run(store, page, {"case": case_id}, CWC))["careFile"]
        assert len(file["entries"]) == size
        counts[size] = len(seen["read"])
    assert counts[5] == counts[501] <= 4, counts  # the case, its child, the entries (+ a transaction on SQLite)
