"""``cases(sources:)`` across the hub's store and three states' systems, each a real simulator process on loopback."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from strawberry.types import ExecutionResult

from tests.factories import POLICE, data, error_codes, exchange_record, run
from tests.live_server import serving, simulator_process
from trackchild_hub.app import quiet_http_client_logs
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.connectors.config import ConnectorConfig, ConnectorKind, ConnectorType
from trackchild_hub.connectors.mapping import RecordMapping
from trackchild_hub.connectors.port import MAX_SEARCH_LIMIT, SearchCriteria
from trackchild_hub.connectors.rest import RestConnector
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.reference import IST
from trackchild_hub.resolvers import federated_cases, live_rows
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.simulator import LEGACY_MAPPING, Faults, create_simulator
from trackchild_hub.store.case_sync import upsert_cases

pytestmark = pytest.mark.slow

# Generous, so a loaded CI machine's slow answers are not timeouts; the deadline test's upstream takes 5 s + more.
DEADLINE_MS = 2500
CASES = """
query ($sources: [String!], $first: Int = 200, $after: String, $filter: CaseFilterInput) {
  cases(sources: $sources, first: $first, after: $after, filter: $filter) {
    edges { node { id kind reference place { state { code } } provenance { source externalId fetchedAt } } }
    pageInfo { hasNextPage endCursor }
    sources { source kind state ok latencyMs error breakerState dropped }
  }
}
"""
ONE = """
query ($id: ID!) {
  case(id: $id) { id eventDate child { name gender ageYears } provenance { source externalId } }
}
"""
SYSTEMS = {  # connector id -> (kind, state, dialect)
    "police-19": ("police", "19", "standard"),
    "police-10": ("police", "10", "legacy"),
    "wcd-27": ("wcd", "27", "standard"),
}
CALM = Faults().to_json()  # every fault at its default: what each test starts from and leaves behind
# Per call, well past the deadline: a fan-out that ignored the deadline would wait this long for a slow system.
TIMEOUT_MS = 10_000


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[str, str]]:
    # 90 cases each: police systems hold 72, wcd 45, so a page of 200 holds them all and a system holds more than
    # its default search page of 50.
    with (
        simulator_process("police", "19", "--records", "90") as wb,
        simulator_process("police", "10", "--records", "90", "--dialect", "legacy") as bihar,
        simulator_process("wcd", "27", "--records", "90") as maharashtra,
    ):
        yield {"police-19": wb, "police-10": bihar, "wcd-27": maharashtra}


@pytest.fixture
def sent() -> list[httpx.Request]:
    """The requests the hub's connectors send, in order."""
    return []


@pytest.fixture
async def hub(store: Services, upstreams: dict[str, str], sent: list[httpx.Request]) -> AsyncIterator[Services]:
    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
        for url in upstreams.values():
            (await http.post(f"{url}/_sim/faults", json=CALM)).raise_for_status()
        connectors = []
        for source, (kind, state, dialect) in SYSTEMS.items():
            mapping = RecordMapping.from_config(LEGACY_MAPPING, source) if dialect == "legacy" else RecordMapping()
            config = ConnectorConfig(
                source,
                ConnectorKind(kind),
                state,
                ConnectorType.REST,
                upstreams[source],
                mapping=mapping,
                timeout_ms=TIMEOUT_MS,
            )
            connectors.append(RestConnector(config, http, store.geography))
        settings = replace(store.settings, fanout_deadline_ms=DEADLINE_MS)
        try:
            yield replace(store, settings=settings, connectors=tuple(connectors))
        finally:  # the simulators are the module's: leave them calm for the next test, whatever this one did
            for url in upstreams.values():
                (await http.post(f"{url}/_sim/faults", json=CALM)).raise_for_status()


async def _searched(hub: Services) -> dict[str, set[str]]:
    """What each system holds that the test's police officer may see: confidential children are for CWC/JJB/DCPU."""
    found = {c.id: (await c.search(SearchCriteria(limit=MAX_SEARCH_LIMIT))).items for c in hub.connectors}
    return {source: {r.external_id or "" for r in items if not r.child.confidential} for source, items in found.items()}


