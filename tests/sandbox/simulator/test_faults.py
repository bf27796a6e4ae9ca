"""Injected faults, set at start or at run time; /_sim/* is never affected."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.sandbox.simulator import Faults, create_simulator, is_malformed

from .conftest import ClientFor, client_of, walk


async def test_faults_are_read_and_merged_at_run_time(sim: ClientFor) -> None:
    async with sim(faults=Faults(latency_ms=5)) as client:
        assert (await client.get("/_sim/faults")).json() == {
            "latency_ms": 5,
            "error_rate": 0.0,
            "hang": False,
            "malformed_rate": 0.0,
            "auth_failure": False,
            "token_ttl_s": 60,
        }
        merged = (await client.post("/_sim/faults", json={"error_rate": 0.5, "latency-ms": 7})).json()
        assert (merged["latency_ms"], merged["error_rate"], merged["hang"]) == (7, 0.5, False)
        assert (await client.get("/_sim/faults")).json() == merged
        for bad in ({"error_rate": 2}, {"hang": "yes"}, {"latency_ms": -1}, {"colour": "red"}, [1]):
            response = await client.post("/_sim/faults", json=bad)
            assert response.status_code == 400, bad
            assert "error" in response.json()
        assert (await client.get("/_sim/faults")).json() == merged


async def test_latency_delays_v1_but_not_sim(sim: ClientFor) -> None:
    async with sim(faults=Faults(latency_ms=150)) as client:
        started = time.monotonic()
        assert (await client.get("/v1/health")).status_code == 200
        assert time.monotonic() - started >= 0.15  # a lower bound: sleeping never takes less
        # A minute's latency: /_sim/* answering within 5 s shows it skips the delay, with a margin for any machine.
        await client.post("/_sim/faults", json={"latency_ms": 60_000})
        async with asyncio.timeout(5):
            assert (await client.get("/_sim/stats")).status_code == 200
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):
                await client.get("/v1/health")  # while /v1/* is still delayed


async def test_error_rate_fails_that_share_deterministically() -> None:
    async def statuses(seed: int) -> list[int]:
        async with client_of(create_simulator("police", "19", seed=seed, faults=Faults(error_rate=0.3))) as client:
            codes = [(await client.get("/v1/health")).status_code for _ in range(200)]
            stats = (await client.get("/_sim/stats")).json()
            assert stats["errors_injected"] == codes.count(503)
            assert stats["requests"] == 200
            return codes

    first = await statuses(1)
    assert set(first) == {200, 503}
    assert 40 <= first.count(503) <= 80
    assert await statuses(1) == first


async def test_error_rate_extremes_and_retry_after(sim: ClientFor) -> None:
    async with sim(faults=Faults(error_rate=1.0)) as client:
        responses = [await client.get("/v1/cases") for _ in range(10)]
        assert {r.status_code for r in responses} == {503}
        assert responses[0].headers["retry-after"] == "1"
        assert responses[0].json()["error"]
        assert (await client.get("/_sim/stats")).status_code == 200
        await client.post("/_sim/faults", json={"error_rate": 0})
        assert {(await client.get("/v1/cases")).status_code for _ in range(10)} == {200}


async def test_auth_failure_refuses_every_v1_request(sim: ClientFor) -> None:
    async with sim(api_key="k") as client:
        await client.post("/_sim/faults", json={"auth_failure": True})
        for path in ("/v1/health", "/v1/cases", "/v1/cases/search", "/v1/cases/WB-POL-000002"):
            assert (await client.get(path, headers={"X-Api-Key": "k"})).status_code == 401
        assert (await client.get("/_sim/faults")).json()["auth_failure"] is True
        await client.post("/_sim/faults", json={"auth_failure": False})
        assert (await client.get("/v1/health", headers={"X-Api-Key": "k"})).status_code == 200


async def test_hang_holds_requests_until_the_client_gives_up(sim: ClientFor) -> None:
    async with sim(faults=Faults(hang=True)) as client:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):  # the client's timeout (ASGITransport has none of its own)
                await client.get("/v1/health")
        stats = (await client.get("/_sim/stats")).json()  # /_sim/* still answers
        assert (stats["requests"], stats["hanging"]) == (1, 0)


async def test_switching_hang_off_releases_held_requests(sim: ClientFor) -> None:
    async with sim(faults=Faults(hang=True)) as client:
        held = asyncio.ensure_future(client.get("/v1/cases", params={"limit": 3}))
        for _ in range(500):
            if (await client.get("/_sim/stats")).json()["hanging"] == 1:
                break
            await asyncio.sleep(0.01)
        assert not held.done()
        await client.post("/_sim/faults", json={"hang": False})
        async with asyncio.timeout(5):
            response = await held
        assert response.status_code == 200
        assert len(response.json()["items"]) == 3
        assert (await client.get("/_sim/stats")).json()["hanging"] == 0


@pytest.mark.parametrize("dialect", ["standard", "legacy"])
async def test_malformed_records_are_counted_deterministically(dialect: str) -> None:
    app = create_simulator("police", "19", dialect=dialect, faults=Faults(malformed_rate=0.25))
    ids = [r["external_id"] for r in app.state.simulator.store]
    expected = {i for i in ids if is_malformed(i, 0.25)}
    assert 30 <= len(expected) <= 90  # about a quarter of 240
    id_field = "external_id" if dialect == "standard" else "ref_no"
    async with client_of(app) as client:
        items = await walk(client, limit=100)
        again = await walk(client, limit=100)
        served = (await client.get("/_sim/stats")).json()["malformed_served"]
    broken = Counter[str]()
    bad_ids = set()
    for record in items:
        if dialect == "standard":
            try:
                parse_exchange_record(record)
                continue
            except BadUserInput as exc:
                broken[exc.field] += 1
        elif "juvenile" in record and record["incident_date"] != "not-a-date" and record["case_type"] != "BOGUS":
            continue
        bad_ids.add(record[id_field])
    assert bad_ids == expected
    assert items == again
    assert served == 2 * len(expected)
    if dialect == "standard":
        assert set(broken) == {"child", "event_date", "kind"}  # all three corruptions occur


async def test_malformed_applies_to_single_lookups_too(sim: ClientFor) -> None:
    async with sim(faults=Faults(malformed_rate=1.0)) as client:
        record = (await client.get("/v1/cases/WB-POL-000002")).json()
    with pytest.raises(BadUserInput):
        parse_exchange_record(record)
