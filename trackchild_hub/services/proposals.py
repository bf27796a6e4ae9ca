"""Proposing matches: after every case write (the API's, a sync batch's, an import's), and every few seconds for
cases written by other processes (``propose_forever``, the background loop ``serve`` runs).

A round searches on the matcher thread (see ``match_service``), never on the event loop, and writes each pair once:
a missing child and a found child written in one batch find each other from both sides, so the pairs are merged
before they are stored, and the store skips pairs it holds already (a reviewed one is never touched).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from ..domain.enums import CaseKind
from ..matching.records import MatchRecord
from ..store.match_proposals import insert_new_proposals
from .alerts import on_likely_proposals
from .match_service import Found
from .matches import OPPOSITE, pair_id, stored_factors
from .unit import Services

log = logging.getLogger(__name__)
PROPOSE_TOP = 5
Propose = Callable[[Sequence[str]], Awaitable[int]]
"""Proposals for cases just written (a sync batch's, an import batch's): ``proposer(services)``."""


async def propose_for(services: Services, case_ids: Sequence[str]) -> int:
    """Match new or changed cases and store proposals for their LIKELY and POSSIBLE candidates (not rejected ones).
    Runs after the write committed; a failure here is logged and never undoes the write. Returns how many new."""
    try:
        return await propose(services, case_ids)
    except Exception as exc:  # the case is stored; a proposal can be made again on its next change
        log.error("match proposals for %d cases failed: %s", len(case_ids), type(exc).__name__)
        return 0


async def propose(services: Services, case_ids: Sequence[str]) -> int:
    """``propose_for`` letting a failure through: for a caller that must not count a failed batch as done
    (``match_pending``). Returns how many new."""
    if services.matcher is None or not case_ids:
        return 0
    found = await services.matcher.search_each(case_ids, _opposite, PROPOSE_TOP)
    async with services.sessions() as session, session.begin():
        stored = await insert_new_proposals(session, pairs(found))
        await on_likely_proposals(session, services.settings, stored)  # in the proposals' transaction
        return len(stored)


def proposer(services: Services) -> Propose:
    """``propose_for`` over ``services``: what a batch driver calls after each committed batch."""
    return partial(propose_for, services)


def pairs(found: Sequence[Found]) -> list[dict[str, Any]]:
    """One proposal per pair of cases, the better score where both sides found each other."""
    best: dict[str, dict[str, Any]] = {}
    for query, matches in found:
        for match in matches:
            if match.band is None:
                continue
            pair = pair_id(query, match.case_id)
            if pair in best and best[pair]["score"] >= match.score:
                continue
            missing, other = pair.split("~")
            best[pair] = {
                "id": pair,
                "missing_case_id": missing,
                "other_case_id": other,
                "score": match.score,
                "band": match.band.value,
                "factors": stored_factors(match),
            }
    return list(best.values())


async def propose_forever(services: Services, every_s: float, stop: asyncio.Event) -> None:
    """Proposals for cases written by other processes (sync, import, other hubs): every ``every_s`` seconds, until
    ``stop`` is set (a round under way is cancelled by the caller if it does not end soon enough)."""
    assert services.matcher is not None
    try:
        await services.matcher.index()  # the first build is the baseline: its cases are matched on demand, not here
    except Exception as exc:  # the database may be away: the first round builds it instead
        log.error("match index: first build failed: %s", type(exc).__name__)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        if stop.is_set():
            return
        try:
            changed = await services.matcher.take_changed()
        except Exception as exc:  # the database may be away for a moment; try again next round
            log.error("match proposals: refresh failed: %s", type(exc).__name__)
            continue
        if changed:
            log.info("match proposals: %d new for %d changed cases", await propose_for(services, changed), len(changed))


def _opposite(query: MatchRecord) -> frozenset[CaseKind]:
    return OPPOSITE[query.kind]