def _cases(result: ExecutionResult) -> dict[str, Any]:
    """The connection, with or without upstream errors beside it (other errors fail the test)."""
    codes = {code for code, _ in error_codes(result)} if result.errors else set()
    assert codes <= {"UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE"}, result.errors
    assert result.data is not None
    connection: dict[str, Any] = result.data["cases"]
    return connection


def _nodes(result: ExecutionResult) -> list[dict[str, Any]]:
    return [e["node"] for e in _cases(result)["edges"]]


def _status(result: ExecutionResult) -> dict[str, dict[str, Any]]:
    return {s["source"]: s for s in _cases(result)["sources"]}


async def _faults(upstreams: dict[str, str], source: str, **faults: Any) -> None:
    async with httpx.AsyncClient() as http:
        (await http.post(f"{upstreams[source]}/_sim/faults", json=faults)).raise_for_status()


async def test_local_and_three_states_merge_by_identity(hub: Services) -> None:
    searched = await _searched(hub)
    synced = await hub.connectors[0].get(sorted(searched["police-19"])[0])
    assert synced is not None
    local = [parse_exchange_record(exchange_record(n, source="import-1")) for n in (1, 2, 3)]
    async with hub.sessions() as session, session.begin():
        await upsert_cases(session, [*local, synced], hub.geography, actor="test")

    nodes = _nodes(result := await run(hub, CASES, {"sources": ["all"]}))
    identities = [(n["provenance"]["source"], n["provenance"]["externalId"]) for n in nodes]
    assert len(identities) == len(set(identities))  # nothing twice
    assert {s: {e for src, e in identities if src == s} for s in searched} == searched
    assert sum(1 for s, _ in identities if s == "import-1") == 3
    copy = next(n for n in nodes if n["provenance"]["externalId"] == synced.external_id)
    assert not copy["id"].startswith("remote:")  # the stored copy stands for the live record
    remote = [n for n in nodes if n["id"].startswith("remote:")]
    assert len(remote) == sum(map(len, searched.values())) - 1
    assert {n["place"]["state"]["code"] for n in remote} == {"19", "10", "27"}
    assert all(n["provenance"]["fetchedAt"] for n in nodes)
    assert [n["provenance"]["source"] for n in nodes].count("police-10") == len(searched["police-10"])
    statuses = _status(result)
    assert set(statuses) == set(SYSTEMS)
    assert all(s["ok"] and s["error"] is None and s["breakerState"] == "CLOSED" for s in statuses.values())

    only_local = _nodes(await run(hub, CASES, {"sources": None}))
    assert len(only_local) == 4
    assert data(await run(hub, CASES, {"sources": None}))["cases"]["sources"] is None


async def test_the_dialect_system_is_mapped_onto_the_exchange_record(hub: Services, upstreams: dict[str, str]) -> None:
    external_id = sorted((await _searched(hub))["police-10"])[0]
    async with httpx.AsyncClient() as http:
        truth = (await http.get(f"{upstreams['police-10']}/_sim/records/{external_id}")).json()
    case = data(await run(hub, ONE, {"id": f"remote:police-10:{external_id}"}))["case"]
    assert case["eventDate"] == truth["event_date"]
    assert case["child"] == {
        "name": truth["child"]["name"],
        "gender": truth["child"]["gender"],
        "ageYears": truth["child"]["age_years"],
    }
    assert case["provenance"] == {"source": "police-10", "externalId": external_id}


async def test_a_slow_state_costs_no_more_than_the_deadline(hub: Services, upstreams: dict[str, str]) -> None:
    await _faults(upstreams, "wcd-27", latency_ms=30_000)
    started = time.monotonic()
    result = await run(hub, CASES, {"sources": ["all"]})
    elapsed = time.monotonic() - started
    # The deadline and a loaded machine's margin; ignoring the deadline would cost the 10 s per-call timeout.
    assert elapsed < DEADLINE_MS / 1000 + 4.5, elapsed
    assert ("UPSTREAM_TIMEOUT", None) in error_codes(result)
    error = next(e for e in result.errors or [] if (e.extensions or {}).get("code") == "UPSTREAM_TIMEOUT")
    assert error.path == ["cases"]
    assert (error.extensions or {})["source"] == "wcd-27"
    sources = {n["provenance"]["source"] for n in _nodes(result)}
    assert sources == {"police-19", "police-10"}  # the others' data arrives anyway
    statuses = _status(result)
    assert not statuses["wcd-27"]["ok"]
    assert statuses["wcd-27"]["error"].startswith("UPSTREAM_TIMEOUT")


