"""``alerts`` for every role (the role matrix's entry for Subscription.alerts): who may subscribe (alerts:read, else
FORBIDDEN; no token: UNAUTHENTICATED), and which events reach whom: a confidential child's only CWC, JJB and DCPU,
a likely match only holders of matches:read, and nothing outside the jurisdiction. The schema in process, the real
bus (tests/http/test_live_alerts.py does the same over a websocket)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from strawberry.types import ExecutionResult

from tests.factories import BIHAR, HOWRAH, PATNA, PUBLIC, SCHEMA, WB
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.domain.live_alerts import LiveAlert
from trackchild_hub.resolvers.context import Context
from trackchild_hub.services.unit import Services

ALERTS = "subscription { alerts { rule reference state district } }"
NOW = datetime.now(UTC)
PATNA_CASE = LiveAlert("NEW_MISSING_CASE", "P-1", BIHAR, PATNA, "http://hub/cases/P-1", NOW)
CONFIDENTIAL = LiveAlert("NEW_MISSING_CASE", "C-1", WB, HOWRAH, "http://hub/cases/C-1", NOW, confidential=True)
LIKELY = LiveAlert("LIKELY_MATCH", "M-1/F-1", WB, HOWRAH, "http://hub/cases/M-1", NOW)
HOWRAH_CASE = LiveAlert("NEW_MISSING_CASE", "H-1", WB, HOWRAH, "http://hub/cases/H-1", NOW)
sqlite_only = pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)


async def first_seen(store: Services, principal: Principal) -> str:
    """The reference of the first event ``principal`` receives of the four published, or the refusal's code."""
    async with store.sessions() as session:
        context = Context(services=store, session=session, principal=principal)
        stream = await SCHEMA.subscribe(ALERTS, context_value=context)
        if isinstance(stream, ExecutionResult):
            return str((stream.errors or [])[0].extensions["code"])  # type: ignore[index]
        before = len(store.alert_bus.subscribers)
        task = asyncio.create_task(anext(stream))
        async with asyncio.timeout(5):
            while len(store.alert_bus.subscribers) == before and not task.done():  # noqa: ASYNC110
                await asyncio.sleep(0.005)
        store.alert_bus.publish([PATNA_CASE, CONFIDENTIAL, LIKELY, HOWRAH_CASE])
        result = await asyncio.wait_for(task, 5)
        await stream.aclose()
    if result.errors:
        return str(result.errors[0].extensions["code"])  # type: ignore[index]
    assert result.data is not None
    reference: str = result.data["alerts"]["reference"]
    return reference


def expected(agency: Agency) -> str:
    scopes = ROLE_SCOPES[agency]
    if "alerts:read" not in scopes:
        return "FORBIDDEN"
    if agency in (Agency.CWC, Agency.JJB, Agency.DCPU):
        return "C-1"
    return "M-1/F-1" if "matches:read" in scopes else "H-1"


@sqlite_only
async def test_each_role_subscribes_as_its_scopes_say_and_sees_only_its_jurisdiction(store: Services) -> None:
    seen = {a: await first_seen(store, Principal.for_agency(a, state=WB, district=HOWRAH)) for a in Agency}
    assert seen == {a: expected(a) for a in Agency}
    assert await first_seen(store, PUBLIC) == "UNAUTHENTICATED"
    national = Principal.for_agency(Agency.CPSU)
    assert await first_seen(store, national) == "P-1"  # national: Patna's too
    assert store.alert_bus.subscribers == set()  # every subscription ended with its stream
