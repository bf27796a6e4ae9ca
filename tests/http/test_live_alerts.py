"""The ``alerts`` subscription over a real websocket to a real uvicorn server: a new case reported through GraphQL
reaches a console of its district within a second (Done-when of issue 13), one of another district never, and
consoles without a token or without ``alerts:read`` are refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.factories import BIHAR, HOWRAH, PATNA, WB, missing_input
from tests.http.live_console import console
from tests.live_server import serving
from tests.services.test_alerts import seed_contacts
from trackchild_hub.app import create_app, dev_issuer
from trackchild_hub.services.unit import Services

REPORT = "mutation($i: ReportMissingInput!) { reportMissing(input: $i) { id reference } }"
sqlite_only = pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
# Generous bound for "nothing arrives": the alert that does arrive, to the other console, takes milliseconds.
QUIET_S = 1.5


def token(store: Services, client: str, **claims: Any) -> str:
    issuer = dev_issuer(store.settings)
    return issuer.issue(issuer.clients[client], **claims)


@contextmanager
def hub(store: Services) -> Iterator[tuple[str, Services]]:
    app = create_app(store.settings)
    with serving(app) as base:
        yield base, app.state.services


async def subscribed(services: Services, count: int) -> None:
    """Wait until ``count`` consoles' subscriptions are on the hub's bus (the protocol acknowledges none)."""
    async with asyncio.timeout(10):
        while len(services.alert_bus.subscribers) < count:  # noqa: ASYNC110 - another thread's bus: poll it
            await asyncio.sleep(0.01)


async def report(base: str, bearer: str, place: dict[str, Any], name: str) -> tuple[str, float]:
    """Report a missing child over HTTP; its reference and when the answer came (the case committed before)."""
    variables = {"i": missing_input(child={"name": name, "gender": "MALE", "ageYears": 9}, place=place)}
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(
            f"{base}/graphql",
            json={"query": REPORT, "variables": variables},
            headers={"Authorization": f"Bearer {bearer}"},
        )
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]["reportMissing"]["reference"], time.monotonic()


HOWRAH_PLACE = {"state": WB, "district": HOWRAH, "policeStation": "PS-19-313-001", "text": "Howrah station"}
PATNA_PLACE = {"state": BIHAR, "district": PATNA, "text": "Patna Junction"}


async def test_a_new_case_reaches_its_district_within_a_second_and_no_other_district(store: Services) -> None:
    await seed_contacts(store)  # the alerts' recipients (an alert with no recipient is no event)
    howrah_officer = token(store, "demo-police", state=WB, district=HOWRAH)
    patna_officer = token(store, "demo-police", state=BIHAR, district=PATNA)
    with hub(store) as (base, services):
        async with console(base, howrah_officer) as howrah, console(base, patna_officer) as patna:
            await howrah.subscribe()
            await patna.subscribe()
            await subscribed(services, 2)

            reference, answered = await report(base, howrah_officer, HOWRAH_PLACE, "Rahul Kumar")
            alert = await howrah.alert(seconds=1.0)  # Done-when: within 1 s (of the mutation's answer)
            latency = time.monotonic() - answered
            print(f"\nnew-case alert received {latency * 1000:.1f} ms after reportMissing answered")
            assert alert["rule"] == "NEW_MISSING_CASE"
            assert alert["reference"] == reference
            assert (alert["state"], alert["district"]) == (WB, HOWRAH)
            assert alert["link"] == f"{store.settings.public_url}/cases/{reference}"
            assert alert["createdAt"]
            assert alert["urgency"] is None
            for secret in ("Rahul", "Kumar", "98000", "9800000000", "Suresh"):
                assert secret not in repr(alert)
            await howrah.nothing_within(0.3)  # one event, though SMS and e-mails went to three recipients
            await patna.nothing_within(0.1)  # the Howrah case: not Patna's

            # A case in Patna reaches Patna's console (so it was published) and never Howrah's.
            patna_reference, _ = await report(base, patna_officer, PATNA_PLACE, "Amit Singh")
            assert (await patna.alert(seconds=5))["reference"] == patna_reference
            await howrah.nothing_within(QUIET_S)


@sqlite_only
async def test_a_national_console_sees_every_state_and_a_state_console_its_own(store: Services) -> None:
    await seed_contacts(store)
    national, bengal = token(store, "demo-cpsu"), token(store, "demo-dcpu", state=WB)
    with hub(store) as (base, services):
        async with console(base, national) as everywhere, console(base, bengal) as state:
            await everywhere.subscribe()
            await state.subscribe()
            await subscribed(services, 2)
            patna_reference, _ = await report(base, token(store, "demo-police"), PATNA_PLACE, "Amit Singh")
            assert (await everywhere.alert(seconds=5))["reference"] == patna_reference
            howrah_reference, _ = await report(base, token(store, "demo-police"), HOWRAH_PLACE, "Rahul Kumar")
            assert (await state.alert(seconds=5))["reference"] == howrah_reference  # Howrah's, not Patna's before
            assert (await everywhere.alert(seconds=5))["reference"] == howrah_reference


@sqlite_only
async def test_consoles_without_a_token_or_without_alerts_read_are_refused(store: Services) -> None:
    with hub(store) as (base, _):
        async with console(base) as anonymous:  # no token: the public, who has no subscription
            await anonymous.subscribe()
            [error] = await anonymous.errors()
            assert error["extensions"]["code"] == "UNAUTHENTICATED", error
        async with console(base, token(store, "demo-ngo")) as ngo:  # cases:read matches:read, no alerts:read
            await ngo.subscribe()
            [error] = await ngo.errors()
            assert error["extensions"]["code"] == "FORBIDDEN", error
            assert "alerts:read" in error["message"]
        police = token(store, "demo-police", scope="cases:read")  # a police token narrowed to cases:read
        async with console(base, police) as narrowed:
            await narrowed.subscribe()
            assert (await narrowed.errors())[0]["extensions"]["code"] == "FORBIDDEN"

        # The token in the upgrade's header serves as well (from a page on any origin: the token decides); a bad one
        # there is a 401 before any websocket.
        police_header = token(store, "demo-police")
        async with console(base, header_token=police_header, origin="https://console.example") as by_header:
            await by_header.subscribe("subscription { alerts { reference } }")
            await by_header.nothing_within(0.3)  # subscribed: no error
        with pytest.raises(InvalidStatus) as refused:
            async with console(base, header_token="not-a-token"):
                pass
        assert refused.value.response.status_code == 401

        # A bad token in connection_init: the socket is closed with 4401, never served as the public.
        with pytest.raises(ConnectionClosed) as closed:
            async with console(base, payload={"Authorization": "Bearer not-a-token"}):
                pass
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401

        # A console does not outlive its token: at its expiry the subscription ends, UNAUTHENTICATED.
        async with console(base, token(store, "demo-police", ttl_seconds=2)) as expiring:
            await expiring.subscribe()
            [error] = await expiring.errors(seconds=10)
            assert error["extensions"]["code"] == "UNAUTHENTICATED"
            assert "expired" in error["message"]

        # Queries and mutations go over HTTP (admission, rate limits): the socket serves subscriptions only.
        async with console(base, token(store, "demo-police")) as police_console:
            await police_console.subscribe("mutation { __typename }")
            [error] = await police_console.errors()
            assert error["extensions"]["code"] == "BAD_REQUEST"