async def test_a_dead_state_opens_its_breaker_which_closes_after_recovery(
    hub: Services, upstreams: dict[str, str]
) -> None:
    bihar = hub.connectors[1]
    assert isinstance(bihar, RestConnector)
    clock = FrozenClock()
    bihar.resilience.breaker.clock = clock
    await _faults(upstreams, "police-10", error_rate=1.0)
    states = []
    for _ in range(bihar.resilience.breaker.failure_threshold):
        result = await run(hub, CASES, {"sources": ["police-10", "police-19"]})
        assert ("UPSTREAM_UNAVAILABLE", None) in error_codes(result)
        assert {n["provenance"]["source"] for n in _nodes(result)} == {"police-19"}
        states.append(_status(result)["police-10"]["breakerState"])
    assert states == ["CLOSED"] * (len(states) - 1) + ["OPEN"]  # each request's retries are one failure, not three
    async with httpx.AsyncClient() as http:
        before = (await http.get(f"{upstreams['police-10']}/_sim/stats")).json()["requests"]
        result = await run(hub, CASES, {"sources": ["police-10"]})  # open: not even called
        assert (await http.get(f"{upstreams['police-10']}/_sim/stats")).json()["requests"] == before
    assert "circuit open" in _status(result)["police-10"]["error"]

    await _faults(upstreams, "police-10", error_rate=0)
    clock.now += bihar.resilience.breaker.open_seconds  # the pause moved past on the breaker's clock, not slept
    result = await run(hub, CASES, {"sources": ["police-10"]})
    assert not result.errors
    assert _status(result)["police-10"] == {**_status(result)["police-10"], "ok": True, "breakerState": "CLOSED"}
    assert _nodes(result)


async def test_malformed_records_are_dropped_and_counted(hub: Services, upstreams: dict[str, str]) -> None:
    await _faults(upstreams, "police-19", malformed_rate=0.3)
    async with httpx.AsyncClient() as http:
        stats = f"{upstreams['police-19']}/_sim/stats"
        before = (await http.get(stats)).json()["malformed_served"]
        result = await run(hub, CASES, {"sources": ["police-19"]})
        served = (await http.get(stats)).json()["malformed_served"] - before
    assert served > 0
    assert _status(result)["police-19"]["dropped"] == served
    totals = {s["source"]: s["dropped"] for s in data(await run(hub, "{ sources { source dropped } }"))["sources"]}
    assert totals == {"police-19": served, "police-10": 0, "wcd-27": 0}  # since the connectors were built
    assert _status(result)["police-19"]["ok"]
    assert len(_nodes(result)) == len((await _searched(hub))["police-19"])


async def test_jurisdiction_confines_live_records_and_the_systems_called(
    hub: Services, upstreams: dict[str, str]
) -> None:
    wb_officer = Principal.for_agency(Agency.POLICE, subject="wb-1", state="19")
    async with httpx.AsyncClient() as http:
        before = {s: (await http.get(f"{u}/_sim/stats")).json()["requests"] for s, u in upstreams.items()}
        result = await run(hub, CASES, {"sources": ["all"]}, wb_officer)
        after = {s: (await http.get(f"{u}/_sim/stats")).json()["requests"] for s, u in upstreams.items()}
    assert {n["place"]["state"]["code"] for n in _nodes(result)} == {"19"}
    assert set(_status(result)) == {"police-19"}
    assert after["police-10"] == before["police-10"]
    assert after["wcd-27"] == before["wcd-27"]


