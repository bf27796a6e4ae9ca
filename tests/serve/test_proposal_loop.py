"""The proposal loop inside ``serve``: cases another process wrote get match proposals on the next round, with no
request to the hub. The interval is ``TRACKCHILD_PROPOSE_EVERY_S`` (default 30 s); here half a second."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.factories import HOWRAH, WB, today
from tests.live_server import demo_police_token
from tests.matching.bulk_store import write_cases
from tests.serve.served import hub_env, serving, until, upgraded
from trackchild_hub.app import build_services
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.settings import Settings, SettingsError

CANDIDATES = "query ($id: ID!) { matchCandidates(caseId: $id, first: 5) { id band status } }"
FIND = '{ findMatches(description: {name: "Anyone", gender: MALE, ageYears: 9}, first: 1) { id } }'
ROUND_S = 20  # liveness bound: well past the half-second interval, short of the 30 s default


def written_elsewhere(env: dict[str, str]) -> list[str]:
    """A missing child and the same child found, written to the store as another process (an import, another hub)
    would: no proposals made by the writer."""
    settings = Settings.from_env(env)
    records = [
        MatchRecord(
            kind=kind,
            gender=Gender.MALE,
            name="Zorawar Bhullar",
            guardian_names=("Harjit Bhullar",),
            age_years=9,
            event_date=today() - timedelta(days=days_ago),
            state=WB,
            district=HOWRAH,
        )
        for kind, days_ago in ((CaseKind.MISSING, 10), (CaseKind.FOUND, 2))
    ]

    async def write() -> list[str]:
        services = build_services(settings)
        try:
            return await write_cases(services, records, prefix="elsewhere")
        finally:
            await services.engine.dispose()

    return asyncio.run(write())


def test_the_interval_is_a_setting() -> None:
    assert Settings.from_env({}).propose_every_s == 30.0
    assert Settings.from_env({"TRACKCHILD_PROPOSE_EVERY_S": "0.5"}).propose_every_s == 0.5
    for unusable in ("0", "-1", "soon", "86401"):
        with pytest.raises(SettingsError, match="TRACKCHILD_PROPOSE_EVERY_S"):
            Settings.from_env({"TRACKCHILD_PROPOSE_EVERY_S": unusable})


@pytest.mark.slow
def test_serve_proposes_matches_for_cases_written_elsewhere_without_a_request(tmp_path: Path) -> None:
    env = hub_env(tmp_path, PROPOSE_EVERY_S="0.5")
    upgraded(env, tmp_path)
    with serving(tmp_path, env, "--workers", "1") as hub:
        token = demo_police_token(f"{hub.base}/oauth/token")
        assert "errors" not in hub.graphql(FIND, token)  # the index's baseline is built: later cases are "new"
        missing, found = written_elsewhere(env)

        def proposed() -> list[dict[str, Any]] | None:
            body = hub.graphql(CANDIDATES, token, id=missing)
            assert "errors" not in body, body
            candidates: list[dict[str, Any]] = body["data"]["matchCandidates"]
            return candidates if any(c["status"] for c in candidates) else None

        candidates = until(proposed, ROUND_S, "a proposal for the pair")
        assert [(c["id"], c["band"], c["status"]) for c in candidates] == [(f"{missing}~{found}", "LIKELY", "PROPOSED")]
    log = hub.text()
    assert hub.process.returncode == 0, log[-3000:]
    assert "match proposals: 1 new for 2 changed cases" in log, log[-3000:]
