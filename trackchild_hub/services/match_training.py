"""``trackchild-hub match train``: the matcher's weights learned from the store's own records, stored as a new version.

The found and cared-for children of the open cases are the queries, the open missing reports what they are matched
against (``matching/training.py``), and every pair a reviewer confirmed or rejected is a label (a confirmed pair's
cases are closed by then: their records are read whatever their status). The candidate pairs are chosen with the
weights hubs use now; the estimates start from, and are smoothed towards, the hand-set priors; the share of found
children who were reported (lambda, which makes a probability of the weights) comes from the reviews and is stored
with them. Running hubs take up the new version at their next index refresh (``MatchService``).

What it prints and stores is counts and probabilities per comparison level: never a name or any other record value.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.enums import CaseKind
from ..domain.errors import BadUserInput
from ..matching.comparisons import COMPARISONS
from ..matching.records import MatchRecord
from ..matching.training import TemperedBy, TrainingReport, train
from ..matching.weights import PRIOR, Weights
from ..store.match_records import records_of
from ..store.match_weights import StoredWeights, add_weights, newest_version, newest_weights, reviewed_pairs

if TYPE_CHECKING:  # match_service reads the current weights from here
    from .match_service import MatchService

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Trained:
    stored: StoredWeights
    report: TrainingReport
    missing: int  # open missing reports matched against
    weights: Weights
    unfit: str | None = None  # the version stored before, when this code could not use it (hubs used the priors)

    def lines(self) -> list[str]:
        r = self.report
        state = "converged" if r.converged else "stopped before converging"
        lines = [
            f"trained on {r.queries:,} found and cared-for children against {self.missing:,} missing reports",
            f"{r.pairs:,} candidate pairs ({r.labelled:,} reviewed), u from {r.random_pairs:,} random pairs",
            f"EM: {r.iterations} iterations, {state}; {r.matches:,.1f} expected matches",
            f"found children reported (lambda, from the reviews, held in EM): {r.share:.3f}",
            f"probability temperature: {self.weights.temperature:.3f} ({_TEMPERED_BY[r.tempered_by]})",
            f"routes: {_routes(self.weights)}",
            f"stored as version {self.stored.version}: running hubs use it from their next index refresh",
        ]
        if self.unfit is not None:
            lines.append(
                f"the version stored before ({self.unfit}) did not fit this code's comparisons: hubs scored with "
                "the priors until now"
            )
        lines.append("comparison level: m u weight (log2 m/u)")
        for comparison in COMPARISONS:
            m, u = self.weights.m[comparison.name], self.weights.u[comparison.name]
            for level, label in enumerate(comparison.levels):
                weight = self.weights.weight(comparison.name, level)
                lines.append(f"  {comparison.name} {label}: {m[level]:.4f} {u[level]:.5f} {weight:+.2f}")
        return lines


_TEMPERED_BY: dict[TemperedBy, str] = {
    "reviews": "fitted to the reviewed pairs",
    "EM": "fitted to EM's match probabilities: too few reviews",
    "none": "too few reviews and matches to fit it",
}


def _routes(weights: Weights) -> str:
    """How many found places the routes speak for, and their strongest bits (no place named)."""
    routes = weights.routes
    bits = [b for table in (routes.districts, routes.states) for homes in table.values() for b in homes.values()]
    if not bits:
        return "none learned"
    return (
        f"{len(routes.districts):,} found districts and {len(routes.states):,} states, "
        f"bits {min(bits):+.2f} to {max(bits):+.2f}"
    )


@dataclass(frozen=True, slots=True)
class Unfit:
    """The newest stored weights, which this code cannot use (other comparison levels, a row edited by hand)."""

    version: str | None
    reason: str


async def current_weights(session: AsyncSession) -> Weights:
    """The newest stored weights; the priors when none are stored or the newest do not fit this code or cannot be
    read at all (logged, never a failed search)."""
    newest = await _newest(session)
    if isinstance(newest, Unfit):
        log.error("match weights %s not used (%s): the priors are", newest.version, newest.reason)
        return PRIOR
    return newest


async def _newest(session: AsyncSession) -> Weights | Unfit:
    try:
        stored = await newest_weights(session)
        return PRIOR if stored is None else Weights.from_json(stored.weights)
    except ValueError as exc:  # json's decode error is one too
        return Unfit(await newest_version(session), str(exc))


async def train_from_store(matcher: MatchService, *, seed: int = 0, max_pairs: int = 400_000) -> Trained:
    """Learn, store and return the weights. ``BadUserInput`` when there is nothing to learn from.

    The index is the matcher's own (the shared snapshot mapped when there is one, caught up from the store), ranking
    candidates with the weights hubs use now."""
    index = await matcher.index(force=True)
    found = index.rows_of((CaseKind.FOUND, CaseKind.CARE))
    queries = sorted((index.records[row] for row in found.tolist()), key=lambda r: r.case_id)
    missing = len(index.rows_of((CaseKind.MISSING,)))
    if not queries or not missing:
        raise BadUserInput(
            "cases", f"nothing to learn from: {len(queries)} open found or care cases, {missing} open missing"
        )
    sessions = matcher.sessions
    async with sessions() as session:
        labels = await reviewed_pairs(session)
        closed = sorted({case_id for pair in labels for case_id in pair if index.record(case_id) is None})
        records: dict[str, MatchRecord] = {r.case_id: r for r in await records_of(session, matcher.geography, closed)}
        before = await _newest(session)
    started = datetime.now(UTC)
    weights, report = await asyncio.to_thread(
        train, index, queries, labels=labels, records=records, seed=seed, max_pairs=max_pairs
    )
    async with sessions.begin() as session:
        stored = await add_weights(session, weights.to_json(), report.to_json(), started)
    log.info("match weights %s trained: %d pairs, %d iterations", stored.version, report.pairs, report.iterations)
    unfit = before.version if isinstance(before, Unfit) else None
    return Trained(stored, report, missing, Weights.from_json(stored.weights), unfit)
