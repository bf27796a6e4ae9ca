"""``python -m bench.matching.kept``: search timing on a kept snapshot, to compare code on the very same index.

The scale run (``scale.py``) builds its index anew each time, minutes at 5,000,000 cases. Here the index is built and
written once (``build``), with the found children's queries beside it; ``search`` maps it and times every query, as
often as wanted. To compare two versions of the matcher, run ``search`` from each checkout in turn (``PYTHONPATH``
set to the checkout) on the same folder. It prints p50 / p95 / max, the slowest queries' times and how many name
comparisons each made (no names: an index into the query list), and writes the top results to compare the versions'
answers.

    python -m bench.matching.kept build FOLDER --cases 5000000 --queries 400 [--seed 1]
    python -m bench.matching.kept train FOLDER  # weights.json beside it, learned from its queries (no truth)
    python -m bench.matching.kept search FOLDER [--results FILE] [--weights FOLDER/weights.json]

``--weights`` searches with trained weights (their routes and bounds) instead of the priors, as a hub that has run
``match train`` does.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trackchild_hub.matching import snapshot
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.matching.scoring import kinds_against

from .compared import comparing
from .evaluation import timing
from .generator import Stream
from .scale import IDENTITY, _headroom

QUERIES = "queries.pickle"  # written by this harness only, read back by it
WEIGHTS = "weights.json"


def build(folder: Path, cases: int, queries: int, seed: int) -> None:
    """Build ``cases`` cases, write the snapshot and the found children's records into ``folder``."""
    from trackchild_hub.matching.index import MatchIndex

    folder.mkdir(parents=True, exist_ok=True)
    stream = Stream(cases, queries, seed=seed)
    gc.disable()  # millions of acyclic records
    started = time.perf_counter()
    index = MatchIndex.build(stream.reports(), today=stream.today)
    found = [(q.record, q.truth) for q in stream.queries()]
    snapshot.SnapshotFile(folder).write(index, IDENTITY, {"bench": cases}, _headroom(len(index)))
    (folder / QUERIES).write_bytes(pickle.dumps(found))
    print(f"built {len(index):,} cases and {len(found)} queries in {time.perf_counter() - started:.1f} s: {folder}")


def train(folder: Path) -> None:
    """Learn weights from the kept queries against the mapped snapshot (``training.train``: no truth), written to
    ``folder / WEIGHTS``."""
    from trackchild_hub.matching.training import train as learn

    index = snapshot.SnapshotFile(folder).load(IDENTITY).index
    found: list[tuple[MatchRecord, str | None]] = pickle.loads((folder / QUERIES).read_bytes())
    started = time.perf_counter()
    weights, report = learn(index, [record for record, _ in found])
    (folder / WEIGHTS).write_text(json.dumps(weights.to_json()))
    routes = len(weights.routes.districts) + len(weights.routes.states)
    print(f"trained on {report.queries} queries in {time.perf_counter() - started:.1f} s ({routes} route places)")


def search(folder: Path, results: Path | None = None, warm: int = 20, weights: Path | None = None) -> dict[str, Any]:
    """Map the snapshot and time every query (after ``warm`` untimed ones), with the priors or the ``weights``
    (a JSON file ``train`` wrote); the figures printed and returned."""
    from trackchild_hub.matching.weights import Weights

    index = snapshot.SnapshotFile(folder).load(IDENTITY).index
    if weights is not None:
        index.set_weights(Weights.from_json(json.loads(weights.read_text())))
    found: list[tuple[MatchRecord, str | None]] = pickle.loads((folder / QUERIES).read_bytes())
    index.layout()
    for record, _ in found[:warm]:
        index.search(record, frozenset(kinds_against(record)), 10)
    seconds, names, tops, hits = [], [], [], 0
    with comparing("name") as compared:
        for record, truth in found:
            before = compared.rows
            started = time.perf_counter()
            matches = index.search(record, frozenset(kinds_against(record)), 10)
            seconds.append(time.perf_counter() - started)
            names.append(compared.rows - before)
            tops.append([m.case_id for m in matches])
            hits += any(m.case_id == truth for m in matches)
    figures = {**timing(seconds), "queries": len(found), "names_compared_mean": sum(names) / max(1, len(names)),
               "found_in_10": hits}  # fmt: skip
    print(
        f"{len(found)} queries: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms; "
        f"names compared per query {figures['names_compared_mean']:.0f}; true report in the first 10: {hits}"
    )
    for i in sorted(range(len(found)), key=lambda i: -seconds[i])[:8]:
        print(f"  query {i}: {seconds[i] * 1000:.0f} ms, {names[i]} names compared")
    if results is not None:
        results.write_text(json.dumps(tops))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching.kept", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("build")
    made.add_argument("folder", type=Path)
    made.add_argument("--cases", type=int, required=True)
    made.add_argument("--queries", type=int, default=400)
    made.add_argument("--seed", type=int, default=1)
    learned = commands.add_parser("train")
    learned.add_argument("folder", type=Path)
    timed = commands.add_parser("search")
    timed.add_argument("folder", type=Path)
    timed.add_argument("--results", type=Path)
    timed.add_argument("--weights", type=Path, help="trained weights (JSON, as `train` writes them)")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.folder, args.cases, args.queries, args.seed)
    elif args.command == "train":
        train(args.folder)
    else:
        search(args.folder, args.results, weights=args.weights)


if __name__ == "__main__":
    main()
