"""``python -m bench.matching.ceiling_run``: the ceilings of ``ceiling.py`` beside the hub, on generated data.

For every nameless found child whose report is among the missing (``--nickname``: every child known only by a pet
name who gives no parent's name), the rank of that report by the Bayes-optimal ranking, by the same ranking with one
piece of evidence left out at a time (``--without``), and by the hub's search (``--hub``: the prior weights; a report
past ``--first`` counts as not found). Prints recall@1/10/50 and MRR for each ranking, ties counted against the true
report, and recall@10 with ties counted for it (the most any ranking could find). No names: figures only.

    python -m bench.matching.ceiling_run --missing 100000 --found 2000 --seed 1 --hub --without place dates
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.index import MatchIndex

from .ceiling import EVIDENCE, NamelessOracle, NicknameOracle, rank_of
from .generator import generate
from .model import NameType

HUB = "hub"


@dataclass(frozen=True)
class Ranked:
    name: str
    ranks: list[int]  # 1-based, ties counted against the truth; ``first + 1`` where not in the hub's first ``first``
    best: list[int]  # ties counted for it (the hub breaks its ties itself: the same as ``ranks``)

    def line(self) -> str:
        r, best = np.array(self.ranks, dtype=float), np.array(self.best, dtype=float)
        recall = " ".join(f"{np.mean(r <= k):.3f}" for k in (1, 10, 50))
        return f"{self.name:<22} {recall}  {np.mean(1 / r):.3f}  {np.mean(best <= 10):.3f}"


ORACLES: dict[NameType, type[NamelessOracle]] = {
    NameType.NAMELESS: NamelessOracle,
    NameType.NICKNAME: NicknameOracle,
}


def run(
    missing: int,
    found: int,
    seed: int,
    *,
    hub: bool,
    without: Sequence[str],
    first: int,
    name_type: NameType = NameType.NAMELESS,
) -> list[Ranked]:
    """The rankings of the found children of ``name_type`` (nickname-only: those who give no parent's name)."""
    data = generate(missing, found, seed=seed)
    at = {r.case_id: i for i, r in enumerate(data.missing)}
    queries = [
        (q.record, q.truth)
        for q in data.queries
        if q.truth and q.name_type is name_type and not q.record.guardian_names
    ]
    oracle = ORACLES[name_type]
    rankings = {"Bayes": oracle(data.missing, data.today)}
    rankings |= {f"Bayes without {e}": oracle(data.missing, data.today, without=frozenset({e})) for e in without}
    out = []
    for name, o in rankings.items():
        both = [rank_of(o.log_likelihood(r), at[t]) for r, t in queries]
        out.append(Ranked(name, [worst for _, worst in both], [best for best, _ in both]))
    if hub:
        index = MatchIndex.build(data.missing, today=data.today)
        ranks = []
        for record, truth in queries:
            ids = [m.case_id for m in index.search(record, frozenset({CaseKind.MISSING}), first=first)]
            ranks.append(ids.index(truth) + 1 if truth in ids else first + 1)
        out.append(Ranked(HUB, ranks, ranks))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.ceiling_run", description=__doc__.split("\n")[0])
    parser.add_argument("--missing", type=int, default=100_000)
    parser.add_argument("--found", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hub", action="store_true", help="also rank by the hub's search (prior weights)")
    parser.add_argument("--without", nargs="*", default=[], choices=sorted(EVIDENCE), metavar="EVIDENCE")
    parser.add_argument("--first", type=int, default=50, help="results asked of the hub's search (default 50)")
    parser.add_argument("--nickname", action="store_true", help="nickname-only children with no parent's name")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    name_type = NameType.NICKNAME if args.nickname else NameType.NAMELESS
    ranked = run(
        args.missing, args.found, args.seed, hub=args.hub, without=args.without, first=args.first, name_type=name_type
    )
    who = "nickname-only children with no parent's name" if args.nickname else "nameless children"
    print(f"{args.missing:,} missing, {args.found:,} found, seed {args.seed}: {len(ranked[0].ranks)} {who}")
    print(f"{'ranking':<22} R@1   R@10  R@50   MRR    R@10 with ties for the truth")
    for r in ranked:
        print(r.line())
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
