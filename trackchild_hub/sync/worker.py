"""The optional background sync of ``serve --sync-every SECONDS``: every connector, then a pause, until stopped.

Each batch's new and changed cases are matched at once (``propose``). A failing connector is logged (code only,
never record content) and retried on the next round; the cursor makes each round resume where the last one stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..connectors.port import Connector
from ..domain.errors import UpstreamError
from ..domain.geography import Geography
from ..services.alerts import ArrivalAlert
from ..services.proposals import Propose
from .runner import sync_connector

log = logging.getLogger(__name__)


async def sync_forever(
    sessions: async_sessionmaker[AsyncSession],
    geography: Geography,
    connectors: Sequence[Connector],
    every_s: float,
    stop: asyncio.Event,
    propose: Propose | None = None,
    alert: ArrivalAlert | None = None,
) -> None:
    while not stop.is_set():
        for connector in connectors:
            if stop.is_set():
                return
            try:
                report = await sync_connector(sessions, geography, connector, propose=propose, alert=alert)
            except UpstreamError as exc:
                log.warning("sync %s stopped: %s (next round resumes it)", connector.id, exc.code)
            except Exception as exc:  # a database hiccup must not end the worker; messages may quote values
                log.error("sync %s failed: %s (next round resumes it)", connector.id, type(exc).__name__)
            else:
                log.info("sync %s", report.summary())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
