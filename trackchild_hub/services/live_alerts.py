"""Live alerts: every alert a committed transaction enqueued, to the consoles subscribed, within their jurisdiction.

Publishing is not something a rule does: ``connect`` installs one after-commit hook on the session factory
(``store.outbox.on_commit``), so whatever goes through ``outbox.enqueue`` (a new case, a likely match, any rule added
later) reaches the feed once its transaction commits, folded to one event per rule and reference
(``domain.live_alerts.events_of``), and nothing of a write that rolled back does.

``alerts(unit)`` is the subscription's use case: ``alerts:read``, then only the events the record rule admits for
the subscriber (``domain.live_alerts.visible_to``), filtered before they are queued for it, until its token expires
(UNAUTHENTICATED: subscribe again with a new one).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..auth.record_access import record_scope
from ..auth.scopes import Scope
from ..domain.errors import Unauthenticated
from ..domain.live_alerts import Enqueued, LiveAlert, events_of, visible_to
from ..gateways.alert_bus import AlertBus
from ..settings import Settings
from ..store import outbox
from ..store.engine import opened_sessions as opened_store_sessions
from .alerts import case_link
from .unit import Unit

log = logging.getLogger("trackchild_hub.live_alerts")
FLUSH_S = 5.0  # the longest a command waits at its end for its alerts to reach Redis


def connect(sessions: async_sessionmaker[AsyncSession], settings: Settings, bus: AlertBus) -> None:
    """Publish on ``bus`` what each transaction of ``sessions`` enqueued, once it commits."""
    outbox.on_commit(sessions, publisher(settings, bus))


@asynccontextmanager
async def opened_sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """``store.engine.opened_sessions`` for a one-shot command whose writes may alert (``import cases``, ``sync``,
    ``alerts run``): with Redis configured, what it enqueues reaches the hubs' consoles too, sent before it ends."""
    async with opened_store_sessions(settings) as sessions:
        if settings.redis_url is None:  # no other process to tell: its alerts reach no console (the dispatcher sends)
            yield sessions
            return
        bus = AlertBus(settings.redis_url, settings.live_alerts_channel)
        connect(sessions, settings, bus)
        try:
            yield sessions
        finally:
            if not await bus.flush(FLUSH_S):
                log.warning("some live alerts did not reach Redis before the command ended")
            await bus.aclose()


def publisher(settings: Settings, bus: AlertBus) -> Callable[[list[Enqueued]], None]:
    def link(reference: str) -> str:
        return case_link(settings, reference.split("/")[0])  # a likely match's pair: the missing case's

    def publish(enqueued: list[Enqueued]) -> None:
        bus.publish(events_of(enqueued, link))

    return publish


async def alerts(unit: Unit) -> AsyncIterator[LiveAlert]:
    """The alert events the unit's principal may see, from now on, as they are committed anywhere."""
    unit.require(Scope.ALERTS_READ.value)
    scope, scopes = record_scope(unit.principal), unit.principal.scopes

    def accept(event: LiveAlert) -> bool:
        return visible_to(event, scope, scopes)

    async with unit.services.alert_bus.subscription(accept) as feed:
        try:
            async for event in feed.until(unit.principal.expires_at):
                yield event
        except TimeoutError:  # a console must not outlive its token (nor its scopes and jurisdiction then)
            raise Unauthenticated("the token has expired", suggestion="subscribe again with a new token") from None
