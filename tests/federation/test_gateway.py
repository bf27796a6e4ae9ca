"""The hub behind a real Hive Gateway, composed with a partner subgraph that extends `MissingCase` by its key.

For each role (a district police officer, a state and a national CPSU, an NGO, the public) the same operations sent
to the hub directly and through the gateway give the same data and the same error codes at the same paths, with the
caller's own token forwarded to the hub. Entities the partner points at are resolved by the hub's `_entities` under
the caller's record rule: outside the jurisdiction is `null` with `NOT_FOUND` for that row, the rows the caller may see
are served, and nothing turns into the gateway's opaque `INTERNAL_SERVER_ERROR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.federation.conftest import ROLES, Federation
from tests.federation.gateway import GATEWAY_PACKAGE, HERE
from tests.npm import pinned_versions

pytestmark = pytest.mark.slow

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Operation:
    text: str
    case: str | None = None  # the seeded case whose id is passed as $id


OPERATIONS = {
    "me": Operation("{ me { authenticated agency scopes state district } }"),
    "states": Operation("{ states { code name districts { code } } }"),
    "cases": Operation(
        """{ cases(first: 20) { edges { node { id reference kind status place { state { code } district { code } }
        child { name confidential guardians { relation name phone } }
        ... on MissingCase { circumstances reporter { relation name phone } daysMissing } } } } }"""
    ),
    "case_in_home_district": Operation("query($id: ID!) { case(id: $id) { reference child { name } } }", "howrah"),
    "case_in_other_district": Operation("query($id: ID!) { case(id: $id) { reference child { name } } }", "kolkata"),
    "case_in_other_state": Operation("query($id: ID!) { case(id: $id) { reference child { name } } }", "patna"),
    "case_confidential": Operation(
        "query($id: ID!) { case(id: $id) { reference child { name } } }", "howrah_confidential"
    ),
    "case_unknown": Operation('{ case(id: "00000000000000000000000000000000") { reference } }'),
    "audit_trail_other_state": Operation(
        "query($id: ID!) { auditTrail(entityId: $id) { entityType entityId } }", "patna"
    ),
    "find_matches": Operation(
        '{ findMatches(description: {name: "Priya Kumari", gender: FEMALE, ageYears: 11}) '
        "{ score case { reference } } }"
    ),
}

# Which seeded cases each role may read, written from CONTRACT.md (jurisdiction claims; confidential children only
# for CWC/JJB/DCPU, none of these roles; the public reads no case).
VISIBLE = {
    "police_district": {"howrah"},
    "state_cpsu": {"howrah", "kolkata"},
    "national_cpsu": {"howrah", "kolkata", "patna"},
    "ngo": {"howrah", "kolkata", "patna"},
    "public": set(),
}


def post(url: str, operation: str, variables: dict[str, Any] | None, headers: dict[str, str]) -> dict[str, Any]:
    response = httpx.post(url, json={"query": operation, "variables": variables}, headers=headers, timeout=30)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def both(federation: Federation, role: str, operation: Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers of the hub and of the gateway to the same operation with the same (fresh) token."""
    variables = {"id": federation.hub.cases[operation.case].id} if operation.case else None
    headers = federation.headers(role)
    direct = post(federation.hub_url, operation.text, variables, headers)
    through = post(federation.gateway.url, operation.text, variables, headers)
    return direct, through


def error_codes(body: dict[str, Any]) -> list[tuple[str, Path]]:
    """Each error's code and path, in a stable order (a gateway may merge subgraph errors in another order)."""
    found = [(e.get("extensions", {}).get("code", "?"), tuple(e.get("path") or ())) for e in body.get("errors", [])]
    return sorted(found, key=repr)


def describe(direct: dict[str, Any], through: dict[str, Any]) -> str:
    return f"\ndirect:  {direct}\ngateway: {through}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", OPERATIONS)
