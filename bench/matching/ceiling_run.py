"""``python -m bench.matching.ceiling_run``: the ceilings of ``ceiling.py`` beside the hub, on generated data.

For every nameless found child whose report is among the missing (``--nickname``: every child known only by a pet
name who gives no parent's name), the rank of that report by the Bayes-optimal ranking, by the same ranking with one
piece of evidence left out at a time (``--without``), and by the hub's search (``--hub``: the prior weights; a report
past ``--first`` counts as not found). Prints recall@1/10/50 and MRR for each ranking, ties counted against the true
report, and recall@10 with ties counted for it (the most any ranking could find). No names: figures only.

``--named``: the children with a first name or a father's name (the first ``--limit``), ranked by the generator's
exact likelihood of everything but names (``AnyChildOracle``) plus the hub's own name and parents' weights
(``MatchIndex.parts``), beside the hub's search. No ceiling (names are weighed as the hub weighs them): what modelling
the rest of the evidence exactly would add to the hub's names. ``--without`` then puts the hub's own factor in place
of the exact likelihood of that evidence (``SWAPPED``), to see what each part's exact model is worth.

    python -m bench.matching.ceiling_run --missing 100000 --found 2000 --seed 1 --hub --without place dates
    python -m bench.matching.ceiling_run --missing 100000 --found 2000 --named --limit 800 --without place dates
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.index import MatchIndex
from trackchild_hub.matching.records import MatchRecord

from .ceiling import EVIDENCE, AnyChildOracle, NamelessOracle, NicknameOracle, rank_of
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


# The oracle's evidence each hub comparison stands for, when ``--named`` puts the hub's factor in its place.
SWAPPED = {"place": ("place",), "dates": ("dates", "told"), "age": ("age",), "height": ("height",)}
UNNAMED = (NameType.NAMELESS, NameType.NICKNAME)
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
        ranks = _hub_ranks(MatchIndex.build(data.missing, today=data.today), queries, first)
        out.append(Ranked(HUB, ranks, ranks))
    return out


def named(missing: int, found: int, seed: int, *, without: Sequence[str], first: int, limit: int) -> list[Ranked]:
    """``--named``: the first ``limit`` children with a first name or a father's name (see the module's docstring)."""
    data = generate(missing, found, seed=seed)
    at = {r.case_id: i for i, r in enumerate(data.missing)}
    queries = [(q.record, at[q.truth]) for q in data.queries if q.truth and q.name_type not in UNNAMED][:limit]
    index = MatchIndex.build(data.missing, today=data.today)
    exact = AnyChildOracle(data.missing, data.today)
    swapped = {e: AnyChildOracle(data.missing, data.today, without=frozenset(SWAPPED[e])) for e in without}
    ranks: dict[str, list[int]] = {name: [] for name in ("exact + hub names", *(f"hub {e}" for e in without))}
    every = np.arange(len(data.missing), dtype=np.int64)  # the index's rows are the reports, in order
    for record, truth in queries:
        parts = index.parts(record, every)
        names = math.log(2) * (parts["name"].weights + parts["guardians"].weights)
        ranks["exact + hub names"].append(rank_of(exact.log_likelihood(record) + names, truth)[1])
        for e, oracle in swapped.items():
            own = math.log(2) * parts[e].weights
            ranks[f"hub {e}"].append(rank_of(oracle.log_likelihood(record) + names + own, truth)[1])
    out = [Ranked(name, r, r) for name, r in ranks.items()]
    hub = _hub_ranks(index, [(record, data.missing[truth].case_id) for record, truth in queries], first)
    return [*out, Ranked(HUB, hub, hub)]


def _hub_ranks(index: MatchIndex, queries: Sequence[tuple[MatchRecord, str]], first: int) -> list[int]:
    ranks = []
    for record, truth in queries:
        ids = [m.case_id for m in index.search(record, frozenset({CaseKind.MISSING}), first=first)]
        ranks.append(ids.index(truth) + 1 if truth in ids else first + 1)
    return ranks


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.ceiling_run", description=__doc__.split("\n")[0])
    parser.add_argument("--missing", type=int, default=100_000)
    parser.add_argument("--found", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hub", action="store_true", help="also rank by the hub's search (prior weights)")
    parser.add_argument("--without", nargs="*", default=[], choices=sorted(EVIDENCE), metavar="EVIDENCE")
    parser.add_argument("--first", type=int, default=50, help="results asked of the hub's search (default 50)")
    parser.add_argument("--nickname", action="store_true", help="nickname-only children with no parent's name")
    parser.add_argument("--named", action="store_true", help="children with a name: exact evidence + hub names")
    parser.add_argument("--limit", type=int, default=1_000_000, help="--named: the first this many children")
    args = parser.parse_args(argv)
    if args.named and not set(args.without) <= set(SWAPPED):
        parser.error(f"--named --without takes {', '.join(SWAPPED)}")
    started = time.perf_counter()
    name_type = NameType.NICKNAME if args.nickname else NameType.NAMELESS
    if args.named:
        ranked = named(args.missing, args.found, args.seed, without=args.without, first=args.first, limit=args.limit)
        who = "children with a first name or a father's name"
    else:
        ranked = run(
            args.missing,
            args.found,
            args.seed,
            hub=args.hub,
            without=args.without,
            first=args.first,
            name_type=name_type,
        )
        who = "nickname-only children with no parent's name" if args.nickname else "nameless children"
    print(f"{args.missing:,} missing, {args.found:,} found, seed {args.seed}: {len(ranked[0].ranks)} {who}")
    print(f"{'ranking':<22} R@1   R@10  R@50   MRR    R@10 with ties for the truth")
    for r in ranked:
        print(r.line())
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
