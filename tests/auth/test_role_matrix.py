"""For every agency role of CONTRACT.md and the public: a query touching every protected field returns exactly the
fields that role's scopes allow, through real HTTP (uvicorn on loopback) with real tokens of the embedded issuer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from strawberry.federation.schema_directives import RequiresScopes
from strawberry.types.base import StrawberryObjectDefinition

from tests.factories import SCHEMA, data, found_input, missing_input, run, seed_catalogue
from tests.live_server import serving
from tests.schema.test_care_file import PROTECTED as CARE_FILE_FIELDS
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.domain.naming import camel_case
from trackchild_hub.resolvers.context import Services

# (type, field) -> the path under `case` where the query below reads it.
PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Child", "name"): ("child", "name"),
    ("Child", "dateOfBirth"): ("child", "dateOfBirth"),
    ("Child", "aliases"): ("child", "aliases"),
    ("Child", "guardians"): ("child", "guardians"),
    ("Child", "confidential"): ("child", "confidential"),
    ("Guardian", "name"): ("child", "guardians", 0, "name"),
    ("Guardian", "phone"): ("child", "guardians", 0, "phone"),
    ("Reporter", "name"): ("reporter", "name"),
    ("Reporter", "phone"): ("reporter", "phone"),
    ("CaseEvent", "note"): ("events", -1, "note"),
    ("FoundCase", "foundByContact"): ("foundByContact",),
}
EVERYTHING = """
query($missing: ID!, $found: ID!) {
  missing: case(id: $missing) { ...All }
  found: case(id: $found) { ...All }
}
fragment All on Case {
  reference
  events { type note }
  child { gender name dateOfBirth aliases confidential guardians { relation name phone } }
  ... on MissingCase { reporter { relation name phone } }
  ... on FoundCase { foundByContact }
}"""


def _declared() -> dict[tuple[str, str], list[list[str]]]:
    out = {}
    for type_def in SCHEMA.schema_converter.type_map.values():
        definition = type_def.definition
        # Root fields declare who may call the operation (FORBIDDEN): tests/schema/test_operation_access.py.
        if isinstance(definition, StrawberryObjectDefinition) and definition.name not in ("Query", "Mutation"):
            for f in definition.fields:
                for d in f.directives:
                    if isinstance(d, RequiresScopes):
                        out[(definition.name, camel_case(f.name))] = [[str(s) for s in group] for group in d.scopes]
    return out


# Protected fields outside cases, with the test that runs every role against them.
COVERED_ELSEWHERE = {
    ("MissingCase", "circumstances"): "tests/auth/test_contract_matrix.py",
    ("FoundCase", "currentPlacement"): "tests/auth/test_contract_matrix.py",
    ("FoundCase", "closureReason"): "tests/auth/test_contract_matrix.py",
    ("MissingCase", "closureReason"): "tests/schema/test_free_text.py",
    ("CareCase", "closureReason"): "tests/schema/test_free_text.py",
    ("Child", "photoUrl"): "tests/http/test_photos.py::test_each_role_sees_child_photo_url_exactly_with_child_identity",
    ("CitizenReport", "photoUrl"): "tests/http/test_photos.py::test_report_photo_url_per_role",
    ("Subscription", "alerts"): "tests/schema/test_alerts_subscription.py",  # each role subscribes, or not
    ("Functionary", "phones"): "tests/schema/test_directory.py::test_functionary_contacts_for_every_role",
    ("Functionary", "email"): "tests/schema/test_directory.py::test_functionary_contacts_for_every_role",
    **dict.fromkeys(
        (
            ("RiskAssessment", "vulnerabilities"),
            ("RiskAssessment", "notes"),
            ("ChecklistEntry", "note"),
            ("AhtuProgressReport", "summary"),
        ),
        "tests/schema/test_workflow_access.py::test_each_role_sees_the_workflow_fields_its_scopes_allow",
    ),
    **{
        ("CitizenReport", field): "tests/schema/test_citizen_reports.py::test_each_role_sees_a_reports_identity_fields"
        for field in ("childName", "reporterName", "reporterRelation", "contactPhone", "circumstances")
    },
    **dict.fromkeys(
        CARE_FILE_FIELDS,
        "tests/schema/test_care_file.py::test_each_role_reads_and_writes_the_file_exactly_as_its_scopes_allow",
    ),
}


def test_the_matrix_covers_every_protected_field() -> None:
    assert set(_declared()) == set(PATHS) | set(COVERED_ELSEWHERE), "a protected field is missing from the role matrix"


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


async def test_each_role_sees_exactly_what_its_scopes_allow(store: Services, live_hub: str) -> None:
    await seed_catalogue(store)
    missing = data(
        await run(
            store,
            "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id } }",
            {"i": missing_input(child={**missing_input()["child"], "dateOfBirth": "2016-05-01"})},
        )
    )
    found = data(
        await run(
            store,
            "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }",
            {"i": found_input(foundByContact="+919811111111")},
        )
    )
    ids = {"missing": missing["reportMissing"]["id"], "found": found["reportFound"]["id"]}
    for case_id in ids.values():
        note = {"id": case_id, "version": 1, "placeText": "checked", "note": "spoke to the mother"}
        data(await run(store, "mutation($i: UpdateCaseInput!) { updateCase(input: $i) { id } }", {"i": note}))
    declared = _declared()
    issuer = dev_issuer(store.settings)
    async with httpx.AsyncClient(base_url=live_hub, timeout=30) as client:
        public = (await client.post("/graphql", json={"query": EVERYTHING, "variables": ids})).json()
        assert public["data"] == {"missing": None, "found": None}
        assert {e["extensions"]["code"] for e in public["errors"]} == {"FORBIDDEN"}
        for agency in Agency:
            token = issuer.issue(issuer.clients[f"demo-{agency.value}"])
            response = await client.post(
                "/graphql", json={"query": EVERYTHING, "variables": ids}, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200
            body = response.json()
            scopes = ROLE_SCOPES[agency]
            for (type_name, field), path in PATHS.items():
                allowed = any(all(s in scopes for s in group) for group in declared[(type_name, field)])
                root = body["data"]["found" if type_name == "FoundCase" else "missing"]
                if path[0] == "child" and len(path) > 2 and not allowed and type_name == "Guardian":
                    continue  # hidden with its parent list, which the Child.guardians row checks
                value = _at(root, path)
                assert (value is not None) == allowed, (agency.value, type_name, field, value)
            denied = {tuple(e["path"]) for e in body.get("errors", [])}
            assert all(e["extensions"]["code"] == "UNAUTHORIZED_FIELD_OR_TYPE" for e in body.get("errors", []))
            assert denied == _expected_denied(body["data"], declared, scopes), agency.value


def _expected_denied(
    roots: dict[str, Any], declared: dict[tuple[str, str], list[list[str]]], scopes: frozenset[str]
) -> set[tuple[Any, ...]]:
    """Every place a field the role may not read appears in the response (the error paths to expect)."""

    def denied(type_name: str, field: str) -> bool:
        return not any(all(s in scopes for s in group) for group in declared[(type_name, field)])

    out: set[tuple[Any, ...]] = set()
    for root_name, root in roots.items():
        out |= {
            (root_name, "child", f)
            for f in ("name", "dateOfBirth", "aliases", "guardians", "confidential")
            if denied("Child", f)
        }
        out |= {(root_name, "events", i, "note") for i in range(len(root["events"])) if denied("CaseEvent", "note")}
        if root_name == "missing":
            out |= {(root_name, "reporter", f) for f in ("name", "phone") if denied("Reporter", f)}
        if root_name == "found" and denied("FoundCase", "foundByContact"):
            out.add((root_name, "foundByContact"))
    return out
