"""``python -m bench.matching.febrl_misses``: why FEBRL 4 duplicates are not ranked first, without a name in sight.

Every 4b duplicate is searched against the 4a originals as ``bench.matching --febrl`` does. A duplicate whose original
was never a candidate is classified by what broke its keys: how the two names relate (the same words, given name and
surname swapped, a word sharing a skeleton, no skeleton shared, a name missing) and how the two dates of birth do (the
same, day and month swapped, one digit changed, two digits transposed, further off, missing). A duplicate ranked
below first is compared with the wrong candidate ranked above it: which comparison gave the wrong one more, at which
levels. Prints categories, levels and weights only.

    python -m bench.matching.febrl_misses [--trained]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np

from trackchild_hub.matching import comparisons as cmp
from trackchild_hub.matching.blocking_keys import name_keys
from trackchild_hub.matching.features import features
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord

from .evaluation import SEARCHED
from .febrl import load
from .generator import TODAY

NAMES = [c.name for c in cmp.COMPARISONS]


def name_relation(query: MatchRecord, truth: MatchRecord) -> str:
    """How the two names relate, as a category."""
    a, b = features(query), features(truth)
    if not a.tokens or not b.tokens:
        return "a name missing"
    if a.tokens == b.tokens:
        return "same words"
    if len(a.tokens) > 1 and a.tokens[::-1] == b.tokens:
        return "given and surname swapped"
    shared = {s for s in a.skeletons if s} & {s for s in b.skeletons if s}
    if shared:
        return "a word's skeleton shared"
    return "no skeleton shared"


def birth_relation(a: date | None, b: date | None) -> str:
    """How two dates of birth differ, as a category (typing errors first)."""
    if a is None or b is None:
        return "missing or impossible"
    if a == b:
        return "same"
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return "day and month swapped"
    differ = [i for i in range(8) if x[i] != y[i]]
    if len(differ) == 1:
        return f"one digit changed ({'year' if differ[0] < 4 else 'month' if differ[0] < 6 else 'day'})"
    i, j = differ[0], differ[-1]
    if len(differ) == 2 and j == i + 1 and x[i] == y[j] and x[j] == y[i]:
        return "two digits transposed"
    return "further off"


def keys_shared(index: MatchIndex, query: MatchRecord, truth: MatchRecord) -> str:
    """Which of the query's blocking keys the truth holds ("none" when none does)."""
    shared = set(name_keys(features(query))) & set(name_keys(features(truth)))
    kinds = sorted({k.split(":", 1)[0] for k in shared})
    return "+".join(kinds) or "none"


def analyse(trained: bool) -> dict[str, Counter[str]]:
    cases, pairs = load()
    index = MatchIndex.build(cases, today=TODAY)
    if trained:
        from .learned import train

        print(f"trained: {train(index, [q for q, _ in pairs])['version']}")
    ranks: Counter[str] = Counter()
    unblocked: Counter[str] = Counter()
    lost: Counter[str] = Counter()  # misses in which the comparison gives the wrong first more
    margin: dict[str, float] = dict.fromkeys(NAMES, 0.0)
    level_pairs: Counter[str] = Counter()  # comparison: truth's level -> winner's level, where the winner gained
    for query, truth_id in pairs:
        truth_row = index.row_of.get(truth_id)
        truth = index.record(truth_id)
        if truth_row is None or truth is None:
            ranks["truth not held"] += 1
            continue
        rows = index.candidate_rows(query, SEARCHED)
        if truth_row not in set(rows.tolist()):
            ranks["never a candidate"] += 1
            category = (
                f"name: {name_relation(query, truth)}; dob: {birth_relation(query.date_of_birth, truth.date_of_birth)}"
                f"; keys shared: {keys_shared(index, query, truth)}; candidates {_size(len(rows))}"
            )
            unblocked[category] += 1
            continue
        results = index.search(query, SEARCHED, first=10)
        rank = next((n for n, m in enumerate(results, 1) if m.case_id == truth_id), None)
        ranks["1" if rank == 1 else "2-10" if rank else "11+"] += 1
        if rank == 1:
            continue
        winner = index.row_of.get(results[0].case_id)
        parts = index.parts(query, np.array([truth_row, winner or 0], dtype=np.int64))
        for name in NAMES:
            gain = float(parts[name].weights[1] - parts[name].weights[0])
            margin[name] += gain
            if gain > 0.05:
                lost[name] += 1
                level_pairs[f"{name} {int(parts[name].levels[0])}->{int(parts[name].levels[1])}"] += 1
        level_pairs[f"name relation: {name_relation(query, truth)}"] += 1
        level_pairs[f"dob relation: {birth_relation(query.date_of_birth, truth.date_of_birth)}"] += 1
    _print(ranks, unblocked, lost, margin, level_pairs)
    return {"ranks": ranks, "unblocked": unblocked, "lost": lost, "levels": level_pairs}


def _size(n: int) -> str:
    return "<200" if n < 200 else "200-999" if n < 1000 else "1000+"


def _print(
    ranks: Counter[str], unblocked: Counter[str], lost: Counter[str], margin: dict[str, float], levels: Counter[str]
) -> None:
    print("ranks: " + ", ".join(f"{k} {v}" for k, v in sorted(ranks.items())))
    print("\nnever a candidate:")
    for category, count in unblocked.most_common():
        print(f"  {count:4} {category}")
    below = sum(v for k, v in ranks.items() if k in ("2-10", "11+"))
    print(f"\nranked below first ({below}): comparisons giving the wrong first more (count, mean gain)")
    for name in NAMES:
        print(f"  {name:17} {lost[name]:4} {margin[name] / max(below, 1):6.2f}")
    print("\nlevels (truth -> wrong first) where it gained, and the pairs' relations:")
    for key, count in sorted(levels.items()):
        print(f"  {count:4} {key}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.febrl_misses", description=__doc__)
    parser.add_argument("--trained", action="store_true", help="with weights trained on FEBRL 4 (EM)")
    args = parser.parse_args(argv)
    analyse(args.trained)


if __name__ == "__main__":
    main()
