"""The root Subscription: ``alerts``, over graphql-transport-ws at ``/graphql`` (http/alerts_socket.py)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from ..auth.scopes import Scope
from ..domain.live_alerts import LiveAlert
from ..resolvers.context import Info
from ..services import live_alerts
from .access import any_of, operation, public_type


# Its fields name a case reference and a place, never a child or a phone; who receives an event at all is the
# subscription's decision (alerts:read, the subscriber's jurisdiction): services/live_alerts.py.
@public_type
@strawberry.type(description="An alert event as a console sees it: a reference and a link, never a child's name.")
class AlertEvent:
    rule: str = strawberry.field(description="The rule that raised it: NEW_MISSING_CASE, LIKELY_MATCH, ...")
    reference: str = strawberry.field(description="The case reference (a likely match: missing/other).")
    state: str | None = strawberry.field(description="LGD state code of the event's case (null: not tied to one).")
    district: str | None = strawberry.field(description="LGD district code of the event's case.")
    link: str = strawberry.field(description="Where an officer opens the case.")
    created_at: datetime = strawberry.field(description="When the alert was written.")
    urgency: str | None = strawberry.field(description="How urgent, where a risk assessment says so.")

    @classmethod
    def of(cls, event: LiveAlert) -> AlertEvent:
        return cls(
            rule=event.rule,
            reference=event.reference,
            state=event.state_code,
            district=event.district_code,
            link=event.link,
            created_at=event.created_at,
            urgency=event.urgency,
        )


async def _alerts(info: Info) -> AsyncGenerator[AlertEvent, None]:
    async for event in live_alerts.alerts(info.context):
        yield AlertEvent.of(event)


@strawberry.type
class Subscription:
    alerts: AlertEvent = operation(
        any_of(Scope.ALERTS_READ),
        "Alert events as they are committed, in your jurisdiction (alerts:read): one per event, however many "
        "messages announce it. A console that falls far behind is ended; subscribe again.",
        resolver=_alerts,
        is_subscription=True,
    )
