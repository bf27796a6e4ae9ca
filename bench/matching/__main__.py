"""``python -m bench.matching``: the matcher against labelled synthetic data, FEBRL 4, and a million cases.

    python -m bench.matching                          # 300,000 missing reports, 5,000 found children
    python -m bench.matching --missing 20000 --found 1000 --matcher baseline
    python -m bench.matching --febrl --latency        # also FEBRL 4 and the 1,000,000-case latency run
    python -m bench.matching --no-eval --latency      # only the latency run

See bench/matching/README.md for the noise model and how to read the tables.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Sequence
from typing import Any

from .._common import command, machine, write_results
from .evaluation import Built, build, run_query, timing
from .febrl import load as load_febrl
from .generator import TODAY, generate
from .matchers import MATCHERS, builder, default_matcher, hub_error
from .metrics import Outcome, breakdown, summarise
from .model import Dataset, NameType
from .report import table
from .travel import Distance

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


def evaluate(data: Dataset, matcher: str, first: int) -> dict[str, Any]:
    built = build(builder(matcher), data.missing, data.today)
    print(f"index ({matcher}): {len(built.index):,} cases built in {built.seconds:.1f} s, {_memory(built)}", flush=True)
    outcomes: list[Outcome] = []
    blocking: list[float] = []
    for query in data.queries:
        outcome, seconds = run_query(built.index, query.record, query.truth, query.labels(), first)
        outcomes.append(outcome)
        blocking.append(seconds)
    overall = summarise(outcomes)
    print(f"\n{table('overall', {'all': overall})}")
    breakdowns = {dim: breakdown(outcomes, dim, order) for dim, order in DIMENSIONS.items()}
    for dim, groups in breakdowns.items():
        print(f"\n{table(dim, groups)}")
    print(f"\n{_false_alarms(outcomes)}")
    search = timing([o.search_seconds for o in outcomes])
    print(f"search(first={first}) p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms; "
          f"candidates() p50 {timing(blocking)['p50_ms']} ms")  # fmt: skip
    return {
        "index": built.as_json(),
        "overall": overall.as_json(),
        "breakdowns": {dim: {k: s.as_json() for k, s in groups.items()} for dim, groups in breakdowns.items()},
        "search": search,
        "candidates_call": timing(blocking),
    }


def febrl(matcher: str) -> dict[str, Any]:
    cases, queries = load_febrl()
    built = build(builder(matcher), cases, TODAY)
    outcomes = [run_query(built.index, record, truth, {}, 10)[0] for record, truth in queries]
    summary = summarise(outcomes)
    print(f"\n{table('FEBRL 4', {'4b -> 4a': summary})}")
    return {
        "index": built.as_json(),
        "summary": summary.as_json(),
        "search": timing([o.search_seconds for o in outcomes]),
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
    """How often a child nobody reported still gets a LIKELY first result, namesakes of reported children apart."""
    unmatched = [o for o in outcomes if o.truth is None]
    namesakes = [o for o in unmatched if o.labels.get("same-name decoy") == "yes"]
    share = summarise(unmatched).unmatched_likely if unmatched else float("nan")
    hard = summarise(namesakes).unmatched_likely if namesakes else float("nan")
    return f"unmatched children with a LIKELY first result: {share:.3f} ({len(unmatched)}; namesakes {hard:.3f})"


def _memory(built: Built) -> str:
    rss = "?" if built.rss_growth_bytes is None else f"{built.rss_growth_bytes / 2**20:.0f} MiB"
    return f"memory_bytes {built.memory_bytes / 2**20:.0f} MiB, RSS growth {rss}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--missing", type=int, default=300_000, help="missing reports (default 300,000)")
    parser.add_argument("--found", type=int, default=5_000, help="found/CARE children searched (default 5,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--matcher", choices=MATCHERS, default=None, help="default: hub when importable, else baseline")
    parser.add_argument("--first", type=int, default=50, help="results asked of search() (default 50)")
    parser.add_argument("--febrl", action="store_true", help="also run FEBRL 4 (needs the bench extra)")
    parser.add_argument("--latency", action="store_true", help="also time search() at --latency-cases")
    parser.add_argument("--latency-cases", type=int, default=1_000_000)
    parser.add_argument("--latency-queries", type=int, default=500)
    parser.add_argument("--no-eval", action="store_true", help="skip the labelled evaluation")
    args = parser.parse_args(argv)
    matcher = args.matcher or default_matcher()
    if matcher == "baseline" and args.matcher is None:
        print(f"hub matcher not importable ({hub_error()}): using the baseline", file=sys.stderr)
    payload: dict[str, Any] = {
        "command": command("bench.matching", argv),
        "machine": machine(PACKAGES),
        "settings": {"missing": args.missing, "found": args.found, "seed": args.seed, "matcher": matcher,
                     "first": args.first, "today": TODAY.isoformat()},
    }  # fmt: skip
    started = time.perf_counter()
    if not args.no_eval:
        data = generate(args.missing, args.found, seed=args.seed)
        sizes = f"{len(data.missing):,} missing reports + {len(data.queries):,} found children"
        print(f"generated {sizes} in {data.seconds:.1f} s (seed {args.seed})", flush=True)
        payload["generation_seconds"] = round(data.seconds, 2)
        payload["evaluation"] = evaluate(data, matcher, args.first)
        del data
        gc.collect()
    if args.febrl:
        payload["febrl"] = febrl(matcher)
    if args.latency:
        payload["latency"] = latency(matcher, args.latency_cases, args.latency_queries, args.seed, 10)
    payload["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nwrote {write_results('matching', payload)}")


if __name__ == "__main__":
    main()
