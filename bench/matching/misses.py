"""``python -m bench.matching.misses``: where the hub's misses come from, without a name in sight.

For every matched found child it searches as the harness does, takes the truth's rank, and for those ranked below
``--cut`` (default 10) compares the truth's factors with the wrong candidates ranked above it: per group (name type,
by default) how many misses each comparison loses (a wrong candidate above the truth weighs more on it) and by how
much on average, the truth's own level of each comparison, and how many were never candidates (blocking). Prints
levels and weights only: no name, place or other identifying value.

    python -m bench.matching.misses --missing 100000 --found 2000 [--seed 1] [--group "name type"] [--cut 10]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching.index import MatchIndex

from .evaluation import SEARCHED
from .generator import generate

NAMES = [c.name for c in cmp.COMPARISONS]


def analyse(missing: int, found: int, seed: int, group: str, cut: int, first: int) -> dict[str, Any]:
    data = generate(missing, found, seed=seed)
    index = MatchIndex.build(data.missing, today=data.today)
    rank_bins: dict[str, Counter[str]] = defaultdict(Counter)
    loses: dict[str, Counter[str]] = defaultdict(Counter)  # misses in which the comparison favours a wrong one
    margin: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    truth_levels: dict[str, dict[str, Counter[int]]] = defaultdict(lambda: defaultdict(Counter))
    gaps: dict[str, list[float]] = defaultdict(list)
    for query in data.queries:
        if query.truth is None:
            continue
        key = query.labels()[group]
        record = query.record
        rows = index.candidate_rows(record, SEARCHED)
        truth_row = index.row_of.get(query.truth)
        if truth_row is None or truth_row not in set(rows.tolist()):
            rank_bins[key]["not blocked"] += 1
            continue
        results = index.search(record, SEARCHED, first=first)
        rank = next((n for n, m in enumerate(results, 1) if m.case_id == query.truth), None)
        rank_bins[key][_bin(rank, cut)] += 1
        if rank is not None and rank <= cut:
            continue
        above = [index.row_of.get(m.case_id) or 0 for m in results[:cut]]
        parts = index.parts(record, np.array([truth_row, *above], dtype=np.int64))
        weights = {name: parts[name].weights for name in NAMES}
        totals = np.sum([weights[name] for name in NAMES], axis=0)
        gaps[key].append(float(np.mean(totals[1:]) - totals[0]))
        for name in NAMES:
            truth_levels[key][name][int(parts[name].levels[0])] += 1
            diff = weights[name][1:] - weights[name][0]
            margin[key][name] += float(np.mean(diff))
            if np.mean(diff) > 0.05:
                loses[key][name] += 1
    _print(rank_bins, loses, margin, truth_levels, gaps, cut)
    return {"ranks": rank_bins, "loses": loses}


def _bin(rank: int | None, cut: int) -> str:
    if rank is None:
        return "scored, not returned"
    if rank == 1:
        return "1"
    return f"2-{cut}" if rank <= cut else f"{cut + 1}+"


def _print(
    rank_bins: dict[str, Counter[str]],
    loses: dict[str, Counter[str]],
    margin: dict[str, defaultdict[str, float]],
    truth_levels: dict[str, dict[str, Counter[int]]],
    gaps: dict[str, list[float]],
    cut: int,
) -> None:
    for key in sorted(rank_bins):
        bins = rank_bins[key]
        total = sum(bins.values())
        missed = len(gaps[key]) + bins["not blocked"]
        print(
            f"\n== {key}: {total} matched, missed (rank > {cut}) {missed}: "
            + ", ".join(
                f"{b} {bins[b]}" for b in ("1", f"2-{cut}", f"{cut + 1}+", "scored, not returned", "not blocked")
            )
        )
        if not gaps[key]:
            continue
        n = len(gaps[key])
        print(f"   mean gap (wrong top-{cut} mean - truth) {np.mean(gaps[key]):.2f}, median {np.median(gaps[key]):.2f}")
        print(f"   {'comparison':17} {'wrong wins':>10} {'mean margin':>12}  truth's levels (level:count, -1 none)")
        for name in NAMES:
            levels = " ".join(f"{lv}:{c}" for lv, c in sorted(truth_levels[key][name].items()))
            print(f"   {name:17} {loses[key][name]:>10} {margin[key][name] / n:>12.2f}  {levels}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.misses", description=__doc__)
    parser.add_argument("--missing", type=int, default=100_000)
    parser.add_argument("--found", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--group", default="name type")
    parser.add_argument("--cut", type=int, default=10)
    parser.add_argument("--first", type=int, default=50)
    args = parser.parse_args(argv)
    analyse(args.missing, args.found, args.seed, args.group, args.cut, args.first)


if __name__ == "__main__":
    main()