async def test_confidential_live_records_only_for_the_bodies_deciding_them(
    hub: Services, upstreams: dict[str, str]
) -> None:
    record = exchange_record(77, source="police-19", external_id="WB-POL-999001")
    record["place"] = {"state": "19", "district": "313", "text": "Howrah"}
    record["child"] = {**record["child"], "name": "Secret Child", "confidential": True}
    async with httpx.AsyncClient() as http:
        (await http.post(f"{upstreams['police-19']}/_sim/records", json=record)).raise_for_status()
    query = {"sources": ["police-19"], "filter": {"name": "Secret"}}
    police = _nodes(await run(hub, CASES, query, POLICE))
    cwc = _nodes(await run(hub, CASES, query, Principal.for_agency(Agency.CWC, subject="cwc-1")))
    assert police == []
    assert [n["provenance"]["externalId"] for n in cwc] == ["WB-POL-999001"]
    one = await run(hub, ONE, {"id": "remote:police-19:WB-POL-999001"}, POLICE)
    assert error_codes(one) == [("NOT_FOUND", None)]


async def test_pages_walk_every_source_once(hub: Services) -> None:
    whole = [n["id"] for n in _nodes(await run(hub, CASES, {"sources": ["all"]}))]
    walked: list[str] = []
    after = None
    while True:
        page = data(await run(hub, CASES, {"sources": ["all"], "first": 25, "after": after}))["cases"]
        walked += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == whole


async def test_unknown_sources_are_refused_naming_the_argument(hub: Services) -> None:
    result = await run(hub, CASES, {"sources": ["police-99"]})
    assert error_codes(result) == [("BAD_USER_INPUT", "sources")]