def test_same_answer_direct_and_through_the_gateway(federation: Federation, role: str, name: str) -> None:
    direct, through = both(federation, role, OPERATIONS[name])
    assert through.get("data") == direct.get("data"), describe(direct, through)
    assert error_codes(through) == error_codes(direct), describe(direct, through)
    assert "INTERNAL_SERVER_ERROR" not in {code for code, _ in error_codes(through)}, describe(direct, through)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_its_own_jurisdiction_through_the_gateway(federation: Federation, role: str) -> None:
    # The gateway forwards the caller's token: without it every role would read as the public does.
    body = post(
        federation.gateway.url, "{ cases(first: 20) { edges { node { reference } } } }", None, federation.headers(role)
    )
    references = {case.reference: key for key, case in federation.hub.cases.items()}
    if VISIBLE[role]:
        assert "errors" not in body, body
        assert {references[e["node"]["reference"]] for e in body["data"]["cases"]["edges"]} == VISIBLE[role]
    else:
        assert error_codes(body) == [("FORBIDDEN", ("cases",))]


def partner_rows(federation: Federation) -> list[str]:
    """The seeded case key of each partner follow-up, in the partner's order."""
    keys = {case.id: key for key, case in federation.hub.cases.items()}
    return [keys[case_id] for case_id, _ in federation.partner.follow_ups]


RowError = tuple[int, str, Path]  # (row index, code, the error's path below the row)


def row_errors(body: dict[str, Any], prefix: Path) -> list[RowError]:
    """Each error of `body` as (row, code, path below the row) for a list at `prefix`; fails on an error elsewhere.
    Through the gateway a row is `followUps[i].case`, so `case` is dropped from the path below it."""
    found = []
    for code, path in error_codes(body):
        assert path[: len(prefix)] == prefix, (code, path, body)
        row, below = path[len(prefix)], path[len(prefix) + 1 :]
        assert isinstance(row, int), (code, path, body)
        found.append((row, code, below[1:] if below[:1] == ("case",) else below))
    return found


