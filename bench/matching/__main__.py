"""``python -m bench.matching``: the matcher against labelled synthetic data, FEBRL 4, and a million cases.

    python -m bench.matching                          # 300,000 missing reports, 5,000 found children
    python -m bench.matching --missing 20000 --found 1000 --matcher baseline
    python -m bench.matching --febrl --latency        # also FEBRL 4 and the 1,000,000-case latency run
    python -m bench.matching --no-eval --latency      # only the latency run
    python -m bench.matching --no-eval --scale 1000000 5000000   # built, written as a snapshot, mapped, searched

See bench/matching/README.md for the noise model and how to read the tables.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from trackchild_hub.matching.records import MatchRecord

from .._common import command, machine, write_results
from . import learned, scale
from .evaluation import Built, build, run_query, timing
from .febrl import load as load_febrl
from .generator import TODAY, generate
from .matchers import builder, hub_error
from .metrics import Outcome, Summary, breakdown, summarise
from .model import Dataset, NameType
from .report import side_by_side, table
from .reviewed import Reviewed, own_labels, review, review_seed
from .travel import Distance

Runner = Callable[[str, Built], dict[str, Any]]  # one variant's run on its built index

DIMENSIONS: dict[str, Sequence[str]] = {
    "name type": [t.value for t in NameType],
    "first name": ["known", "not known"],  # the recall@10 goals are set per row of this table
    "age band": ["0-5", "6-11", "12-17"],
    "script": ["Latin", "Devanagari", "Bengali", "Gurmukhi", "Tamil", "Telugu"],
    "distance": [d.value for d in Distance],
    "same-name decoy": ["no", "yes"],
    "pet name on report": ["yes", "no", "n/a"],  # nickname-only children: is their pet name an alias on the report
    "kind": ["FOUND", "CARE"],
    "age estimate": ["18-21", "0-5, off 2+ years", "other"],  # estimates above 17; small children's poor guesses
    "pet name decoy": ["yes", "no", "n/a"],  # nickname-only: another child missing from where this one was found
    "pet name on other reports": ["0-99", "100-999", "1000+", "n/a"],  # nickname-only: reports holding the pet name
}
PACKAGES = ["rapidfuzz", "indic-transliteration", "numpy", "recordlinkage"]
# What is compared: the baseline, the hub with its prior weights, the hub with weights trained on the data searched
# (no labels; with another seed's reviewed pairs, as a hub with a review history), and a diagnostic, not a goal
# figure: weights fitted to the evaluated data's own labels (how far these comparisons can go on it).
VARIANTS = ("baseline", "hub", "hub-trained", "hub-reviewed", "hub-oracle")
TRAINED = ("hub-trained", "hub-reviewed", "hub-oracle")
DIAGNOSTIC = {"hub-oracle": "hub-oracle (diagnostic)"}  # how the side-by-side table heads it: no goal figure
History = Callable[[], Reviewed]  # the reviewed pairs of a hub's past (another seed's data), made when needed


def variants(asked: Sequence[str] | None) -> list[str]:
    """The variants asked for, or every one that can run (with a note on stderr for those that cannot)."""
    if asked:
        return [v for v in VARIANTS if v in asked]
    out = ["baseline"]
    if (error := hub_error()) is not None:
        print(f"hub matcher not importable ({error}): baseline only", file=sys.stderr)
        return out
    out.append("hub")
    if (error := learned.training_error()) is not None:
        print(f"trained weights not evaluated ({error})", file=sys.stderr)
    else:
        out.extend(TRAINED)
    return out


def compare(
    records: Sequence[MatchRecord],
    queries: Sequence[Sequence[Any]],
    today: date,
    asked: Sequence[str],
    run: Runner,
    history: History | None = None,
) -> dict[str, dict[str, Any]]:
    """Run ``run`` once per variant; the hub is built once, evaluated with its prior weights, then trained and
    evaluated again per trained variant (each from the prior weights). ``queries`` are (record, truth, labels)
    triples: training sees the records only, but for ``hub-oracle`` (the diagnostic), which learns from their
    truth. ``hub-reviewed`` learns from ``history()`` too (skipped with a note without one)."""
    out: dict[str, dict[str, Any]] = {}
    if "baseline" in asked:
        out["baseline"] = run("baseline", build(builder("baseline"), records, today))
    if not {"hub", *TRAINED} & set(asked):
        return out
    built = build(builder("hub"), records, today)
    if "hub" in asked:
        out["hub"] = run("hub", built)
    found = [q[0] for q in queries]
    # The oracle's rejected pairs are those the prior weights propose, as the review history's are.
    oracle = own_labels(((q[0], q[1]) for q in queries), built.index) if "hub-oracle" in asked else None
    reviewed: dict[str, Reviewed | None] = {"hub-trained": None, "hub-oracle": oracle}
    if "hub-reviewed" in asked:
        if history is None:
            print("hub-reviewed: no review history for this data set, not evaluated", file=sys.stderr)
        else:
            reviewed["hub-reviewed"] = history()
    for variant in TRAINED:
        if variant not in asked or variant not in reviewed:
            continue
        trained = learned.train(built.index, found, reviewed=reviewed[variant])
        print(f"\n{variant}: trained ({trained['version']}) in {trained['seconds']} s", flush=True)
        out[variant] = {"training": trained, **run(variant, built)}
    return out


def review_history(missing: int, found: int, seed: int) -> Reviewed:
    """Another seed's data of the same size, its found children reviewed (``reviewed.review``)."""
    data = generate(missing, found, seed=review_seed(seed))
    index = build(builder("hub"), data.missing, data.today).index
    started = time.perf_counter()
    history = review(data, index)
    confirmed = sum(1 for ok in history.labels.values() if ok)
    print(f"\nreview history (seed {data.seed}): {confirmed:,} confirmed, {len(history.labels) - confirmed:,} "
          f"rejected pairs in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    return history


def evaluate(data: Dataset, asked: Sequence[str], first: int) -> dict[str, dict[str, Any]]:
    queries: list[tuple[MatchRecord, str | None, dict[str, str]]] = [
        (q.record, q.truth, q.labels()) for q in data.queries
    ]
    history = partial(review_history, len(data.missing), len(data.queries), data.seed)
    result = compare(data.missing, queries, data.today, asked, lambda v, b: _evaluate(queries, v, b, first), history)
    if len(result) > 1:
        columns = {DIAGNOSTIC.get(v, v): r["headline"] for v, r in result.items()}
        print(f"\n{side_by_side(columns)}")
    return result


def _evaluate(queries: Sequence[Sequence[Any]], matcher: str, built: Built, first: int) -> dict[str, Any]:
    print(f"\nindex ({matcher}): {len(built.index):,} cases built in {built.seconds:.1f} s, {_memory(built)}",
          flush=True)  # fmt: skip
    outcomes: list[Outcome] = []
    blocking: list[float] = []
    for record, truth, labels in queries:
        outcome, seconds = run_query(built.index, record, truth, labels, first)
        outcomes.append(outcome)
        blocking.append(seconds)
    overall = summarise(outcomes)
    print(f"\n{table(f'overall ({matcher})', {'all': overall})}")
    breakdowns = {dim: breakdown(outcomes, dim, order) for dim, order in DIMENSIONS.items()}
    for dim, groups in breakdowns.items():
        print(f"\n{table(dim, groups)}")
    print(f"\n{_false_alarms(outcomes)}")
    search = timing([o.search_seconds for o in outcomes])
    print(f"search(first={first}) p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms; "
          f"candidates() p50 {timing(blocking)['p50_ms']} ms")  # fmt: skip
    return {
        "headline": _headline(overall, breakdowns, search, built),
        "index": built.as_json(),
        "overall": overall.as_json(),
        "breakdowns": {dim: {k: s.as_json() for k, s in groups.items()} for dim, groups in breakdowns.items()},
        "search": search,
        "candidates_call": timing(blocking),
    }


def febrl(asked: Sequence[str]) -> dict[str, dict[str, Any]]:
    cases, pairs = load_febrl()
    queries: list[tuple[MatchRecord, str | None, dict[str, str]]] = [(r, truth, {}) for r, truth in pairs]

    def run(matcher: str, built: Built) -> dict[str, Any]:
        outcomes = [run_query(built.index, record, truth, {}, 10)[0] for record, truth, _ in queries]
        summary = summarise(outcomes)
        print(f"\n{table(f'FEBRL 4 ({matcher})', {'4b -> 4a': summary})}")
        return {"index": built.as_json(), "summary": summary.as_json(),
                "search": timing([o.search_seconds for o in outcomes])}  # fmt: skip

    return compare(cases, queries, TODAY, asked, run)


def _headline(overall: Summary, breakdowns: dict[str, dict[str, Summary]], search: dict[str, float], built: Built
) -> dict[str, str]:  # fmt: skip
    """The figures the issue's goals are set on, and the new generator's hard cells, as text."""

    def r10(dim: str, value: str) -> str:
        group = breakdowns.get(dim, {}).get(value)
        return "-" if group is None else f"{group.recall[10]:.3f}"

    def block(value: str) -> str:
        group = breakdowns["name type"].get(value)
        return "-" if group is None else f"{group.blocking_recall:.3f}"

    return {
        "blocking recall": f"{overall.blocking_recall:.3f}",
        "blocking, nickname only / nameless": f"{block('nickname only')} / {block('nameless')}",
        "candidates mean / p95": f"{overall.candidates_mean:,.0f} / {overall.candidates_p95:,.0f}",
        "R@1 / @5 / @10 / @50": " / ".join(f"{overall.recall[k]:.3f}" for k in (1, 5, 10, 50)),
        "R@10 first name known / not": f"{r10('first name', 'known')} / {r10('first name', 'not known')}",
        "MRR": f"{overall.mrr:.3f}",
        "R@10 estimate 18-21 / 0-5 off 2+": f"{r10('age estimate', '18-21')} / "
        f"{r10('age estimate', '0-5, off 2+ years')}",
        "R@10 pet-name decoy yes / no": f"{r10('pet name decoy', 'yes')} / {r10('pet name decoy', 'no')}",
        "LIKELY ok": f"{overall.likely_precision:.3f}",
        "search p50 / p95 ms": f"{search['p50_ms']} / {search['p95_ms']}",
        "build s; memory_bytes": f"{built.seconds:.1f}; {built.memory_bytes / 2**20:,.0f} MiB",
    }


def latency(matcher: str, cases: int, queries: int, seed: int, first: int) -> dict[str, Any]:
    data = generate(cases, queries, seed=seed + 1)
    print(f"\nlatency: generated {cases:,} cases + {queries:,} queries in {data.seconds:.1f} s", flush=True)
    built: Built = build(builder(matcher), data.missing, data.today)
    print(f"index ({matcher}): built in {built.seconds:.1f} s, {_memory(built)}", flush=True)
    outcomes = [run_query(built.index, q.record, q.truth, q.labels(), first)[0] for q in data.queries]
    search = timing([o.search_seconds for o in outcomes])
    summary = summarise(outcomes)
    times = f"p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms, max {search['max_ms']} ms"
    print(f"search(first={first}) over {queries} queries: {times}; blocking recall {summary.blocking_recall:.3f}")
    return {"generation_seconds": round(data.seconds, 2), "index": built.as_json(), "search": search,
            "first": first, "summary": summary.as_json()}  # fmt: skip


def _false_alarms(outcomes: Sequence[Outcome]) -> str:
    """How often a child nobody reported still gets a LIKELY first result, namesakes of reported children apart,
    and how often a reported child's first result is her report, LIKELY (what the false alarms are traded for)."""
    unmatched = [o for o in outcomes if o.truth is None]
    namesakes = [o for o in unmatched if o.labels.get("same-name decoy") == "yes"]
    share = summarise(unmatched).unmatched_likely if unmatched else float("nan")
    hard = summarise(namesakes).unmatched_likely if namesakes else float("nan")
    found = summarise(outcomes).likely_found if outcomes else float("nan")
    return (
        f"unmatched children with a LIKELY first result: {share:.3f} ({len(unmatched)}; namesakes {hard:.3f}); "
        f"matched children whose first result is their report, LIKELY: {found:.3f}"
    )


def _memory(built: Built) -> str:
    rss = "?" if built.rss_growth_bytes is None else f"{built.rss_growth_bytes / 2**20:.0f} MiB"
    return f"memory_bytes {built.memory_bytes / 2**20:.0f} MiB, RSS growth {rss}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--missing", type=int, default=300_000, help="missing reports (default 300,000)")
    parser.add_argument("--found", type=int, default=5_000, help="found/CARE children searched (default 5,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--matcher", choices=VARIANTS, action="append",
                        help="repeat for several; default: every one that can run")  # fmt: skip
    parser.add_argument("--first", type=int, default=50, help="results asked of search() (default 50)")
    parser.add_argument("--febrl", action="store_true", help="also run FEBRL 4 (needs the bench extra)")
    parser.add_argument("--latency", action="store_true", help="also time search() at --latency-cases (in memory)")
    parser.add_argument("--latency-cases", type=int, default=1_000_000)
    parser.add_argument("--latency-queries", type=int, default=500)
    parser.add_argument("--scale", type=int, nargs="+", default=[], metavar="CASES",
                        help="build, write as a snapshot, map in a worker and search, at each size")  # fmt: skip
    parser.add_argument("--scale-queries", type=int, default=300)
    parser.add_argument("--scale-dir", type=Path, default=None, help="where the snapshot is written (default: temp)")
    parser.add_argument("--no-eval", action="store_true", help="skip the labelled evaluation")
    args = parser.parse_args(argv)
    asked = variants(args.matcher)
    payload: dict[str, Any] = {
        "command": command("bench.matching", argv),
        "machine": machine(PACKAGES),
        "settings": {"missing": args.missing, "found": args.found, "seed": args.seed, "matchers": asked,
                     "first": args.first, "today": TODAY.isoformat()},
    }  # fmt: skip
    started = time.perf_counter()
    if not args.no_eval:
        data = generate(args.missing, args.found, seed=args.seed)
        sizes = f"{len(data.missing):,} missing reports + {len(data.queries):,} found children"
        print(f"generated {sizes} in {data.seconds:.1f} s (seed {args.seed})", flush=True)
        payload["generation_seconds"] = round(data.seconds, 2)
        payload["evaluation"] = evaluate(data, asked, args.first)
        del data
        gc.collect()
    if args.febrl:
        payload["febrl"] = febrl(asked)
    hub = "hub" if "hub" in asked or "hub-trained" in asked else "baseline"
    if args.latency:
        payload["latency"] = latency(hub, args.latency_cases, args.latency_queries, args.seed, 10)
    if args.scale:
        if hub != "hub":
            parser.error("--scale needs the hub matcher (the baseline has no snapshot)")
        payload["scale"] = [
            scale.run(cases, args.scale_queries, seed=args.seed + 1, folder=args.scale_dir) for cases in args.scale
        ]
    payload["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nwrote {write_results('matching', payload)}")


if __name__ == "__main__":
    main()
