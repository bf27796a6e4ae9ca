"""Reviewed pairs as a hub with a review history holds them: confirmed and rejected matches, from other children.

In production a reviewer confirms the report a found child turned out to be and rejects the wrong ones the matcher
proposed beside it; ``match train`` learns from those labels (``training.train(labels=..., records=...)``), the
confirmed cases closed (reunified) and so no longer in the index. ``review`` makes such a history from a dataset the
evaluation never searches (another seed, ``REVIEW_SEED_OFFSET`` on): each found child's true report confirmed, the
``rejected`` best wrong candidates the hub proposes (prior weights, as it proposed them before it had labels)
rejected, for matched and unmatched children alike. Every case id is prefixed with ``PREFIX``, so no label can name a
case of the evaluated data (the generator numbers every seed's cases alike: M0000001, F000001) and the records go to
training as closed cases (``records``), compared against a side index as ``training`` compares them.

``own_labels`` is the diagnostic ("oracle"): the same labels from the evaluated data itself. It tells how far a
Fellegi-Sunter model with these comparisons can go on this data when m is fitted to the very pairs it is scored on;
it is no figure a hub can reach.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.records import Match, MatchRecord

from .evaluation import SEARCHED
from .model import Dataset

REVIEW_SEED_OFFSET = 1000  # the review history's seed: the evaluated seed plus this
PREFIX = "review:"
REJECTED = 3  # wrong candidates a reviewer rejects per found child: the best the hub proposed beside the truth
Pair = tuple[str, str]  # (missing case id, found case id), as training names them
Labelled = tuple[MatchRecord, str | None]  # a found child's record and its true report's id (None: nobody's)


class Searches(Protocol):
    def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int = 10) -> list[Match]: ...


@dataclass(frozen=True, slots=True)
class Reviewed:
    """Labels (True: confirmed) and the records of every case they name (for ``training.train``'s ``records``)."""

    labels: Mapping[Pair, bool]
    records: Mapping[str, MatchRecord]
    seed: int | None  # the dataset's seed the labels come from


def review_seed(seed: int) -> int:
    return seed + REVIEW_SEED_OFFSET


def review(data: Dataset, index: Searches, *, rejected: int = REJECTED) -> Reviewed:
    """``data``'s found children reviewed (``index``: its missing reports, prior weights), every id ``PREFIX``ed."""
    labels = _labels(((q.record, q.truth) for q in data.queries), index, rejected)
    records = {r.case_id: r for r in data.missing} | {q.record.case_id: q.record for q in data.queries}
    named = {case_id for pair in labels for case_id in pair}
    return Reviewed(
        labels={(PREFIX + m, PREFIX + f): ok for (m, f), ok in labels.items()},
        records={PREFIX + i: dataclasses.replace(records[i], case_id=PREFIX + i) for i in sorted(named)},
        seed=data.seed,
    )


def own_labels(queries: Iterable[Labelled], index: Searches, *, rejected: int = REJECTED) -> Reviewed:
    """The diagnostic: the evaluated queries' own truth as labels (their cases are in ``index``: no records)."""
    return Reviewed(labels=_labels(queries, index, rejected), records={}, seed=None)


def _labels(queries: Iterable[Labelled], index: Searches, rejected: int) -> dict[Pair, bool]:
    labels: dict[Pair, bool] = {}
    for record, truth in queries:
        if truth is not None:
            labels[(truth, record.case_id)] = True
        proposed = index.search(record, SEARCHED, first=rejected + 1)
        for match in [m for m in proposed if m.case_id != truth][:rejected]:
            labels[(match.case_id, record.case_id)] = False
    return labels


def truth_pairs(queries: Sequence[Labelled]) -> set[Pair]:
    return {(truth, record.case_id) for record, truth in queries if truth is not None}