def entity_answers(federation: Federation, role: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The partner's follow-ups' cases asked of the hub's `_entities` directly, and through the gateway (which asks
    the partner for the follow-ups, then the hub's `_entities` for their cases, in one batch)."""
    headers = federation.headers(role)
    representations = [{"__typename": "MissingCase", "id": case_id} for case_id, _ in federation.partner.follow_ups]
    direct = post(federation.hub_url, ENTITIES, {"r": representations}, headers)
    through = post(federation.gateway.url, FOLLOW_UPS, None, headers)
    return direct, through


ENTITY_FIELDS = "id reference status child { name }"
ENTITIES = f"query($r: [_Any!]!) {{ _entities(representations: $r) {{ ... on MissingCase {{ {ENTITY_FIELDS} }} }} }}"
FOLLOW_UPS = f"{{ followUps {{ note case {{ {ENTITY_FIELDS} ngoFollowUps }} }} }}"


@pytest.mark.parametrize("role", ROLES)
def test_entities_outside_the_jurisdiction_are_not_found_directly_and_through_the_gateway(
    federation: Federation, role: str
) -> None:
    rows = partner_rows(federation)
    direct, through = entity_answers(federation, role)
    seen = describe(direct, through)
    assert through.get("data") is not None, seen

    direct_rows = direct["data"]["_entities"]
    gateway_rows = [f["case"] for f in through["data"]["followUps"]]
    assert [f["note"] for f in through["data"]["followUps"]] == [note for _, note in federation.partner.follow_ups]
    # The rows the caller may see are served, with the hub's data and the partner's field beside it.
    visible = {i for i, row in enumerate(gateway_rows) if row is not None}
    assert {rows[i] for i in visible} == VISIBLE[role], seen
    assert {i for i, row in enumerate(direct_rows) if row is not None} == visible, seen
    for i in visible:
        assert gateway_rows[i] == {**direct_rows[i], "ngoFollowUps": 1}, seen

    # Every other row is null with an error carrying the hub's code at that row, the same code both ways (the
    # gateway puts it on a field of the row: ["followUps", i, "case", "reference"]).
    direct_errors, gateway_errors = row_errors(direct, ("_entities",)), row_errors(through, ("followUps",))
    hidden = set(range(len(rows))) - visible
    expected = {(i, "FORBIDDEN" if role == "public" else "NOT_FOUND") for i in hidden}
    assert {(i, code) for i, code, _ in direct_errors if i in hidden} == expected, seen
    assert {(i, code) for i, code, _ in gateway_errors if i in hidden} == expected, seen
    assert "INTERNAL_SERVER_ERROR" not in {code for _, code, _ in gateway_errors}, seen

    # Fields withheld inside the rows it sees (an NGO reads no name): the same errors, on visible rows only. Which
    # visible row each lands on is test_field_errors_in_entities_keep_their_row's business.
    direct_fields = sorted((code, below) for i, code, below in direct_errors if i in visible)
    gateway_fields = sorted((code, below) for i, code, below in gateway_errors if i not in hidden)
    assert gateway_fields == direct_fields, seen
    if role == "ngo":
        assert direct_fields == [("UNAUTHORIZED_FIELD_OR_TYPE", ("child", "name"))] * len(visible), seen


@pytest.mark.xfail(
    strict=True,
    reason="Hive Gateway 2.15.1 reports every field error of a batched _entities fetch at the batch's first row "
    "(graphql-tools batch delegation); the data and codes are right. Drop this mark when it XPASSes.",
)
def test_field_errors_in_entities_keep_their_row(federation: Federation) -> None:
    direct, through = entity_answers(federation, "ngo")
    visible = {i for i, row in enumerate(direct["data"]["_entities"]) if row is not None}
    direct_fields = sorted(e for e in row_errors(direct, ("_entities",)) if e[0] in visible)
    gateway_fields = sorted(e for e in row_errors(through, ("followUps",)) if e[0] in visible)
    assert len(direct_fields) == len(visible) > 1  # a name withheld in each row the NGO sees
    assert gateway_fields == direct_fields, describe(direct, through)


CLOSE = (
    'mutation($id: ID!, $v: Int!) { closeCase(input: {id: $id, version: $v, outcome: CLOSED, reason: "test"}) { id } }'
)


@pytest.mark.parametrize(
    ("role", "code"),
    [("police_district", "NOT_FOUND"), ("state_cpsu", "NOT_FOUND"), ("ngo", "FORBIDDEN"), ("public", "FORBIDDEN")],
)
def test_a_refused_write_is_refused_alike_and_writes_nothing(federation: Federation, role: str, code: str) -> None:
    patna = federation.hub.cases["patna"]
    variables = {"id": patna.id, "v": patna.version}
    headers = federation.headers(role)
    direct = post(federation.hub_url, CLOSE, variables, headers)
    through = post(federation.gateway.url, CLOSE, variables, headers)
    assert error_codes(direct) == error_codes(through) == [(code, ("closeCase",))], describe(direct, through)
    assert direct.get("data") is None
    assert through.get("data") is None
    check = post(
        federation.hub_url,
        "query($id: ID!) { case(id: $id) { status version } }",
        {"id": patna.id},
        federation.headers("national_cpsu"),
    )
    assert check["data"]["case"] == {"status": "OPEN", "version": patna.version}


def test_the_gateway_forwards_each_callers_token_to_every_subgraph(federation: Federation) -> None:
    headers = federation.headers("police_district")
    before = len(federation.partner.authorizations)
    body = post(federation.gateway.url, FOLLOW_UPS, None, headers)
    assert body["data"]["followUps"], body
    assert federation.partner.authorizations[before:], "the partner was not asked"
    assert set(federation.partner.authorizations[before:]) == {headers["Authorization"]}


def test_the_gateway_is_the_pinned_hive_gateway(federation: Federation) -> None:
    assert federation.gateway.version == pinned_versions(HERE)[GATEWAY_PACKAGE]
