"""The exchange profile as the simulator serves it: pages, cursors, lookups, search, and run-time record changes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from trackchild_hub.sandbox.simulator import create_simulator

from .conftest import ClientFor, client_of, walk


async def test_health_names_the_system(sim: ClientFor) -> None:
    async with sim("wcd", "7", records=100) as client:
        response = await client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "kind": "wcd", "state": "7", "records": 50}  # CARE 20 + FOUND 30


async def test_pagination_walks_every_record_once_in_feed_order(sim: ClientFor) -> None:
    app = create_simulator("police", "19")
    stored = list(app.state.simulator.store)
    async with client_of(app) as client:
        items = await walk(client, limit=37)
    ids = [r["external_id"] for r in items]
    assert len(ids) == len(set(ids)) == len(stored) == 240
    assert ids == [r["external_id"] for r in stored]
    keys = [(r["updated_at"], r["external_id"]) for r in items]
    assert keys == sorted(keys)


async def test_default_and_maximum_page_sizes(sim: ClientFor) -> None:
    async with sim("police", "19", records=1000) as client:
        default = (await client.get("/v1/cases")).json()
        capped = (await client.get("/v1/cases", params={"limit": 10_000})).json()
    assert len(default["items"]) == 100
    assert len(capped["items"]) == 500
    assert capped["next_cursor"] is not None


async def test_the_last_page_has_no_cursor(sim: ClientFor) -> None:
    async with sim() as client:
        body = (await client.get("/v1/cases", params={"limit": 240})).json()
    assert len(body["items"]) == 240
    assert body["next_cursor"] is None


async def test_cursors_are_stable_across_requests_and_runs() -> None:
    async with (
        client_of(create_simulator("police", "19")) as first,
        client_of(create_simulator("police", "19")) as other,
    ):
        page = (await first.get("/v1/cases", params={"limit": 25})).json()
        again = (await first.get("/v1/cases", params={"limit": 25})).json()
        assert page == again
        cursor = page["next_cursor"]
        assert cursor is not None
        assert (await first.get("/v1/cases", params={"limit": 25, "cursor": cursor})).json() == (
            await other.get("/v1/cases", params={"limit": 25, "cursor": cursor})
        ).json()


async def test_a_record_changed_mid_walk_is_seen_again_at_the_end(sim: ClientFor) -> None:
    async with sim() as client:
        first = (await client.get("/v1/cases", params={"limit": 50})).json()
        changed = dict(first["items"][0], status="RESOLVED")
        assert (await client.post("/_sim/records", json=changed)).status_code == 200
        rest = await walk(client, limit=50, cursor=first["next_cursor"])
    ids = [r["external_id"] for r in first["items"] + rest]
    assert Counter(ids).most_common(1)[0] == (changed["external_id"], 2)
    assert len(set(ids)) == 240
    assert rest[-1]["external_id"] == changed["external_id"]
    assert rest[-1]["status"] == "RESOLVED"


async def test_kind_filter(sim: ClientFor) -> None:
    async with sim() as client:
        missing = await walk(client, kind="MISSING", limit=500)
        care = (await client.get("/v1/cases", params={"kind": "CARE"})).json()
    assert len(missing) == 150
    assert {r["kind"] for r in missing} == {"MISSING"}
    assert care == {"items": [], "next_cursor": None}


async def test_updated_since_is_inclusive(sim: ClientFor) -> None:
    async with sim() as client:
        everything = await walk(client, limit=500)
        pivot = everything[200]["updated_at"]
        later = await walk(client, updated_since=pivot)
        ist = datetime.fromisoformat(pivot).astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
        offset = await walk(client, updated_since=ist, limit=500)
        unescaped = await client.get(f"/v1/cases?limit=500&updated_since={ist}")  # "+" arrives as a space
    assert [r["external_id"] for r in later] == [r["external_id"] for r in everything[200:]]
    assert "+05:30" in ist
    assert offset == later
    assert unescaped.json()["items"] == later


async def test_bad_query_parameters_are_400(sim: ClientFor) -> None:
    bad = [
        {"limit": "0"},
        {"limit": "many"},
        {"cursor": "not-a-cursor"},
        {"kind": "LOST"},
        {"updated_since": "yesterday"},
        {"updated_since": "2026-10-01T00:00:00"},  # no offset
    ]
    async with sim() as client:
        for params in bad:
            response = await client.get("/v1/cases", params=params)
            assert response.status_code == 400, params
            assert "error" in response.json()
        assert (await client.get("/v1/cases/search", params={"gender": "M"})).status_code == 400
        assert (await client.get("/v1/cases/search", params={"age": "-1"})).status_code == 400
        for params in ({"limit": "0"}, {"limit": "many"}, {"order": "updated_at"}, {"order": "REPORTED_AT"}):
            response = await client.get("/v1/cases/search", params=params)
            assert response.status_code == 400, params
            assert "error" in response.json()


def _newest_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The profile's search order: newest reported_at first, the greater external id first on a tie."""
    return sorted(records, key=lambda r: (datetime.fromisoformat(r["reported_at"]), r["external_id"]), reverse=True)


