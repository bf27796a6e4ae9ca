"""Bidirectional overrides, embeddings and isolates in any string argument (the "Trojan Source" trick: a name or a
reference that reads otherwise than it is stored, in the consoles, the case page, the logs and the downloads) are
refused at the edge as BAD_USER_INPUT naming the argument, over real HTTP, and nothing is written; right-to-left
text itself (Urdu) and the direction marks some keyboards put in still pass."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from tests.auth.test_jurisdiction_http import _rows
from tests.factories import seed_catalogue, today
from tests.live_server import serving
from tests.schema.test_citizen_reports import SUBMIT, report_input
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.resolvers.context import Services
from trackchild_hub.schema.extensions.text_arguments import text_problem

OVERRIDES = ("\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069")


@pytest.mark.parametrize("control", OVERRIDES)
def test_each_bidirectional_control_is_refused(control: str) -> None:
    assert text_problem(f"Rahul{control}lumaK") == f"contains a bidirectional control character (U+{ord(control):04X})"


def test_right_to_left_text_and_direction_marks_pass() -> None:
    assert text_problem("راجو کمار") is None  # Urdu
    assert text_problem("Raju \u200fراجو\u200e Kumar") is None  # right-to-left and left-to-right marks


async def test_an_override_in_a_new_door_is_bad_input_naming_it_and_writes_nothing(store: Services) -> None:
    await seed_catalogue(store)
    issuer = dev_issuer(store.settings)
    dcpu = {"Authorization": f"Bearer {issuer.issue(issuer.clients['demo-dcpu'])}"}
    inspection = {
        "institution": "WB/CCI/2020/0001",
        "inspectedOn": (today() - timedelta(days=1)).isoformat(),
        "inspectingBody": "District Inspection Committee",
        "findings": "All well \u202e.lla ton\u202c",
    }
    requests = [
        ({}, SUBMIT, {"input": report_input(childName="Rahul \u202eramuK")}, "input.childName"),
        (
            dcpu,
            "mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { id } }",
            {"i": inspection},
            "i.findings",
        ),
        (
            {},
            'query($r: String!) { caseStatus(reference: $r, code: "1") { status } }',
            {"r": "WB-2026-\u2067000001"},
            "r",
        ),
    ]
    before = await _rows(store)
    with serving(create_app(store.settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for headers, query, variables, field in requests:
                answer = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
                [error] = json.loads(answer.content)["errors"]
                assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", field), error
                assert "bidirectional control character" in error["message"]
    assert await _rows(store) == before
