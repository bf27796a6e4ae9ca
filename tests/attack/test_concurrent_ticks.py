"""Two officers ticking the same checklist item at once, over real HTTP on both backends: the store read the item
undone in each request and inserted it in each, so all but one failed on the key with INTERNAL_SERVER_ERROR. Now
every request answers the case, the item is ticked once (the first tick's who and when) with one timeline event."""

from __future__ import annotations

import asyncio
import json

import httpx
from sqlalchemy import func, select

from tests.attack.test_new_doors_jurisdiction import Hub, _seed
from tests.factories import HOWRAH, WB
from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.domain.enums import CaseEventType
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import CaseEventRow, ChecklistTickRow

TICK = "mutation($i: TickChecklistInput!) { tickInvestigationChecklist(input: $i) { id } }"


async def test_twenty_ticks_of_one_item_at_once_tick_it_once(store: Services) -> None:
    ids = await _seed(store)
    request = (TICK, {"i": {"caseId": ids["escalated"], "item": "BORDER_AGENCIES_INFORMED", "note": "SSB told"}})
    with serving(create_app(store.settings)) as base:
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            police = Hub(client, store, Agency.POLICE, state=WB, district=HOWRAH)
            answers = await asyncio.gather(*(police.ask(request) for _ in range(20)))
    for status, body in answers:
        assert (status, json.loads(body).get("errors")) == (200, None), body[:300]
    async with store.sessions() as session:
        ticks = await session.scalar(select(func.count()).select_from(ChecklistTickRow))
        events = await session.scalar(
            select(func.count()).where(
                CaseEventRow.case_id == ids["escalated"], CaseEventRow.type == CaseEventType.CHECKLIST_TICKED.value
            )
        )
    assert (ticks, events) == (1, 1)
