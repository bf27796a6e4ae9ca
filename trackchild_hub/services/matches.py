"""Search and match: find matches for a description, a case's candidates, review a pair (proposals: proposals.py).

Matching searches the whole country and respects jurisdiction for what it shows: a candidate outside the caller's
jurisdiction is listed masked (its state, reference, score and reasons, not the case; weighed from its district's
centre, not its own point, and by level, never quoting a measure: ``weighed_as_masked``), so an officer learns that a
likely match sits in another state's home and whom to ask. Confidential children are never listed to those who may
not see them, and the public sees scores and states only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ..auth.record_access import case_scope
from ..auth.scopes import Scope
from ..domain.enums import CaseEventType, CaseKind, CaseStatus
from ..domain.errors import BadUserInput, Conflict
from ..domain.filters import RecordScope
from ..domain.geography import Geography
from ..matching.index import MatchIndex
from ..matching.records import Band, Match, MatchRecord
from ..matching.scoring import rank_key, reweighed, weighed_together
from ..store.case_records import CaseShown
from ..store.case_updates import flush_guarded
from ..store.events import CaseEventRepository
from ..store.match_proposals import proposal_statuses, proposal_to_review
from ..store.models import CaseRow
from .record_rule import case_named, match_named, not_found
from .unit import Unit

log = logging.getLogger(__name__)
MAX_FIRST = 50
LOCAL = "local"  # the hub's own store, as ``sources`` names it
OPPOSITE = {
    CaseKind.MISSING: frozenset({CaseKind.FOUND, CaseKind.CARE}),
    CaseKind.FOUND: frozenset({CaseKind.MISSING}),
    CaseKind.CARE: frozenset({CaseKind.MISSING}),
}


@dataclass(frozen=True, slots=True)
class MatchView:
    pair_id: str
    match: Match
    record: MatchRecord
    row: CaseShown | None  # None: not shown to this caller (outside jurisdiction, or the public)
    reference: str | None
    status: str | None  # a stored proposal's status
    source: str = LOCAL  # where the candidate was found: the hub's store, or a live system's connector id


def pair_id(query: MatchRecord, candidate_id: str) -> str:
    """``<missing case id>~<found or care case id>``, whichever side asked."""
    if query.kind is CaseKind.MISSING:
        return f"{query.case_id}~{candidate_id}"
    return f"{candidate_id}~{query.case_id}"


async def find_matches(ctx: Unit, description: MatchRecord, kinds: frozenset[CaseKind], first: int) -> list[MatchView]:
    check_first(first)
    index = await _index(ctx)
    matches = await _search(ctx, description, kinds, first + MAX_FIRST)
    return await _views(ctx, index, description, matches, first, {})


async def match_candidates(ctx: Unit, case_id: str, first: int) -> list[MatchView]:
    check_first(first)
    await case_named(ctx, case_id)
    index = await _index(ctx)
    query = index.record(case_id)
    if query is None:
        return []  # closed: matched no longer
    statuses = await ctx.read(lambda s: proposal_statuses(s, case_id))
    matches = [
        m
        for m in await _search(ctx, query, OPPOSITE[query.kind], first + MAX_FIRST)
        if statuses.get(pair_id(query, m.case_id)) != "REJECTED"
    ]
    return await _views(ctx, index, query, matches, first, statuses)


async def review_match(ctx: Unit, pair: str, confirm: bool, note: str | None) -> MatchView:
    missing, other = await match_named(ctx, pair)
    if not isinstance(missing, CaseRow) or not isinstance(other, CaseRow):  # a live record: never proposed
        raise not_found("match")
    if missing.kind != CaseKind.MISSING.value or other.kind == CaseKind.MISSING.value:
        raise BadUserInput("id", "a match pairs a MISSING case with a FOUND or CARE case")
    index = await _index(ctx)
    query = index.record(missing.id)
    match = await _as_searched(ctx, query, index.record(other.id))
    async with ctx.write():
        proposal = await proposal_to_review(ctx.session, pair, missing.id, other.id)
        if proposal.status in ("CONFIRMED", "REJECTED"):
            raise Conflict(f"this match was already {proposal.status.lower()}")
        if match is not None:
            proposal.score, proposal.band = match.score, match.band.value if match.band else None
            proposal.factors = stored_factors(match)
        proposal.status = "CONFIRMED" if confirm else "REJECTED"
        proposal.reviewed_at, proposal.reviewed_by, proposal.note = datetime.now(UTC), ctx.principal.subject, note
        if confirm:
            for this, that in ((missing, other), (other, missing)):
                if this.status != CaseStatus.OPEN.value:
                    raise Conflict(f"case {this.reference} is already {this.status}", suggestion="reopen it first")
                this.status, this.closure_reason = (
                    CaseStatus.RESOLVED.value,
                    f"reunified: matched with {that.reference}",
                )
                this.updated_at = datetime.now(UTC)
                CaseEventRepository(ctx.session).append(
                    this.id, CaseEventType.REUNIFIED, actor=ctx.principal.subject, note=note, data={"match": pair}
                )
        await flush_guarded(ctx.session)  # a case changed meanwhile by someone else: CONFLICT, nothing written
    if confirm:
        await _index(ctx, force=True)  # both cases leave the index
    record = query or MatchRecord(kind=CaseKind.MISSING, case_id=missing.id)
    shown = match or Match(other.id, proposal.score, Band(proposal.band) if proposal.band else None, ())
    return MatchView(pair, shown, record, other, other.reference, proposal.status)


async def _as_searched(ctx: Unit, missing: MatchRecord | None, found: MatchRecord | None) -> Match | None:
    """The pair scored as the found child's search weighs it: its probability among every report that search
    weighed, so a review records the score the searches gave, not the pair's alone (two reports alike of one child
    are 0.5 each, not 1.0). A pair the search does not list is scored alone and weighed with it
    (``scoring.weighed_together``)."""
    if missing is None or found is None:
        return None  # a case no longer held: the proposal keeps the score it was given
    searched = await _search(ctx, found, OPPOSITE[found.kind], MAX_FIRST)
    listed = next((m for m in searched if m.case_id == missing.case_id), None)
    if listed is not None:
        return listed
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    alone = await ctx.services.matcher.score_pair(found, missing.case_id)
    if alone is None:
        return None
    _, (weighed,) = weighed_together(searched, [alone], await ctx.services.matcher.prior(found))
    return weighed


async def _index(ctx: Unit, *, force: bool = False) -> MatchIndex:
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    return await ctx.services.matcher.index(force=force)


async def _search(ctx: Unit, query: MatchRecord, kinds: frozenset[CaseKind], first: int) -> list[Match]:
    """On the matcher thread: tens of milliseconds at scale, which the event loop must not spend (match_service)."""
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    return await ctx.services.matcher.search(query, kinds, first)


async def _views(
    ctx: Unit,
    index: MatchIndex,
    query: MatchRecord,
    matches: Sequence[Match],
    first: int,
    statuses: dict[str, str],
) -> list[MatchView]:
    scope: RecordScope | None = case_scope(ctx.principal) if ctx.principal.has(Scope.CASES_READ.value) else None
    listed: list[tuple[Match, MatchRecord]] = []
    for match in matches:
        record = index.record(match.case_id)
        if record is None or (record.confidential and (scope is None or not scope.confidential)):
            continue  # never so much as hinted at
        listed.append((match, record))
    # One batched load for the rows (never a query per candidate); a few spare for cases closed meanwhile.
    rows = await asyncio.gather(*(ctx.loaders.case_by_id.one(m.case_id) for m, _ in listed[: first + 10]))
    views: list[MatchView] = []
    for (match, record), row in zip(listed, rows, strict=False):
        if row is None:
            continue
        shown = scope is not None and scope.admits(record.state, record.district, record.confidential)
        pair = pair_id(query, record.case_id) if query.case_id else f"~{record.case_id}"
        reference = row.reference if scope is not None else None
        views.append(MatchView(pair, match, record, row if shown else None, reference, statuses.get(pair)))
        if len(views) == first:
            break
    return await weighed_as_masked(ctx, query, views)


async def weighed_as_masked(
    ctx: Unit, query: MatchRecord, views: Sequence[MatchView], *, alone: bool = False
) -> list[MatchView]:
    """``views`` with each masked candidate scored again from its district's centre and by level alone, best first
    (``rank_key``).

    A masked candidate's reasons are shown, and the place reason is the distance from the point the caller chose
    to the candidate's: from its own point, three searches from three places would put the child (where they were
    last seen, often home) within a kilometre. From the district's centre they tell the district, which "same
    district" tells anyway. Every reason names its level, never a measure (``matching/banded.py``): with the
    description they chose, "ages differ by 2.3 years", "off by 3 cm" and "found 12 days after going missing"
    would tell the caller an outside child's age, height and the day she went missing. The probabilities of one
    search's matches (``alone`` False) weigh each other, so every one moves with the masked ones' new weights
    (``scoring.reweighed``): two children of one district reported alike get the same score wherever in it they
    were last seen, and whatever their exact ages, heights and dates within the same levels."""
    masked = [i for i, view in enumerate(views) if view.row is None]
    if not masked:
        return list(views)
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    centred = [_district_centred(views[i].record, ctx.geography) for i in masked]
    rescored = await ctx.services.matcher.score_records(query, centred, banded=True)
    out = list(views)
    if alone:  # each was weighed alone (live records): so is its new weight
        for i, match in zip(masked, rescored, strict=True):
            out[i] = replace(out[i], match=match)
    else:  # one search's matches: the probabilities still weigh each other (``scoring.reweighed``)
        moved = reweighed([v.match for v in views], dict(zip(masked, rescored, strict=True)))
        out = [replace(view, match=match) for view, match in zip(views, moved, strict=True)]
    return sorted(out, key=lambda v: rank_key(v.match))


def _district_centred(record: MatchRecord, geography: Geography) -> MatchRecord:
    district = geography.district(record.district) if record.district else None
    if district is None:
        return replace(record, latitude=None, longitude=None)
    return replace(record, latitude=district.latitude, longitude=district.longitude)


def stored_factors(match: Match) -> list[dict[str, object]]:
    return [{"field": f.field, "weight": f.weight, "detail": f.detail} for f in match.factors]


def check_first(first: int) -> None:
    if not 1 <= first <= MAX_FIRST:
        raise BadUserInput("first", f"{first} is outside 1-{MAX_FIRST}")
