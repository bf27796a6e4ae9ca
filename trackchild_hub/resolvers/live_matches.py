"""``findMatches(…, sources:)``: the store's candidates and live state systems' records, ranked together.

``sources`` is read as ``cases`` reads it (``federated_cases.selected_sources``): ``local`` (the store, the
default), connector ids, or ``all``; an unknown one is refused naming ``sources`` before any system is called.
Every selected system is asked at once, under the request's one deadline, for the records that could be the child
(``criteria``): by the first word of the name and of the first pet name (the profile's name search reads aliases
too), and, whatever the name, the newest of the kind and gender in the place's district when that is in the
system's state (else in its state), since a name may be misspelt or missing. Matching is national, so every
selected system is asked, whatever the caller's jurisdiction: what is outside it is listed masked, as stored
candidates are (``services.live_matches``).

A system that fails or is still answering at the deadline becomes an error beside the answer (``UPSTREAM_TIMEOUT``,
``UPSTREAM_UNAVAILABLE``, naming its source) and the rest is served: never a hang or a 500. Malformed records are
dropped by the connector (and counted in ``sources``). A live record the store holds a copy of (same source and
external id) is left out when the store is among the sources: the stored case stands for it, once.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..connectors.port import MAX_SEARCH_LIMIT, Connector, SearchCriteria
from ..domain.enums import CaseKind, Gender
from ..domain.errors import UpstreamError
from ..domain.records import CaseData
from ..matching.records import MatchRecord
from ..services import matches as stored_matches
from ..services.live_matches import LiveCandidate, live_views, merged
from ..services.matches import MatchView
from .context import Context
from .fanout import FanOut, SourceCall
from .federated_cases import selected_sources
from .remote_cases import prime, remote_cases

BY_NAME = 50  # records asked for by a name: a name search is narrow
BY_PLACE = MAX_SEARCH_LIMIT  # the newest of the kind and gender in the district: as many as a system gives
NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class FoundMatches:
    views: list[MatchView]
    errors: list[UpstreamError] = field(default_factory=list)  # a failed system each, beside the answer


async def find_matches(
    ctx: Context, description: MatchRecord, kinds: frozenset[CaseKind], first: int, sources: list[str] | None
) -> FoundMatches:
    stored_matches.check_first(first)
    use_local, connectors = selected_sources(ctx, sources)
    if not connectors:
        return FoundMatches(await stored_matches.find_matches(ctx, description, kinds, first) if use_local else [])
    deadline = time.monotonic() + ctx.services.settings.fanout_deadline_ms / 1000
    asks = [
        asyncio.ensure_future(_ask(connector, wanted, deadline))
        for connector in connectors
        for wanted in criteria(description, kinds, connector)
    ]
    try:  # the store's candidates on the matcher thread while the systems answer
        stored = await stored_matches.find_matches(ctx, description, kinds, first) if use_local else []
        calls = await asyncio.gather(*asks)
    finally:
        for ask in asks:
            ask.cancel()
    records, errors = _answers(connectors, calls)
    remote = await remote_cases(ctx, records, datetime.now(UTC), drop_held=use_local)
    live = await live_views(ctx, description, kinds, [LiveCandidate(r.case, r.row) for r in remote], first)
    by_id = {r.row.id: r for r in remote}
    for view in live.views:
        if view.row is not None:  # shown: its case resolves from the request's loaders, as a live page's does
            prime(ctx, by_id[view.record.case_id])
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    prior = await ctx.services.matcher.prior(description)
    return FoundMatches(merged(stored, live, first, prior), errors)


def criteria(description: MatchRecord, kinds: frozenset[CaseKind], connector: Connector) -> list[SearchCriteria]:
    """What one system is asked: by name, by pet name, and by place (see the module's docstring)."""
    kind = next(iter(kinds)) if len(kinds) == 1 else None
    gender = None if description.gender is Gender.UNKNOWN else description.gender
    district = description.district if description.state == connector.state else None
    words = {w.casefold(): w for w in map(_first_word, (description.name, *description.aliases[:1])) if w}
    by_name = [SearchCriteria(name=word, kind=kind, limit=BY_NAME) for word in words.values()]  # each once
    return [SearchCriteria(gender=gender, district=district, kind=kind, limit=BY_PLACE), *by_name]


def _first_word(name: str | None) -> str | None:
    """The first word of ``name`` (control characters count as spaces), at most ``NAME_CHARS``: what an
    upstream's substring search is sent. Joiners stay: Indic names need them."""
    words = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in name or "").split()
    return words[0][:NAME_CHARS] if words and len(words[0]) >= 2 else None


async def _ask(connector: Connector, wanted: SearchCriteria, deadline: float) -> SourceCall:
    async with FanOut([connector], wanted, deadline) as fan:
        (call,) = [call async for call in fan.arrivals()]
    return call


def _answers(
    connectors: Sequence[Connector], calls: Sequence[SourceCall]
) -> tuple[list[CaseData], list[UpstreamError]]:
    """Each system's records once (its searches overlap), and one error per system that failed any search."""
    records: dict[tuple[str, str], CaseData] = {}
    failed: dict[str, UpstreamError] = {}
    for call in calls:
        if call.error is not None:
            failed.setdefault(call.connector.id, call.error)
        for record in call.records:
            records.setdefault((record.source, record.external_id or ""), record)
    return list(records.values()), [failed[c.id] for c in connectors if c.id in failed]
