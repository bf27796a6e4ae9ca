"""Cursors an outsider crafts, over real HTTP: a cursor is base64 JSON anyone can write, and three doors read a
number out of it with ``str.isdigit`` and ``int``. "²" (a digit to ``isdigit``, not to ``int``), 5,000 nines (past
``int``'s 4,300-digit limit) and 40 nines (past a 64-bit SQL integer) were INTERNAL_SERVER_ERROR, on the public
``publicNotices`` and ``directory`` searches too. Each is BAD_USER_INPUT naming ``after``, like any other cursor the
API did not return."""

from __future__ import annotations

import json

import httpx

from tests.factories import seed_catalogue
from tests.live_server import serving
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.pagination import encode_cursor

DOORS = {
    "publicNotices(text)": 'query($a: String) {publicNotices(filter: {text: "rahul"}, after: $a) {edges {cursor}} }',
    "directory(text)": 'query($a: String) { directory(filter: {text: "station"}, after: $a) { edges { cursor } } }',
    "overCapacityInstitutions": "query($a: String) { overCapacityInstitutions(after: $a) { edges { cursor } } }",
}
NUMBERS = ("²", "٣", "9" * 5000, "9" * 40, "-1", "")


async def test_a_crafted_number_in_a_cursor_is_bad_input_naming_after(store: Services) -> None:
    await seed_catalogue(store)
    issuer = dev_issuer(store.settings)
    headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for door, query in DOORS.items():
                for number in NUMBERS:
                    cursor = encode_cursor(number, "x") if door == "overCapacityInstitutions" else encode_cursor(number)
                    answer = await client.post(
                        "/graphql", json={"query": query, "variables": {"a": cursor}}, headers=headers
                    )
                    [error] = json.loads(answer.content)["errors"]
                    assert (answer.status_code, error["extensions"]["code"], error["extensions"].get("field")) == (
                        200,
                        "BAD_USER_INPUT",
                        "after",
                    ), (door, number[:10], error)
            assert (await client.get("/healthz")).status_code == 200


MOMENT_DOORS = {
    "publicNotices": "query($a: String) { publicNotices(after: $a) { edges { cursor } } }",
    "cases": "query($a: String) { cases(after: $a) { edges { cursor } } }",
    "staleInstitutions": "query($a: String) { staleInstitutions(days: 3, after: $a) { edges { cursor } } }",
}
# No offset (the store's columns are UTC), and offsets that carry the moment past year 1 or 9999.
MOMENTS = ("2026-01-01", "2026-01-01T10:00:00", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59")


async def test_a_crafted_moment_in_a_cursor_is_bad_input_naming_after(store: Services) -> None:
    await seed_catalogue(store)
    issuer = dev_issuer(store.settings)
    headers = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-cpsu'])}"}
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for door, query in MOMENT_DOORS.items():
                for moment in MOMENTS:
                    variables = {"a": encode_cursor(moment, "x")}
                    answer = await client.post(
                        "/graphql", json={"query": query, "variables": variables}, headers=headers
                    )
                    [error] = json.loads(answer.content)["errors"]
                    assert (error["extensions"]["code"], error["extensions"].get("field")) == (
                        "BAD_USER_INPUT",
                        "after",
                    ), (
                        door,
                        moment,
                        error,
                    )
                # The control: a cursor with its offset, as the API writes them, is taken.
                variables = {"a": encode_cursor("2026-01-01T10:00:00+05:30", "x")}
                answer = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
                assert "errors" not in json.loads(answer.content), (door, answer.content)
