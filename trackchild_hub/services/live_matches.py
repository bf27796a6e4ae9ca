"""Live candidates for ``findMatches(sources:)``: records a state system sent, scored and shown as stored ones are.

A live record becomes a ``MatchRecord`` as a stored row does (``store.match_records``: the district's centroid
stands in for a missing point), is scored against the description on the matcher thread with the index's weights
and name frequencies (``MatchService.score_records``), and is shown by the stored candidates' rule
(``matches._views``): outside the caller's jurisdiction it is listed masked (state, reference, score and reasons,
not the case; weighed from its district's centre), a confidential child is never listed to those who may not see
it, and the public sees no reference. Only open cases of the kinds searched are candidates. Fetching them is the
resolver's part (``resolvers.live_matches``), which also merges the two lists (``merged``): one ranking, and one
denominator for every candidate's probability (``scoring.weighed_together``), as one search has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..auth.record_access import case_scope
from ..auth.scopes import Scope
from ..domain.enums import CaseKind, CaseStatus
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..matching.records import MatchRecord
from ..matching.scoring import Prior, rank_key, weighed_together
from ..store.case_records import CaseShown
from .matches import MatchView, pair_id, weighed_as_masked
from .unit import Unit


@dataclass(frozen=True, slots=True)
class LiveCandidate:
    """A live record (``case``, as its connector mapped and validated it) and the read model's record of it
    (``row``: what a shown candidate's ``case`` serves; its id says where it comes from)."""

    case: CaseData
    row: CaseShown


def live_match_record(case: CaseData, case_id: str, geography: Geography) -> MatchRecord:
    """What the matcher compares of a live record: the fields ``store.match_records`` reads of a stored case."""
    latitude, longitude = case.place.latitude, case.place.longitude
    if latitude is None and case.place.district is not None:
        district = geography.district(case.place.district)
        if district is not None:
            latitude, longitude = district.latitude, district.longitude
    child = case.child
    found = case.found if case.kind is CaseKind.FOUND else None
    return MatchRecord(
        kind=case.kind,
        gender=child.gender,
        name=child.name,
        aliases=tuple(child.aliases),
        guardian_names=tuple(g.name for g in child.guardians if g.name),
        age_years=child.age_years,
        date_of_birth=child.date_of_birth,
        event_date=case.event_date,
        state=case.place.state,
        district=case.place.district,
        latitude=latitude,
        longitude=longitude,
        height_cm=child.height_cm,
        identifying_marks=tuple(child.identifying_marks),
        clothing=child.clothing,
        languages=tuple(child.languages),
        missing_since=found.missing_since if found is not None else None,
        case_id=case_id,
        confidential=child.confidential,
    )


@dataclass(frozen=True, slots=True)
class LiveViews:
    """The best live candidates, shown or masked, and the totals of the rest (``scoring.weighed_together``'s
    ``unlisted``)."""

    views: list[MatchView]
    unlisted: tuple[float, ...]


async def live_views(
    ctx: Unit, query: MatchRecord, kinds: frozenset[CaseKind], candidates: Sequence[LiveCandidate], first: int
) -> LiveViews:
    """The best ``first`` of ``candidates`` for ``query``, best first (``scoring.rank_key``), each shown or
    masked, each weighed as if alone (``merged`` weighs them with the stored ones)."""
    assert ctx.services.matcher is not None, "build_services sets the matcher"
    scope = case_scope(ctx.principal) if ctx.principal.has(Scope.CASES_READ.value) else None
    eligible: list[tuple[MatchRecord, LiveCandidate]] = []
    for candidate in candidates:
        if candidate.case.status is not CaseStatus.OPEN or candidate.case.kind not in kinds:
            continue  # matching pairs open cases only, of the kinds searched
        record = live_match_record(candidate.case, candidate.row.id, ctx.geography)
        if record.confidential and (scope is None or not scope.confidential):
            continue  # never so much as hinted at
        eligible.append((record, candidate))
    matches = await ctx.services.matcher.score_records(query, [record for record, _ in eligible])
    ranked = sorted(zip(matches, eligible, strict=True), key=lambda m: rank_key(m[0]))
    views: list[MatchView] = []
    for match, (record, candidate) in ranked[:first]:
        shown = scope is not None and scope.admits(record.state, record.district, record.confidential)
        pair = pair_id(query, record.case_id) if query.case_id else f"~{record.case_id}"
        reference = candidate.row.reference if scope is not None else None
        row = candidate.row if shown else None
        views.append(MatchView(pair, match, record, row, reference, None, candidate.case.source))
    unlisted = tuple(match.total for match, _ in ranked[first:])
    return LiveViews(await weighed_as_masked(ctx, query, views, alone=True), unlisted)


def merged(stored: Sequence[MatchView], live: LiveViews, first: int, prior: Prior) -> list[MatchView]:
    """Both lists as one ranking, the index's (``scoring.rank_key``: total weight, then case id), the best
    ``first``, not by the rounded score, which is 1.0 for most strong matches; the probabilities weigh each other,
    as one search's do (``scoring.weighed_together``): a stored report and a live one of the same child split it."""
    searched, added = weighed_together([v.match for v in stored], [v.match for v in live.views], prior, live.unlisted)
    views = [replace(v, match=m) for v, m in zip([*stored, *live.views], [*searched, *added], strict=True)]
    return sorted(views, key=lambda v: rank_key(v.match))[:first]
