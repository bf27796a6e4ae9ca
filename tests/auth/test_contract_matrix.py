"""The role x field matrix written by hand from shared/CONTRACT.md, not from the schema's own declarations.

``test_role_matrix.py`` derives what each role should see from the ``@requiresScopes`` the schema declares, so a
field declared with the wrong scope (or none) passes there. Here every cell was written by reading CONTRACT.md's two
tables (what each scope grants, which scopes each agency holds):

- ``cases:read`` (every agency role): case records without identity: kind, status, dates, places, descriptions;
- ``child:identity`` (police, ahtu, cci, cwc, jjb, dcpu, scps, cpsu): names, aliases, guardians, phone numbers, and
  free text an officer wrote (circumstances, notes, placement, closure reason: issue 10, hole 6), which names people;
- ``child:sensitive`` (cci, cwc, jjb, dcpu, scps, cpsu; not police/ahtu): whether a child is confidential (JJ Act
  s.74/s.99: it says the child is in conflict with law or a POCSO victim);
- the public (no token): directories and institutions, no case or child at all (``FORBIDDEN``);
- functionaries' own phone and e-mail: for agencies (every one holds ``cases:read``), not the public.

A ``V`` cell asserts the exact seeded value is returned; ``x`` asserts ``null`` and an ``UNAUTHORIZED_FIELD_OR_TYPE``
error at that path (or at the nearest withheld parent); ``F`` asserts the root operation answered ``null`` with
``FORBIDDEN``. Every error in a response must be one the table expects. Each token's scopes (``me``) are checked
against the roles table, copied by hand too. Sent over real HTTP (uvicorn on loopback)
with tokens of the embedded dev issuer for national ``demo-<agency>`` clients, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.factories import HOWRAH, WB, data, found_input, institution, missing_input, run, station, today
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.catalogue_writer import add_directory_entries, add_institutions

# Column order of the table below; "public" sends no token.
ROLES = (
    "police",
    "ahtu",
    "cci",
    "cwc",
    "jjb",
    "dcpu",
    "scps",
    "cpsu",
    "ngo",
    "legal_services",
    "district_admin",
    "state_it",
    "public",
)

# Columns, left to right: police ahtu cci cwc jjb dcpu scps cpsu | ngo legal_services district_admin state_it | public
# field (CONTRACT name)        response path                                        cells
MATRIX = """
MissingCase.reference         missing.reference                                    VVVVVVVV VVVV F
MissingCase.kind              missing.kind                                         VVVVVVVV VVVV F
MissingCase.status            missing.status                                       VVVVVVVV VVVV F
MissingCase.eventDate         missing.eventDate                                    VVVVVVVV VVVV F
MissingCase.lastSeenTime      missing.lastSeenTime                                 VVVVVVVV VVVV F
MissingCase.fir               missing.fir.number                                   VVVVVVVV VVVV F
Place.state                   missing.place.state.code                             VVVVVVVV VVVV F
Place.district                missing.place.district.code                          VVVVVVVV VVVV F
Place.text                    missing.place.text                                   VVVVVVVV VVVV F
Place.policeStation           missing.place.policeStation.name                     VVVVVVVV VVVV F
MissingCase.circumstances     missing.circumstances                                VVVVVVVV xxxx F
Reporter.relation             missing.reporter.relation                            VVVVVVVV VVVV F
Reporter.name                 missing.reporter.name                                VVVVVVVV xxxx F
Reporter.phone                missing.reporter.phone                               VVVVVVVV xxxx F
CaseEvent.type                missing.events.1.type                                VVVVVVVV VVVV F
CaseEvent.note(REPORTED:none) missing.events.0.note                                VVVVVVVV xxxx F
CaseEvent.note                missing.events.1.note                                VVVVVVVV xxxx F
Child.gender                  missing.child.gender                                 VVVVVVVV VVVV F
Child.ageYears                missing.child.ageYears                               VVVVVVVV VVVV F
Child.heightCm                missing.child.heightCm                               VVVVVVVV VVVV F
Child.complexion              missing.child.complexion                             VVVVVVVV VVVV F
Child.identifyingMarks        missing.child.identifyingMarks                       VVVVVVVV VVVV F
Child.languages               missing.child.languages                              VVVVVVVV VVVV F
Child.clothing                missing.child.clothing                               VVVVVVVV VVVV F
Child.name                    missing.child.name                                   VVVVVVVV xxxx F
Child.aliases                 missing.child.aliases                                VVVVVVVV xxxx F
Child.dateOfBirth             missing.child.dateOfBirth                            VVVVVVVV xxxx F
Child.guardians               missing.child.guardians                              VVVVVVVV xxxx F
Guardian.phone                missing.child.guardians.0.phone                      VVVVVVVV xxxx F
Child.confidential            missing.child.confidential                           xxVVVVVV xxxx F
FoundCase.foundBy             found.foundBy                                        VVVVVVVV VVVV F
FoundCase.missingSince        found.missingSince                                   VVVVVVVV VVVV F
FoundCase.foundByContact      found.foundByContact                                 VVVVVVVV xxxx F
FoundCase.currentPlacement    found.currentPlacement                               VVVVVVVV xxxx F
FoundCase.closureReason       found.closureReason                                  VVVVVVVV xxxx F
FoundCase.status              found.status                                         VVVVVVVV VVVV F
CareCase.admissionDate        care.admissionDate                                   VVVVVVVV VVVV F
CareCase.admissionOrder       care.admissionOrder.number                           VVVVVVVV VVVV F
CareCase.institution          care.institution.registrationNumber                  VVVVVVVV VVVV F
CareCase.child.name           care.child.name                                      VVVVVVVV xxxx F
Query.child:Child.gender      child.gender                                         VVVVVVVV VVVV F
Query.child:Child.name        child.name                                           VVVVVVVV xxxx F
Query.cases                   list.edges.0.node.reference                          VVVVVVVV VVVV F
PoliceStation.name            directory.edges.0.node.name                          VVVVVVVV VVVV V
PoliceStation.phones          directory.edges.0.node.phones                        VVVVVVVV VVVV V
PoliceStation.address         directory.edges.0.node.address                       VVVVVVVV VVVV V
PoliceStation.email           directory.edges.0.node.email                         VVVVVVVV VVVV V
Functionary.designation       directory.edges.0.node.functionaries.0.designation   VVVVVVVV VVVV V
Functionary.name              directory.edges.0.node.functionaries.0.name          VVVVVVVV VVVV V
Functionary.phones            directory.edges.0.node.functionaries.0.phones        VVVVVVVV VVVV x
Functionary.email             directory.edges.0.node.functionaries.0.email         VVVVVVVV VVVV x
Institution.name              institutions.edges.0.node.name                       VVVVVVVV VVVV V
Institution.phone             institutions.edges.0.node.phone                      VVVVVVVV VVVV V
"""

# Each query document, by the response roots it answers (a non-null root refused would null the whole response,
# so the list and catalogue roots are asked separately from the nullable record roots).
RECORDS = """
query Records($missing: ID!, $found: ID!, $care: ID!, $child: ID!) {
  missing: case(id: $missing) {
    reference kind status eventDate
    place { text state { code } district { code } policeStation { name } }
    events { type note }
    child {
      gender ageYears heightCm complexion identifyingMarks languages clothing
      name aliases dateOfBirth confidential guardians { relation name phone }
    }
    ... on MissingCase { lastSeenTime fir { number } circumstances reporter { relation name phone } }
  }
  found: case(id: $found) {
    status closureReason
    ... on FoundCase { foundBy missingSince foundByContact currentPlacement closureReason }
  }
  care: case(id: $care) {
    ... on CareCase { admissionDate admissionOrder { number } institution { registrationNumber } child { name } }
  }
  child(id: $child) { gender name }
}"""
LIST = """query List { list: cases(filter: {kinds: [MISSING]}, first: 5) { edges { node { reference } } } }"""
CATALOGUE = """
query Catalogue {
  directory(filter: {kinds: [POLICE_STATION]}, first: 1) {
    edges { node { name phones address email functionaries { designation name phones email } } }
  }
  institutions(first: 1) { edges { node { name phone } } }
}"""
DOCUMENTS = {"missing": RECORDS, "found": RECORDS, "care": RECORDS, "child": RECORDS, "list": LIST}
DOCUMENTS |= {"directory": CATALOGUE, "institutions": CATALOGUE}

# CONTRACT.md's "Agency roles" table, copied by hand: what the embedded issuer must grant each demo client.
_POLICE = "cases:read cases:write child:identity matches:read matches:review alerts:read"
_CWC = "cases:read cases:write child:identity child:sensitive matches:read matches:review reports:read alerts:read"
_DCPU = (
    "cases:read child:identity child:sensitive matches:read reports:read institutions:write directory:write alerts:read"
)
CONTRACT_SCOPES = {
    "police": _POLICE,
    "ahtu": _POLICE + " reports:read",
    "cci": "cases:read cases:write child:identity child:sensitive care:write matches:read alerts:read",
    "cwc": _CWC,
    "jjb": _CWC,
    "dcpu": _DCPU,
    "scps": _DCPU,
    "cpsu": "cases:read cases:write child:identity child:sensitive matches:read matches:review institutions:write"
    " directory:write reports:read audit:read alerts:read",
    "ngo": "cases:read matches:read",
    "legal_services": "cases:read reports:read",
    "district_admin": "cases:read reports:read alerts:read",
    "state_it": "cases:read reports:read directory:write",
    "public": "",
}

LAST_SEEN = today() - timedelta(days=10)
CHILD = {
    "name": "Rahul Kumar",
    "aliases": ["Raju"],
    "gender": "MALE",
    "ageYears": 9,
    "dateOfBirth": "2016-05-01",
    "heightCm": 128,
    "complexion": "wheatish",
    "identifyingMarks": ["mole on left cheek"],
    "languages": ["hi", "bn"],
    "clothing": "blue shirt, grey shorts",
    "guardians": [{"relation": "FATHER", "name": "Suresh Kumar", "phone": "+919800000000"}],
}
CIRCUMSTANCES = "left with a man from a nearby village after school"
PLACE = "Howrah station, platform 9"
NOTE = "spoke to the mother at the bus stand"
PLACEMENT = "open shelter run by Prayas, Patna Junction"
CLOSURE = "restored to the mother in Gaya"
PERSON = {"designation": "SHO", "name": "B. Roy", "phones": ["+919830000002"], "email": "sho@wbp.in"}


class Row:
    def __init__(self, line: str) -> None:
        field, path, *groups = line.split()
        marks = "".join(groups)
        assert len(marks) == len(ROLES), f"{field}: {len(marks)} cells for {len(ROLES)} roles"
        self.field = field
        self.path: tuple[str | int, ...] = tuple(int(p) if p.isdigit() else p for p in path.split("."))
        self.cells = dict(zip(ROLES, marks, strict=True))
        assert set(marks) <= {"V", "x", "F"}, field


ROWS = [Row(line) for line in MATRIX.strip().splitlines()]


def test_the_table_is_well_formed() -> None:
    assert len({r.path for r in ROWS}) == len(ROWS)
    assert {r.path[0] for r in ROWS} == set(DOCUMENTS)
    # The contract's hard lines, restated so a slip in the table above is caught: the public never sees a case,
    # ngo/legal_services/district_admin/state_it never see identity, police and ahtu never see sensitive data.
    for row in ROWS:
        if row.path[0] in {"missing", "found", "care", "child", "list"}:
            assert row.cells["public"] == "F", row.field
    for field in ("Child.name", "Child.guardians", "Reporter.phone", "MissingCase.circumstances"):
        row = next(r for r in ROWS if r.field == field)
        assert [row.cells[r] for r in ("ngo", "legal_services", "district_admin", "state_it")] == ["x"] * 4


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


async def _seed(store: Services) -> tuple[dict[str, str], dict[tuple[str | int, ...], Any]]:
    """Cases, a child, a station with a functionary and an institution; their ids and the value each path holds."""
    ps = {**station(1), "address": "GT Road, Howrah 711101", "email": "oc.howrah@wbp.in", "functionaries": [PERSON]}
    async with store.sessions() as session, session.begin():
        await add_institutions(session, [{**institution(1), "phone": "+913326000001"}])
        await add_directory_entries(session, [ps])
    missing = data(
        await run(
            store,
            "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference child { id } } }",
            {
                "i": missing_input(
                    child=CHILD,
                    circumstances=CIRCUMSTANCES,
                    lastSeenTime="17:45",
                    lastSeenDate=LAST_SEEN.isoformat(),
                )
            },
        )
    )["reportMissing"]
    note = {"id": missing["id"], "version": 1, "placeText": PLACE, "note": NOTE}
    data(await run(store, "mutation($i: UpdateCaseInput!) { updateCase(input: $i) { id } }", {"i": note}))
    found = data(
        await run(
            store,
            "mutation($i: ReportFoundInput!) { reportFound(input: $i) { id } }",
            {
                "i": found_input(
                    foundByContact="+919811111111",
                    currentPlacement=PLACEMENT,
                    missingSince=(today() - timedelta(days=5)).isoformat(),
                )
            },
        )
    )["reportFound"]
    close = {"id": found["id"], "version": 1, "outcome": "RESOLVED", "reason": CLOSURE}
    data(await run(store, "mutation($i: CloseCaseInput!) { closeCase(input: $i) { id } }", {"i": close}))
    admitted_on = (today() - timedelta(days=3)).isoformat()
    admit = {
        "institution": "WB/CCI/2020/0001",
        "admissionDate": admitted_on,
        "child": {"name": "Meena Das", "gender": "FEMALE", "ageYears": 12},
        "admissionOrder": {"number": "CWC/HWH/2026/7"},
    }
    care = data(
        await run(
            store,
            "mutation($i: AdmitToInstitutionInput!) { admitToInstitution(input: $i) { id } }",
            {"i": admit},
        )
    )["admitToInstitution"]
    ids = {"missing": missing["id"], "found": found["id"], "care": care["id"], "child": missing["child"]["id"]}
    expected = {
        ("missing", "reference"): missing["reference"],
        ("missing", "kind"): "MISSING",
        ("missing", "status"): "OPEN",
        ("missing", "eventDate"): LAST_SEEN.isoformat(),
        ("missing", "lastSeenTime"): "17:45",
        ("missing", "fir", "number"): "123/2026",
        ("missing", "place", "state", "code"): WB,
        ("missing", "place", "district", "code"): HOWRAH,
        ("missing", "place", "text"): PLACE,
        ("missing", "place", "policeStation", "name"): "Station 1",
        ("missing", "circumstances"): CIRCUMSTANCES,
        ("missing", "reporter", "relation"): "father",
        ("missing", "reporter", "name"): "Suresh Kumar",
        ("missing", "reporter", "phone"): "+919800000000",
        ("missing", "events", 1, "type"): "UPDATED",
        ("missing", "events", 0, "note"): None,  # REPORTED carries no note: null even for those who may read it
        ("missing", "events", 1, "note"): NOTE,
        ("missing", "child", "gender"): "MALE",
        ("missing", "child", "ageYears"): 9,
        ("missing", "child", "heightCm"): 128,
        ("missing", "child", "complexion"): "wheatish",
        ("missing", "child", "identifyingMarks"): ["mole on left cheek"],
        ("missing", "child", "languages"): ["hi", "bn"],
        ("missing", "child", "clothing"): "blue shirt, grey shorts",
        ("missing", "child", "name"): "Rahul Kumar",
        ("missing", "child", "aliases"): ["Raju"],
        ("missing", "child", "dateOfBirth"): "2016-05-01",
        ("missing", "child", "guardians"): CHILD["guardians"],
        ("missing", "child", "guardians", 0, "phone"): "+919800000000",
        ("missing", "child", "confidential"): False,
        ("found", "foundBy"): found_input()["foundBy"],
        ("found", "missingSince"): (today() - timedelta(days=5)).isoformat(),
        ("found", "foundByContact"): "+919811111111",
        ("found", "currentPlacement"): PLACEMENT,
        ("found", "closureReason"): CLOSURE,
        ("found", "status"): "RESOLVED",
        ("care", "admissionDate"): admitted_on,
        ("care", "admissionOrder", "number"): "CWC/HWH/2026/7",
        ("care", "institution", "registrationNumber"): "WB/CCI/2020/0001",
        ("care", "child", "name"): "Meena Das",
        ("child", "gender"): "MALE",
        ("child", "name"): "Rahul Kumar",
        ("list", "edges", 0, "node", "reference"): missing["reference"],
        ("directory", "edges", 0, "node", "name"): "Station 1",
        ("directory", "edges", 0, "node", "phones"): ["+913326412345"],
        ("directory", "edges", 0, "node", "address"): "GT Road, Howrah 711101",
        ("directory", "edges", 0, "node", "email"): "oc.howrah@wbp.in",
        ("directory", "edges", 0, "node", "functionaries", 0, "designation"): "SHO",
        ("directory", "edges", 0, "node", "functionaries", 0, "name"): "B. Roy",
        ("directory", "edges", 0, "node", "functionaries", 0, "phones"): PERSON["phones"],
        ("directory", "edges", 0, "node", "functionaries", 0, "email"): PERSON["email"],
        ("institutions", "edges", 0, "node", "name"): "Children's Home 1",
        ("institutions", "edges", 0, "node", "phone"): "+913326000001",
    }
    assert set(expected) == {r.path for r in ROWS}
    return ids, expected


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _withheld_at(role: str, row: Row) -> tuple[str | int, ...]:
    """Where a withheld cell's error is: the row's own path, or the nearest ancestor row the role may not read."""
    for depth in range(1, len(row.path)):
        ancestor = next((r for r in ROWS if r.path == row.path[:depth]), None)
        if ancestor is not None and ancestor.cells[role] == "x":
            return ancestor.path
    return row.path


async def _ask(client: httpx.AsyncClient, document: str, ids: dict[str, str], token: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    variables = ids if document is RECORDS else {}
    response = await client.post("/graphql", json={"query": document, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_each_role_gets_exactly_the_values_the_contract_grants(store: Services, live_hub: str) -> None:
    ids, expected = await _seed(store)
    issuer = dev_issuer(store.settings)
    wrong: list[str] = []
    cells = 0
    async with httpx.AsyncClient(base_url=live_hub, timeout=60) as client:
        for role in ROLES:
            token = None if role == "public" else issuer.issue(issuer.clients[f"demo-{role}"])
            me = (await _ask(client, "query { me { agency scopes } }", ids, token))["data"]["me"]
            if sorted(me["scopes"]) != sorted(CONTRACT_SCOPES[role].split()):
                wrong.append(f"{role}: granted {sorted(me['scopes'])}, CONTRACT.md says {CONTRACT_SCOPES[role]}")
            for document in dict.fromkeys(DOCUMENTS.values()):
                body = await _ask(client, document, ids, token)
                roots = {root for root, doc in DOCUMENTS.items() if doc is document}
                rows = [r for r in ROWS if r.path[0] in roots]
                want_errors: set[tuple[str, tuple[str | int, ...]]] = set()
                for row in rows:
                    cells += 1
                    mark = row.cells[role]
                    root = (body.get("data") or {}).get(str(row.path[0]))
                    if mark == "F":
                        want_errors.add(("FORBIDDEN", row.path[:1]))
                        if root is not None:
                            wrong.append(f"{role} {row.field}: root served, FORBIDDEN expected")
                        continue
                    if root is None:
                        wrong.append(f"{role} {row.field}: root {row.path[0]} is null: {body.get('errors')}")
                        continue
                    if mark == "x":
                        at = _withheld_at(role, row)
                        want_errors.add(("UNAUTHORIZED_FIELD_OR_TYPE", at))
                        if _at(body["data"], at) is not None:
                            wrong.append(f"{role} {row.field}: served {_at(body['data'], at)!r}, withheld expected")
                        continue
                    try:
                        got = _at(body["data"], row.path)
                    except (KeyError, IndexError, TypeError):
                        got = "<absent>"
                    if got != expected[row.path]:
                        wrong.append(f"{role} {row.field}: {got!r}, expected {expected[row.path]!r}")
                got_errors = {(e["extensions"]["code"], tuple(e["path"])) for e in body.get("errors", [])}
                wrong += [f"{role}: unexpected error {code} at {path}" for code, path in got_errors - want_errors]
                wrong += [f"{role}: no {code} error at {path}" for code, path in want_errors - got_errors]
    assert cells == len(ROWS) * len(ROLES)
    assert not wrong, f"{len(wrong)} cells differ from CONTRACT.md:\n" + "\n".join(wrong)