async def test_search_lists_the_newest_reports_first_up_to_the_limit() -> None:
    app = create_simulator("police", "19", records=600)
    records = list(app.state.simulator.store)
    newest = [r["external_id"] for r in _newest_first(records)]
    assert len(newest) > 200
    async with client_of(app) as client:

        async def search(**params: object) -> list[str]:
            response = await client.get("/v1/cases/search", params=params)
            assert response.status_code == 200, response.text
            return [r["external_id"] for r in response.json()["items"]]

        assert await search() == newest[:50]  # default limit 50
        assert await search(order="reported_at") == newest[:50]
        assert await search(limit=7) == newest[:7]
        assert await search(limit=7, order="reported_at") == newest[:7]
        assert await search(limit=200) == newest[:200]
        assert await search(limit=500) == newest[:200]  # at most 200
        missing = [r["external_id"] for r in _newest_first(records) if r["kind"] == "MISSING"]
        assert await search(kind="MISSING", limit=3) == missing[:3]


async def test_a_posted_record_takes_its_place_in_report_order(sim: ClientFor) -> None:
    """A posted record goes last in the change feed, but search places it by when it was reported."""
    async with sim() as client:
        records = (await client.get("/v1/cases/search", params={"limit": 3})).json()["items"]
        newest = records[0]
        later = datetime.fromisoformat(newest["reported_at"]) + timedelta(minutes=1)
        moved = {**records[2], "reported_at": later.isoformat()}  # the third newest, now reported last
        assert (await client.post("/_sim/records", json=moved)).status_code == 200
        again = (await client.get("/v1/cases/search", params={"limit": 3})).json()["items"]
        old = {**records[1], "reported_at": "2020-01-01T10:00:00+05:30"}  # the second newest, now reported long ago
        assert (await client.post("/_sim/records", json=old)).status_code == 200
        last = (await walk(client))[-1]
        after = (await client.get("/v1/cases/search", params={"limit": 200})).json()["items"]
    assert last["external_id"] == records[1]["external_id"]  # last in the feed...
    assert len(after) == 200
    assert records[1]["external_id"] not in [r["external_id"] for r in after]  # ...the oldest report in search
    assert [r["external_id"] for r in again] == [
        records[2]["external_id"],
        newest["external_id"],
        records[1]["external_id"],
    ]


async def test_get_one_case_or_404(sim: ClientFor) -> None:
    async with sim() as client:
        first = (await client.get("/v1/cases", params={"limit": 1})).json()["items"][0]
        one = await client.get(f"/v1/cases/{first['external_id']}")
        missing = await client.get("/v1/cases/WB-POL-999999")
    assert one.status_code == 200
    assert one.json() == first
    assert missing.status_code == 404
    assert "WB-POL-999999" in missing.json()["error"]


