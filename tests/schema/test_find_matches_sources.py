"""``findMatches(sources:)``: the store's candidates and live state systems' records (real simulator processes over
loopback HTTP), ranked together, with the stored candidates' masking, and failures beside the answer."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from strawberry.types import ExecutionResult

from tests.factories import HOWRAH, KOLKATA, PUBLIC, WB, error_codes, exchange_record, run, seed_catalogue, today
from tests.live_server import serving, simulator_process
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.matching.explain import AGE_BANDS, PLACE_BANDS
from trackchild_hub.matching.records import Band, Match, MatchRecord
from trackchild_hub.matching.scoring import Prior
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.simulator import Faults
from trackchild_hub.services.live_matches import LiveViews, merged
from trackchild_hub.services.matches import MatchView
from trackchild_hub.store.case_sync import upsert_cases

pytestmark = pytest.mark.slow

DEADLINE_MS = 2500
TIMEOUT_MS = 10_000  # per call, well past the deadline
CALM = Faults().to_json()
FIND = """
query ($d: ChildDescriptionInput!, $sources: [String!], $first: Int = 10) {
  findMatches(description: $d, first: $first, sources: $sources) {
    id source reference score band state { code } factors { field weight detail }
    case { id kind provenance { source externalId } }
  }
}"""
REVIEW = "mutation ($id: ID!) { reviewMatch(id: $id, decision: CONFIRM) { id status } }"
CWC = Principal.for_agency(Agency.CWC, subject="cwc-1")
KOLKATA_OFFICER = Principal.for_agency(Agency.POLICE, subject="kol-1", state=WB, district=KOLKATA)
# The child found, as the officer describes them: the live record WB-POL-990001 is the same child.
RAHUL = {
    "name": "Rahul Kumar",
    "gender": "MALE",
    "ageYears": 9,
    "guardianNames": ["Suresh Kumar"],
    "state": WB,
    "district": HOWRAH,
}


def _missing(
    n: int, external_id: str, name: str, father: str, source: str = "police-19", **child: Any
) -> dict[str, Any]:
    last_seen = today() - timedelta(days=12)
    record = exchange_record(n, source=source, external_id=external_id)
    record["child"] = {
        **record["child"],
        "name": name,
        "aliases": [],
        "gender": "MALE",
        "age_years": 9,
        "guardians": [{"relation": "FATHER", "name": father, "phone": "+919830000000"}],
        **child,
    }
    record["place"] = {"state": WB, "district": HOWRAH, "text": "Howrah station"}
    record["event_date"] = last_seen.isoformat()
    record["reported_at"] = f"{last_seen.isoformat()}T18:30:00+05:30"
    record["fir"] = {"number": f"{n}/2026", "date": last_seen.isoformat()}
    return record


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    with (
        simulator_process("police", "19", "--records", "40") as wb,
        simulator_process("police", "10", "--records", "40") as bihar,
    ):
        with httpx.Client() as http:
            for n, (external_id, name, father, extra) in enumerate(LIVE, start=1):
                record = _missing(900 + n, external_id, name, father, **extra)
                http.post(f"{wb}/_sim/records", json=record).raise_for_status()
        yield {"police-19": wb, "police-10": bihar}


LIVE = [
    ("WB-POL-990001", "Rahul Kumar", "Suresh Kumar", {}),
    ("WB-POL-990002", "Rahul Kumaar", "Suresh Kumar", {"confidential": True}),  # a CWC's case: never hinted at
]


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
async def hub(store: Services, upstreams: dict[str, str], sent: list[httpx.Request]) -> AsyncIterator[Services]:
    async def record(request: httpx.Request) -> None:
        sent.append(request)

    await seed_catalogue(store)
    async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
        for url in upstreams.values():
            (await http.post(f"{url}/_sim/faults", json=CALM)).raise_for_status()
        connectors = tuple(
            RestConnector(
                ConnectorConfig(source, ConnectorKind.POLICE, state, ConnectorType.REST, url, timeout_ms=TIMEOUT_MS),
                http,
                store.geography,
            )
            for (source, url), state in zip(upstreams.items(), ("19", "10"), strict=True)
        )
        settings = replace(store.settings, fanout_deadline_ms=DEADLINE_MS)
        try:
            yield replace(store, settings=settings, connectors=connectors)
        finally:
            for url in upstreams.values():
                (await http.post(f"{url}/_sim/faults", json=CALM)).raise_for_status()


async def _store_local(hub: Services, *records: dict[str, Any]) -> None:
    async with hub.sessions() as session, session.begin():
        await upsert_cases(session, [parse_exchange_record(r) for r in records], hub.geography, actor="test")


def _found(result: ExecutionResult, allowed: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    codes = {code for code, _ in error_codes(result)}
    assert codes <= allowed, result.errors
    assert result.data is not None
    found: list[dict[str, Any]] = result.data["findMatches"]
    return found


async def _faults(upstreams: dict[str, str], source: str, **faults: Any) -> None:
    async with httpx.AsyncClient() as http:
        (await http.post(f"{upstreams[source]}/_sim/faults", json=faults)).raise_for_status()


async def _requests(upstreams: dict[str, str]) -> dict[str, int]:
    async with httpx.AsyncClient() as http:
        return {s: (await http.get(f"{u}/_sim/stats")).json()["requests"] for s, u in upstreams.items()}


async def test_live_records_are_scored_and_ranked_with_the_stored_ones(hub: Services) -> None:
    await _store_local(hub, _missing(1, "IMP-1", "Rahul Kumar", "Mohan Lal", source="import-1"))
    found = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["all"]}))
    best = found[0]
    assert best["source"] == "police-19"  # the live record, same name and father, beats the stored one
    assert best["case"] == {
        "id": "remote:police-19:WB-POL-990001",
        "kind": "MISSING",
        "provenance": {"source": "police-19", "externalId": "WB-POL-990001"},
    }
    assert best["id"] == "~remote:police-19:WB-POL-990001"
    assert best["band"] == "LIKELY"
    assert {"name", "guardians"} <= {f["field"] for f in best["factors"]}
    for factor in best["factors"]:  # no identifying value quoted
        assert "Rahul" not in factor["detail"]
        assert "Suresh" not in factor["detail"]
    local = [c for c in found if c["source"] == "local"]
    assert [c["case"]["provenance"]["externalId"] for c in local] == ["IMP-1"]
    scores = [c["score"] for c in found]
    assert scores == sorted(scores, reverse=True)
    assert {c["source"] for c in found} <= {"local", "police-19", "police-10"}
    assert "WB-POL-990002" not in str(found)  # confidential: not for the police

    review = await run(hub, REVIEW, {"id": best["id"]}, CWC)  # a live record is not stored: nothing to review
    assert error_codes(review) == [("NOT_FOUND", None)]

    only_local = _found(await run(hub, FIND, {"d": RAHUL}))
    assert [c["source"] for c in only_local] == ["local"]
    assert _found(await run(hub, FIND, {"d": RAHUL, "sources": ["local"]})) == only_local


async def test_a_live_record_the_store_holds_is_counted_once(hub: Services) -> None:
    await _store_local(hub, _missing(901, "WB-POL-990001", "Rahul Kumar", "Suresh Kumar"))  # synced earlier
    found = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["all"]}))
    copies = [c for c in found if c["case"]["provenance"]["externalId"] == "WB-POL-990001"]
    assert len(copies) == 1
    assert copies[0]["source"] == "local"  # the stored case stands for it
    assert not copies[0]["case"]["id"].startswith("remote:")
    live_only = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["police-19"]}))
    assert live_only[0]["case"]["id"] == "remote:police-19:WB-POL-990001"  # the store not asked: the live record
    assert {c["source"] for c in live_only} == {"police-19"}


async def test_jurisdiction_and_confidentiality_apply_to_live_candidates(hub: Services) -> None:
    """A Kolkata officer sees that a likely match sits in Howrah (reference, state, score, reasons), not the case;
    a CWC sees the confidential child the police never hear of; the public may not search at all."""
    masked = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["police-19"]}, KOLKATA_OFFICER))
    best = masked[0]
    assert best["case"] is None
    assert best["reference"] == "WB-POL-990001"  # the live record's own id: whom to ask
    assert best["state"] == {"code": WB}
    assert best["source"] == "police-19"
    reasons = {f["field"]: f["detail"] for f in best["factors"]}
    assert reasons["age"] in AGE_BANDS  # by level, never the measured gap (matching/banded.py)
    assert reasons["place"].split(";")[0] in PLACE_BANDS
    assert "WB-POL-990002" not in str(masked)

    cwc = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["police-19"]}, CWC))
    assert "remote:police-19:WB-POL-990002" in {c["case"]["id"] for c in cwc if c["case"]}

    public = await run(hub, FIND, {"d": RAHUL, "sources": ["all"]}, PUBLIC)
    assert error_codes(public)[0][0] in {"FORBIDDEN", "UNAUTHENTICATED"}


async def test_a_slow_and_a_failing_system_are_errors_beside_the_answer(
    hub: Services, upstreams: dict[str, str]
) -> None:
    await _store_local(hub, _missing(1, "IMP-1", "Rahul Kumar", "Mohan Lal", source="import-1"))
    await _faults(upstreams, "police-10", latency_ms=30_000)
    started = time.monotonic()
    result = await run(hub, FIND, {"d": RAHUL, "sources": ["all"]})
    assert time.monotonic() - started < DEADLINE_MS / 1000 + 4.5  # the deadline, not the 30 s
    found = _found(result, frozenset({"UPSTREAM_TIMEOUT"}))
    error = next(e for e in result.errors or [])
    assert error.path == ["findMatches"]
    assert (error.extensions or {})["source"] == "police-10"
    assert {c["source"] for c in found} == {"local", "police-19"}

    await _faults(upstreams, "police-10", latency_ms=0, error_rate=1.0)
    result = await run(hub, FIND, {"d": RAHUL, "sources": ["police-10", "police-19"]})
    assert error_codes(result) == [("UPSTREAM_UNAVAILABLE", None)]
    assert (result.errors or [])[0].extensions == {**((result.errors or [])[0].extensions or {}), "source": "police-10"}
    assert _found(result, frozenset({"UPSTREAM_UNAVAILABLE"}))[0]["case"]["id"] == "remote:police-19:WB-POL-990001"


async def test_malformed_records_and_a_garbage_answer_are_no_500(hub: Services, upstreams: dict[str, str]) -> None:
    await _faults(upstreams, "police-19", malformed_rate=1.0)  # every record corrupted: dropped
    found = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["police-19"]}))
    assert found == []

    async def garbage(_: Request) -> Response:
        return PlainTextResponse("<html>maintenance</html>\x00\xff" * 1000, media_type="application/json")

    app = Starlette(routes=[Route("/v1/cases/search", garbage), Route("/v1/health", garbage)])
    with serving(app) as url:
        config = ConnectorConfig("police-27", ConnectorKind.POLICE, "27", ConnectorType.REST, url, timeout_ms=2000)
        async with httpx.AsyncClient() as http:
            broken = replace(hub, connectors=(*hub.connectors, RestConnector(config, http, hub.geography)))
            await _faults(upstreams, "police-19", malformed_rate=0.0)
            result = await run(broken, FIND, {"d": RAHUL, "sources": ["all"]})
    assert error_codes(result) == [("UPSTREAM_UNAVAILABLE", None)]
    assert (result.errors or [])[0].extensions == {"code": "UPSTREAM_UNAVAILABLE", "source": "police-27"}
    assert _found(result, frozenset({"UPSTREAM_UNAVAILABLE"}))[0]["source"] == "police-19"


async def test_unknown_huge_or_control_character_sources_call_no_system(
    hub: Services, upstreams: dict[str, str]
) -> None:
    before = await _requests(upstreams)
    tried = (["police-99"], ["all", "x" * 9000], ["police-19\x00"], [], ["local", "\u202e"], ["x" * 20_000])
    for sources in tried:
        result = await run(hub, FIND, {"d": RAHUL, "sources": sources})
        assert result.data is None
        ((code, field),) = error_codes(result)
        assert code == "BAD_USER_INPUT"
        assert (field or "").startswith("sources"), field  # at the edge (sources.1) or by the resolver
        assert len(str(result.errors)) < 2000  # a huge name is not echoed back whole
    assert await _requests(upstreams) == before


async def test_what_is_sent_upstream_is_a_short_word_of_the_name(hub: Services, sent: list[httpx.Request]) -> None:
    for described, words in (
        ({**RAHUL, "name": " Rahul\tKumar ", "aliases": ["Mo\u200dnu"]}, {None, "Rahul", "Mo\u200dnu"}),
        ({**RAHUL, "name": "R" * 9000, "aliases": ["x"]}, {None, "R" * 60}),
        ({**RAHUL, "name": None}, {None}),
        ({**RAHUL, "name": "Monu", "aliases": ["monu", "Monu Kumar"]}, {None, "monu"}),
    ):
        sent.clear()
        assert _found(await run(hub, FIND, {"d": described, "sources": ["police-19"]}))
        names = [r.url.params.get("name") for r in sent if r.url.path == "/v1/cases/search"]
        assert sorted(names, key=str) == sorted(words, key=str)  # each once; the place search carries no name
        assert all(len(str(r.url)) < 1000 for r in sent)


async def test_ages_up_to_21_are_accepted_as_estimates(hub: Services) -> None:
    for age in (18, 21):
        assert _found(await run(hub, FIND, {"d": {**RAHUL, "ageYears": age}, "sources": ["all"]}))
    for age in (22, -1):
        result = await run(hub, FIND, {"d": {**RAHUL, "ageYears": age}, "sources": ["all"]})
        assert error_codes(result) == [("BAD_USER_INPUT", "description.ageYears")]


async def test_first_is_checked_before_any_system_is_called(hub: Services, upstreams: dict[str, str]) -> None:
    before = await _requests(upstreams)
    for first in (0, 51):
        result = await run(hub, FIND, {"d": RAHUL, "sources": ["all"], "first": first})
        assert error_codes(result) == [("BAD_USER_INPUT", "first")]
    assert await _requests(upstreams) == before
    three = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["all"], "first": 3}))
    assert len(three) == 3


async def test_the_answer_is_the_same_twice(hub: Services) -> None:
    """Ranked by total weight, ties by case id: the same request gives the same list, scores never rising."""
    await _store_local(hub, _missing(1, "IMP-1", "Ravi Das", "Mohan Lal", source="import-1"))
    first = _found(await run(hub, FIND, {"d": {"gender": "MALE", "ageYears": 9}, "sources": ["all"], "first": 20}))
    again = _found(await run(hub, FIND, {"d": {"gender": "MALE", "ageYears": 9}, "sources": ["all"], "first": 20}))
    assert [c["id"] for c in first] == [c["id"] for c in again]
    scores = [c["score"] for c in first]
    assert scores == sorted(scores, reverse=True)
    assert {c["source"] for c in first} >= {"local", "police-19"}  # one list of both


def test_one_ranking_by_total_weight_not_the_rounded_score() -> None:
    """Strong matches all round to a score of 1.0: the merge ranks by the total weight behind it, as the index does."""

    def view(case_id: str, total: float, source: str) -> MatchView:
        match = Match(case_id, 1.0, Band.LIKELY, (), total)
        return MatchView(f"~{case_id}", match, MatchRecord(CaseKind.MISSING, case_id=case_id), None, None, None, source)

    stored = [view("a-stored", 20.0, "local"), view("c-stored", 20.0, "local")]
    live = [view("z-live", 30.0, "police-19"), view("b-live", 20.0, "police-19")]
    prior = Prior(population=100_000, reported=0.5)
    ranked = merged(stored, LiveViews(live, ()), 3, prior)
    assert [v.match.case_id for v in ranked] == ["z-live", "a-stored", "b-live"]


async def test_a_stored_and_a_live_report_of_one_child_split_the_probability(hub: Services) -> None:
    """At most one report is the child: a stored report and a live one alike in every compared field are each
    LIKELY alone, and together share the probability (neither LIKELY), as two stored ones do in one search."""
    await _store_local(hub, _missing(1, "IMP-1", "Rahul Kumar", "Suresh Kumar", source="import-1"))
    stored = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["local"]}))
    live = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["police-19"]}))
    assert stored[0]["case"]["provenance"]["externalId"] == "IMP-1"
    assert live[0]["case"]["provenance"]["externalId"] == "WB-POL-990001"
    assert stored[0]["band"] == live[0]["band"] == "LIKELY"
    both = _found(await run(hub, FIND, {"d": RAHUL, "sources": ["all"]}))
    top = {c["case"]["provenance"]["externalId"]: c for c in both[:2]}
    assert set(top) == {"IMP-1", "WB-POL-990001"}
    assert [c["band"] for c in top.values()] == ["POSSIBLE", "POSSIBLE"]
    assert top["IMP-1"]["score"] == top["WB-POL-990001"]["score"] == pytest.approx(0.5, abs=0.01)
    assert sum(c["score"] for c in both) <= 1.0 + 0.0001 * len(both)  # one child: the shares add up to 1 at most
