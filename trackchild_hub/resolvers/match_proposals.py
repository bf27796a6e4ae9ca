"""Match proposals: after every case write, and every few seconds for cases written by other processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from sqlalchemy import select

from ..store.models import MatchProposalRow
from .context import Services
from .matches import OPPOSITE, _factors, pair_id

log = logging.getLogger(__name__)
PROPOSE_TOP = 5


async def propose_for(services: Services, case_ids: Sequence[str]) -> int:
    """Match new or changed cases and store proposals for their LIKELY and POSSIBLE candidates (not rejected ones).
    Runs after the write committed; a failure here is logged and never undoes the write."""
    if services.matcher is None or not case_ids:
        return 0
    try:
        index = await services.matcher.index(force=True)
        proposals: list[MatchProposalRow] = []
        for case_id in case_ids:
            query = index.record(case_id)
            if query is None:
                continue
            for match in index.search(query, OPPOSITE[query.kind], first=PROPOSE_TOP):
                if match.band is None:
                    continue
                pair = pair_id(query, match.case_id)
                missing, other = pair.split("~")
                proposals.append(
                    MatchProposalRow(
                        id=pair,
                        missing_case_id=missing,
                        other_case_id=other,
                        score=match.score,
                        band=match.band.value,
                        factors=_factors(match),
                        status="PROPOSED",
                    )
                )
        async with services.sessions() as session, session.begin():
            known = set(
                await session.scalars(
                    select(MatchProposalRow.id).where(MatchProposalRow.id.in_([p.id for p in proposals]))
                )
            )
            fresh = [p for p in proposals if p.id not in known]
            session.add_all(fresh)
        return len(fresh)
    except Exception as exc:  # the case is stored; a proposal can be made again on its next change
        log.error("match proposals for %d cases failed: %s", len(case_ids), type(exc).__name__)
        return 0


async def propose_forever(services: Services, every_s: float, stop: asyncio.Event) -> None:
    """Proposals for cases written by other processes (sync, import, other hubs): every ``every_s`` seconds."""
    assert services.matcher is not None
    await services.matcher.index()  # the first build is the baseline: its cases are matched on demand, not here
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        try:
            changed = await services.matcher.take_changed()
        except Exception as exc:  # the database may be away for a moment; try again next round
            log.error("match proposals: refresh failed: %s", type(exc).__name__)
            continue
        if changed:
            log.info("match proposals: %d new for %d changed cases", await propose_for(services, changed), len(changed))