async def test_search_by_name_alias_gender_age_district_and_kind() -> None:
    app = create_simulator("police", "19", records=600)
    records = list(app.state.simulator.store)
    aliased = next(r for r in records if r["child"]["aliases"])
    async with client_of(app) as client:

        async def search(**params: object) -> list[dict[str, object]]:
            response = await client.get("/v1/cases/search", params=params)
            assert response.status_code == 200
            items: list[dict[str, object]] = response.json()["items"]
            return items

        alias = aliased["child"]["aliases"][0]
        by_alias = await search(name=alias.upper()[1:])
        assert aliased["external_id"] in [r["external_id"] for r in by_alias]

        name = aliased["child"]["name"].split()[0].lower()
        by_name = await search(name=name)
        expected = [
            r["external_id"]
            for r in _newest_first(records)
            if any(name in n.lower() for n in [r["child"]["name"] or "", *r["child"]["aliases"]])
        ][:50]
        assert [r["external_id"] for r in by_name] == expected

        girl = next(r for r in records if r["kind"] == "MISSING" and r["child"]["gender"] == "FEMALE")
        age, district = girl["child"]["age_years"], girl["place"]["district"]
        narrowed = await search(gender="FEMALE", age=age, district=district, kind="MISSING")
        assert girl["external_id"] in [r["external_id"] for r in narrowed]
        for record in narrowed:
            assert record["kind"] == "MISSING"
            assert record["child"]["gender"] == "FEMALE"  # type: ignore[index]
            assert age - 2 <= record["child"]["age_years"] <= age + 2  # type: ignore[index,operator]
            assert record["place"]["district"] == district  # type: ignore[index]
        wider = await search(age=age)
        assert {r["child"]["age_years"] for r in wider} <= set(range(age - 2, age + 3))  # type: ignore[index]
        assert {r["child"]["age_years"] for r in wider} - {age}  # ±2, not exact  # type: ignore[index]
        assert len(await search()) == 50  # capped


async def test_posted_record_is_added_and_found_by_updated_since(sim: ClientFor) -> None:
    async with sim() as client:
        before = await walk(client, limit=500)
        latest = max(r["updated_at"] for r in before)
        template = next(r for r in before if r["kind"] == "MISSING")
        new = {k: v for k, v in template.items() if k not in {"external_id", "updated_at"}}
        new["child"] = dict(template["child"], name="Simulated Child")
        started = datetime.now(UTC).replace(microsecond=0)
        created = await client.post("/_sim/records", json=new)
        assert created.status_code == 201, created.text
        record = created.json()
        number = max(int(r["external_id"].removeprefix("WB-POL-")) for r in before) + 1
        assert record["external_id"] == f"WB-POL-{number:06d}"  # the next number
        assert record["source"] == "police-19"
        assert record["updated_at"] > latest
        assert datetime.fromisoformat(record["updated_at"]) >= started  # "now", later than every record
        feed = await walk(client, updated_since=latest)
        assert [r["external_id"] for r in feed][-1] == record["external_id"]
        assert (await client.get(f"/v1/cases/{record['external_id']}")).json()["child"]["name"] == "Simulated Child"
        stored = await client.get(f"/_sim/records/{record['external_id']}")
        assert stored.json() == record
        assert (await client.get("/v1/health")).json()["records"] == 241


async def test_replaced_record_moves_to_the_end_of_the_feed_and_later_bumps_are_later(sim: ClientFor) -> None:
    async with sim() as client:
        first = (await client.get("/v1/cases", params={"limit": 1})).json()["items"][0]
        one = (await client.post("/_sim/records", json=dict(first, status="CLOSED"))).json()
        two = (await client.post("/_sim/records", json=dict(first, status="RESOLVED"))).json()
        assert one["external_id"] == two["external_id"] == first["external_id"]
        assert first["updated_at"] < one["updated_at"] < two["updated_at"]
        feed = await walk(client, updated_since=one["updated_at"])
    assert [(r["external_id"], r["status"]) for r in feed] == [(first["external_id"], "RESOLVED")]


async def test_posted_records_are_validated(sim: ClientFor) -> None:
    async with sim() as client:
        template = (await client.get("/v1/cases", params={"kind": "MISSING", "limit": 1})).json()["items"][0]
        wrong_kind = dict(template, kind="CARE", care={"institution": "WB/CCI/1"})
        no_child = {k: v for k, v in template.items() if k != "child"}
        assert (await client.post("/_sim/records", json=wrong_kind)).status_code == 400
        response = await client.post("/_sim/records", json=no_child)
        assert response.status_code == 400
        assert "child" in response.json()["error"]
        assert (await client.post("/_sim/records", content=b"{")).status_code == 400
        assert (await client.post("/_sim/records", json=[1])).status_code == 400
