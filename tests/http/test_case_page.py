"""``/cases/{reference}``, the page alerts link to: the same static bytes for every reference (no child data rendered
by the server), a strict Content-Security-Policy, ``no-store``, assets from this origin; and the very query its script
sends, run over HTTP with real tokens per role: the officer sees what their own access allows, and a case outside
their district is "not found" byte for byte as a reference that does not exist."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.factories import HOWRAH, KOLKATA, POLICE, WB, data, hub_client, missing_input, run, seed_catalogue
from tests.live_server import serving
from tests.npm import ensure_node_modules, require_node
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.http import case_page
from trackchild_hub.services.alerts import case_link
from trackchild_hub.services.unit import Services

SCRIPT = Path(case_page.__file__).parent / "static" / "console" / "case.js"
PAGE_QUERY = re.search(r"var CASE_QUERY = `([^`]*)`;", SCRIPT.read_text(encoding="utf-8"))
RENDERER = Path(__file__).parent / "graphiql_render"  # jsdom, as for GraphiQL's page
REPORT = """mutation($input: ReportMissingInput!) { reportMissing(input: $input) { reference } }"""


def page_query() -> str:
    assert PAGE_QUERY is not None, "case.js must keep its query in `var CASE_QUERY = `...`;`"
    return PAGE_QUERY.group(1)


async def test_the_page_is_static_strict_and_never_cached(store: Services) -> None:
    async with hub_client(store.settings) as client:
        link = case_link(store.settings, "WB-2026-000123")  # what an alert's SMS and e-mail carry
        first = await client.get(httpx.URL(link).path)
        second = await client.get("/cases/WB-2026-999999")
        assets = [urljoin(str(first.url), src) for src in re.findall(r'(?:src|href)="(\.\./[^"]+)"', first.text)]
        fetched = {asset: await client.get(asset) for asset in assets}
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert first.content == second.content  # nothing of the reference (or the case) is rendered by the server
    assert b"WB-2026-000123" not in first.content
    csp = dict(part.strip().split(" ", 1) for part in first.headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'none'"
    assert "unsafe" not in first.headers["content-security-policy"]
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["referrer-policy"] == "no-referrer"
    # No inline script or style for the CSP to refuse: every script is a file, no style attribute or element.
    assert re.findall(r"<script(?![^>]*\bsrc=)", first.text) == []
    assert "<style" not in first.text
    assert " style=" not in first.text
    assert sorted(httpx.URL(a).path for a in assets) == ["/console/case.css", "/console/case.js", "/console/token.js"]
    assert all(r.status_code == 200 for r in fetched.values())
    for script in ("case.js", "token.js"):
        assert (
            fetched[urljoin(str(first.url), f"../console/{script}")]
            .headers["content-type"]
            .startswith(("text/javascript", "application/javascript"))
        )


async def ask(client: httpx.AsyncClient, reference: str, token: str | None) -> httpx.Response:
    """What case.js sends."""
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = {"query": page_query(), "variables": {"reference": reference}, "operationName": "CaseByReference"}
    return await client.post("/graphql", json=body, headers=headers)


def codes(answer: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(e["extensions"]["code"], e.get("path")) for e in answer.get("errors", [])]


async def test_the_pages_query_answers_each_officer_as_their_access_allows(store: Services) -> None:
    await seed_catalogue(store)
    reference = data(await run(store, REPORT, {"input": missing_input()}, POLICE))["reportMissing"]["reference"]
    issuer = dev_issuer(store.settings)

    def token(client: str, state: str | None, district: str | None) -> str:
        return issuer.issue(issuer.clients[client], state=state, district=district)

    async with hub_client(store.settings) as client:
        howrah_police = (await ask(client, reference, token("demo-police", WB, HOWRAH))).json()
        national_cpsu = (await ask(client, reference, token("demo-cpsu", None, None))).json()
        howrah_ngo = (await ask(client, reference, token("demo-ngo", WB, HOWRAH))).json()
        kolkata = token("demo-police", WB, KOLKATA)
        other_district = await ask(client, reference, kolkata)
        no_such_case = await ask(client, "WB-2026-999999", kolkata)
        public = (await ask(client, reference, None)).json()

    for answer in (howrah_police, national_cpsu):
        assert codes(answer) == []
        found = answer["data"]["case"]
        assert found["reference"] == reference
        assert found["child"]["name"] == "Rahul Kumar"
        assert found["place"]["policeStation"]["name"] == "Station 1"
        assert [e["type"] for e in found["events"]] == ["REPORTED"]
    # An NGO reads cases but not identities: the case, without the name (case.js shows it "hidden").
    assert howrah_ngo["data"]["case"]["reference"] == reference
    assert howrah_ngo["data"]["case"]["child"]["name"] is None
    assert codes(howrah_ngo) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["case", "child", "name"])]
    # Another district's officer: NOT_FOUND, the same bytes as for a reference that does not exist.
    assert codes(other_district.json()) == [("NOT_FOUND", ["case"])]
    assert other_district.json()["data"] == {"case": None}
    assert other_district.content == no_such_case.content
    assert reference.encode() not in other_district.content
    # Without a token: no case at all.
    assert public["data"] == {"case": None}
    assert codes(public) == [("FORBIDDEN", ["case"])]  # case.js then asks for a token


def render(url: str, storage: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The page at ``url`` run by jsdom (its script, its fetch to /graphql) with that browser storage."""
    done = subprocess.run(
        [require_node(), "case_page.cjs", url, json.dumps(storage)],
        cwd=RENDERER,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page: dict[str, Any] = json.loads(done.stdout)
    return page


async def test_the_page_shows_the_officers_case_and_not_another_districts(store: Services) -> None:
    ensure_node_modules(RENDERER)
    await seed_catalogue(store)
    reference = data(await run(store, REPORT, {"input": missing_input()}, POLICE))["reportMissing"]["reference"]
    issuer = dev_issuer(store.settings)
    howrah = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH)
    kolkata = issuer.issue(issuer.clients["demo-police"], state=WB, district=KOLKATA)
    with serving(create_app(store.settings)) as base:
        url = f"{base}/cases/{reference}"
        pasted = await asyncio.to_thread(render, url, {"session": {"trackchild:token": howrah}})
        # The token the GraphiQL console keeps (its headers editor, persisted) is used when none was pasted.
        console = {"graphiql:headers": json.dumps({"Authorization": f"Bearer {howrah}"})}
        from_console = await asyncio.to_thread(render, url, {"local": console})
        elsewhere = await asyncio.to_thread(render, url, {"session": {"trackchild:token": kolkata}})
        nobody = await asyncio.to_thread(render, url, {})
    for page in (pasted, from_console):
        assert page["errors"] == []
        assert page["caseShown"]
        assert page["heading"] == reference
        assert "Rahul Kumar" in page["child"]
        assert "Station 1" in page["summary"]
        assert " · REPORTED · officer-1" in page["events"][0]
        assert page["requested"] == [f"{base}/graphql"]
    assert not elsewhere["caseShown"]
    assert elsewhere["message"].startswith(f"No case {reference} that you may see")
    assert "Rahul Kumar" not in json.dumps(elsewhere)
    assert nobody["tokenAsked"]
    assert not nobody["caseShown"]
    assert nobody["requested"] == []  # no token, no request
