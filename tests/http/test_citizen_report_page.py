"""``/citizen-reports/{reference}``, the page an overdue citizen report's alert links to: the same static bytes for
every reference, the case page's strict headers; and the very query its script sends (``citizenReport(reference:)``)
over HTTP with real tokens per role: the station's officer sees the report, an NGO without its identity fields, an
officer of another district "not found" byte for byte as a reference that does not exist; and the page itself, run
in jsdom, shows it to the officer and nothing to the others."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from tests.factories import HOWRAH, KOLKATA, WB, hub_client, seed_catalogue
from tests.http.test_case_page import RENDERER, codes, render
from tests.live_server import serving
from tests.npm import ensure_node_modules
from tests.services.test_citizen_reports import missing, sighting, submitted
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.http import citizen_report_page
from trackchild_hub.services.alert_jobs import report_link
from trackchild_hub.services.unit import Services

SCRIPT = Path(citizen_report_page.__file__).parent / "static" / "console" / "citizen_report.js"
PAGE_QUERY = re.search(r"var REPORT_QUERY = `([^`]*)`;", SCRIPT.read_text(encoding="utf-8"))
IDENTITY = ["childName", "reporterName", "reporterRelation", "contactPhone", "circumstances"]


def page_query() -> str:
    assert PAGE_QUERY is not None, "citizen_report.js must keep its query in `var REPORT_QUERY = `...`;`"
    return PAGE_QUERY.group(1)


async def test_the_page_is_static_strict_and_never_cached(store: Services) -> None:
    async with hub_client(store.settings) as client:
        link = report_link(store.settings, "CR-7K2M9Q4XWD")  # what an overdue report's alert carries
        first = await client.get(httpx.URL(link).path)
        second = await client.get("/citizen-reports/CR-AAAAAAAAAA")
        case_page = await client.get("/cases/WB-2026-000001")
        assets = [urljoin(str(first.url), src) for src in re.findall(r'(?:src|href)="(\.\./[^"]+)"', first.text)]
        fetched = {asset: await client.get(asset) for asset in assets}
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert first.content == second.content  # nothing of the reference (or the report) is rendered by the server
    assert b"CR-7K2M9Q4XWD" not in first.content
    assert first.content != case_page.content
    for header in ("content-security-policy", "cache-control", "referrer-policy", "x-content-type-options"):
        assert first.headers[header] == case_page.headers[header], header
    assert first.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in first.headers["content-security-policy"]
    assert "unsafe" not in first.headers["content-security-policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)", first.text) == []
    assert "<style" not in first.text
    assert " style=" not in first.text
    scripts = ["/console/citizen_report.js", "/console/token.js"]  # token.js: the token part the case page shares
    assert sorted(httpx.URL(a).path for a in assets) == ["/console/case.css", *scripts]
    assert all(r.status_code == 200 for r in fetched.values())


async def ask(client: httpx.AsyncClient, reference: str, token: str | None) -> httpx.Response:
    """What citizen_report.js sends."""
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = {"query": page_query(), "variables": {"reference": reference}, "operationName": "CitizenReportByReference"}
    return await client.post("/graphql", json=body, headers=headers)


async def test_the_pages_query_answers_each_officer_as_their_access_allows(store: Services) -> None:
    await seed_catalogue(store)
    reference = (await submitted(store, missing())).reference
    issuer = dev_issuer(store.settings)

    def token(client: str, state: str | None, district: str | None) -> str:
        return issuer.issue(issuer.clients[client], state=state, district=district)

    async with hub_client(store.settings) as client:
        howrah_police = (await ask(client, reference, token("demo-police", WB, HOWRAH))).json()
        typed = (await ask(client, f" {reference.lower()} ", token("demo-police", WB, HOWRAH))).json()
        national_cpsu = (await ask(client, reference, token("demo-cpsu", None, None))).json()
        howrah_ngo = (await ask(client, reference, token("demo-ngo", WB, HOWRAH))).json()
        kolkata = token("demo-police", WB, KOLKATA)
        other_district = await ask(client, reference, kolkata)
        no_such_report = await ask(client, "CR-AAAAAAAAAA", kolkata)
        public = (await ask(client, reference, None)).json()

    for answer in (howrah_police, national_cpsu, typed):
        assert codes(answer) == []
        found = answer["data"]["citizenReport"]
        assert found["reference"] == reference
        assert found["kind"] == "MISSING"
        assert found["childName"] == "Rahul Kumar"
        assert found["contactPhone"] == "+919830012345"
        assert found["policeStation"] == "PS-19-313-001"
        assert found["triageDecision"] is None
    # An NGO reads reports but not identities: the report, each identity field refused at its path.
    shown = howrah_ngo["data"]["citizenReport"]
    assert shown["reference"] == reference
    assert shown["clothing"] == "blue shirt"
    assert all(shown[name] is None for name in IDENTITY)
    assert sorted(codes(howrah_ngo)) == sorted(
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["citizenReport", name]) for name in IDENTITY
    )
    # Another district's officer: NOT_FOUND, the same bytes as for a reference that does not exist.
    assert codes(other_district.json()) == [("NOT_FOUND", ["citizenReport"])]
    assert other_district.json()["data"] == {"citizenReport": None}
    assert other_district.content == no_such_report.content
    assert reference.encode() not in other_district.content
    assert codes(public) == [("FORBIDDEN", ["citizenReport"])]  # the page then asks for a token
    assert public["data"] == {"citizenReport": None}


async def test_the_page_shows_the_officer_the_report_and_another_district_nothing(store: Services) -> None:
    ensure_node_modules(RENDERER)
    await seed_catalogue(store)
    reference = (await submitted(store, sighting(needs_help=True))).reference
    issuer = dev_issuer(store.settings)
    howrah = issuer.issue(issuer.clients["demo-police"], state=WB, district=HOWRAH)
    kolkata = issuer.issue(issuer.clients["demo-police"], state=WB, district=KOLKATA)
    with serving(create_app(store.settings)) as base:
        url = f"{base}/citizen-reports/{reference}"
        pasted = await asyncio.to_thread(render, url, {"session": {"trackchild:token": howrah}})
        console = {"graphiql:headers": json.dumps({"Authorization": f"Bearer {howrah}"})}
        from_console = await asyncio.to_thread(render, url, {"local": console})
        elsewhere = await asyncio.to_thread(render, url, {"session": {"trackchild:token": kolkata}})
        nobody = await asyncio.to_thread(render, url, {})
    page: dict[str, Any]
    for page in (pasted, from_console):
        assert page["errors"] == []
        assert page["caseShown"]
        assert page["heading"] == reference
        assert "Sighting" in page["summary"]
        assert "yes" in page["summary"]  # needs help now
        assert "Howrah station, platform 9" in page["summary"]
        assert "a boy alone at the ticket counter, crying" in page["child"]
        assert page["events"][-1] == "waiting for triage"
        assert page["requested"] == [f"{base}/graphql"]
    assert not elsewhere["caseShown"]
    assert elsewhere["message"].startswith(f"No citizen report {reference} that you may see")
    assert "ticket counter" not in json.dumps(elsewhere)
    assert nobody["tokenAsked"]
    assert not nobody["caseShown"]
    assert nobody["requested"] == []  # no token, no request