async def test_a_federated_name_search_logs_no_name(
    hub: Services, upstreams: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    quiet_http_client_logs()  # what create_app does
    caplog.set_level(logging.DEBUG)
    name = sorted((await _searched(hub))["police-19"])[0]
    record = await hub.connectors[0].get(name)
    assert record is not None
    assert record.child.name
    result = await run(hub, CASES, {"sources": ["police-19"], "filter": {"name": record.child.name}})
    assert _nodes(result)
    assert record.child.name not in caplog.text
    assert record.child.name.split()[0] not in caplog.text


def _searches(sent: list[httpx.Request]) -> dict[str, dict[str, str]]:
    """The query parameters of each search the hub sent, by port (one simulator each)."""
    return {str(r.url.port): dict(r.url.params) for r in sent if r.url.path == "/v1/cases/search"}


async def test_each_system_is_asked_for_the_page_the_caller_can_show(hub: Services, sent: list[httpx.Request]) -> None:
    first = data(await run(hub, CASES, {"sources": ["all"], "first": 12}))["cases"]
    asked = _searches(sent)
    assert len(asked) == 3
    assert all(p["limit"] == "17" and p["order"] == "reported_at" for p in asked.values()), asked  # 12 + margin
    sent.clear()
    await run(hub, CASES, {"sources": ["all"], "first": 12, "after": first["pageInfo"]["endCursor"]})
    assert {p["limit"] for p in _searches(sent).values()} == {"200"}  # past a cursor: all a system gives
    sent.clear()
    await run(hub, CASES, {"sources": ["all"], "first": 190})
    assert {p["limit"] for p in _searches(sent).values()} == {"200"}  # never past the profile's maximum


async def test_filters_the_profile_cannot_carry_ask_for_all_a_system_gives(
    hub: Services, sent: list[httpx.Request]
) -> None:
    """The hub filters by age itself: a small page would mostly be dropped, so each system is asked for all it
    gives, and a walk of small pages shows every record once, in the whole list's order."""
    window = {"sources": ["all"], "filter": {"minAge": 14, "maxAge": 17}}
    whole = [e["node"]["id"] for e in data(await run(hub, CASES, window))["cases"]["edges"]]  # no upstream error
    assert 10 < len(whole) < 100
    sent.clear()
    walked: list[str] = []
    after = None
    while True:
        page = data(await run(hub, CASES, {**window, "first": 4, "after": after}))["cases"]
        walked += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == whole
    assert {r.url.params["limit"] for r in sent if r.url.path == "/v1/cases/search"} == {"200"}


async def test_a_page_cut_short_by_dropped_records_asks_the_full_system_again(store: Services) -> None:
    """The newest dozen records of a system are confidential children, which a police officer may not see: the
    first page asked for (5 + a margin of 5) is all dropped, so the hub asks that system again for all it gives
    (within the same deadline) and serves a full page, the same as the top of the whole list."""
    requests: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        requests.append(request)

    with serving(create_simulator("police", "19", records=60)) as url:
        async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
            moment = datetime.now(IST).replace(microsecond=0) - timedelta(minutes=30)
            for n in range(12):
                secret = exchange_record(900 + n, source="police-19", external_id=f"WB-POL-9{n:05d}")
                secret["reported_at"] = (moment + timedelta(seconds=n)).isoformat()
                secret["child"] = {**secret["child"], "confidential": True}
                (await http.post(f"{url}/_sim/records", json=secret)).raise_for_status()
            requests.clear()
            config = ConnectorConfig("police-19", ConnectorKind.POLICE, "19", ConnectorType.REST, url)
            hub = replace(store, connectors=(RestConnector(config, http, store.geography),))
            page = data(await run(hub, CASES, {"sources": ["police-19"], "first": 5}))["cases"]
            whole = _nodes(await run(hub, CASES, {"sources": ["police-19"]}))
    assert [r.url.params["limit"] for r in requests][:2] == ["10", "200"]
    ids = [e["node"]["id"] for e in page["edges"]]
    assert ids == [n["id"] for n in whole[:5]]
    assert not any("WB-POL-9" in i for i in ids)
    assert page["pageInfo"]["hasNextPage"]


async def test_each_answer_becomes_rows_before_the_slowest_system_answers(
    hub: Services, upstreams: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing-free: Bihar's system holds the search until released, and is released only once West Bengal's
    records have been turned into rows; the page then holds both."""
    turned: list[str] = []
    wb_done = asyncio.Event()
    real = live_rows.provisional_cases

    def spy(cases: Any, fetched_at: Any) -> Any:
        rows = real(cases, fetched_at)
        turned.append(cases[0].source)
        wb_done.set()
        return rows

    monkeypatch.setattr(live_rows, "provisional_cases", spy)
    hub = replace(hub, settings=replace(hub.settings, fanout_deadline_ms=10_000))
    await _faults(upstreams, "police-10", hang=True)
    query = asyncio.ensure_future(run(hub, CASES, {"sources": ["police-19", "police-10"], "first": 10}))
    try:
        await asyncio.wait_for(wb_done.wait(), 10)
        async with httpx.AsyncClient() as http:
            held = (await http.get(f"{upstreams['police-10']}/_sim/stats")).json()["hanging"]
        assert turned == ["police-19"]
        assert held == 1  # Bihar has not answered yet
        assert not query.done()
    finally:
        await _faults(upstreams, "police-10", hang=False)
    result = await query
    assert turned == ["police-19", "police-10"]
    assert {n["provenance"]["source"] for n in _nodes(result)} == {"police-19", "police-10"}
    assert not result.errors


async def test_a_page_showing_no_references_skips_their_store_read(
    hub: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nodes selecting only what a live record carries itself are shown without ``settle``'s read; the same page
    selecting places reads them once, and lists the same records in the same order."""
    settled: list[int] = []
    real = live_rows.settle

    async def spy(*args: Any, **kwargs: Any) -> Any:
        settled.append(1)
        return await real(*args, **kwargs)

    monkeypatch.setattr(federated_cases, "settle", spy)
    own = (
        "query ($s: [String!]) { cases(sources: $s, first: 20) "
        "{ edges { node { id reference kind provenance { source } } } } }"
    )
    placed = own.replace("provenance", "place { district { code } policeStation { id } } provenance")
    variables = {"s": ["police-19", "police-10", "wcd-27"]}
    narrow = _nodes(await run(hub, own, variables))
    assert settled == []
    wide = _nodes(await run(hub, placed, variables))
    assert settled == [1]
    assert [n["id"] for n in narrow] == [n["id"] for n in wide]
    assert len(narrow) == 20
    assert all(n["place"]["district"] for n in wide)
    assert data(await run(hub, own, {"s": ["local", *variables["s"]]}))  # the store among the sources: settled
    assert settled == [1, 1]
