"""Millions of cases through the production path: the index built, written as the snapshot, mapped by a worker.

``run(cases, queries)`` streams the generator's reports into ``MatchIndex.build`` (the reports are never held as a
list beside the index), writes the index with ``matching/snapshot.py`` as ``MatchService`` does (same headroom for
rows added later), drops it, and maps the file in a fresh process (spawned, as ``serve --workers N`` starts its
workers), which runs every found child through ``candidates`` and ``search``. Reported: generation and build time, the
building process's peak and resident memory and the index's ``memory_bytes``, the write time and file size, the
worker's map time and memory (RSS, PSS, private) after mapping and after the searches, and search p50/p95.
"""

from __future__ import annotations

import gc
import importlib
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from trackchild_hub.services.match_service import SNAPSHOT_DELTA, SNAPSHOT_DELTA_MAX, SNAPSHOT_DELTA_MIN

from .evaluation import rss_bytes, run_query, timing
from .generator import Stream
from .metrics import summarise

IDENTITY = {"bench": "matching-scale"}  # the snapshot is only ever read back by this harness


def run(cases: int, queries: int, *, seed: int, first: int = 10, folder: Path | None = None) -> dict[str, Any]:
    """Build, write and map ``cases`` cases and search ``queries`` found children in the mapping worker."""
    with tempfile.TemporaryDirectory(prefix="bench-matching-", dir=folder) as temporary:
        return _run(cases, queries, seed, first, Path(temporary))


def _run(cases: int, queries: int, seed: int, first: int, folder: Path) -> dict[str, Any]:
    index_module = importlib.import_module("trackchild_hub.matching.index")
    snapshot = importlib.import_module("trackchild_hub.matching.snapshot")
    stream = Stream(cases, queries, seed=seed)
    gc.collect()
    before = rss_bytes()
    enabled = gc.isenabled()
    gc.disable()  # millions of acyclic records: the cyclic collector would only rescan them
    try:
        started = time.perf_counter()
        index = index_module.MatchIndex.build(stream.reports(), today=stream.today)
        total = time.perf_counter() - started
        found = stream.queries()
    finally:
        if enabled:
            gc.enable()
    built = {
        "cases": len(index),
        "generation_seconds": round(stream.seconds, 1),
        "build_seconds": round(total - stream.seconds, 1),  # the stream's own time taken out
        "memory_bytes": index.memory_bytes(),
        "rss_bytes": rss_bytes(),
        "rss_growth_bytes": _minus(rss_bytes(), before),
    }
    print(f"scale {cases:,}: generated in {built['generation_seconds']} s, built in {built['build_seconds']} s, "
          f"memory_bytes {_mib(built['memory_bytes'])}, RSS {_mib(built['rss_bytes'])}", flush=True)  # fmt: skip
    files = snapshot.SnapshotFile(folder)
    started = time.perf_counter()
    files.write(index, IDENTITY, {"bench": cases}, _headroom(len(index)))
    written = {"write_seconds": round(time.perf_counter() - started, 1), "file_bytes": files.path.stat().st_size}
    written["peak_rss_bytes"] = peak_rss_bytes()  # the building process's high-water mark, the write included
    print(f"snapshot written in {written['write_seconds']} s: {_mib(written['file_bytes'])}, "
          f"peak RSS of the build {_mib(written['peak_rss_bytes'])}", flush=True)  # fmt: skip
    del index
    gc.collect()
    pairs = [(q.record, q.truth, q.labels()) for q in found]
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        worker = pool.submit(search_mapped, str(folder), pairs, first).result()
    outcomes = worker.pop("outcomes")
    summary = summarise(outcomes)
    search = timing([o.search_seconds for o in outcomes])
    print(f"worker: mapped in {worker['map_seconds']} s, RSS {_mib(worker['mapped']['rss_bytes'])} "
          f"(private {_mib(worker['mapped']['private_bytes'])}), after searching RSS "
          f"{_mib(worker['searched']['rss_bytes'])}; search(first={first}) over {len(outcomes)} queries: "
          f"p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms, max {search['max_ms']} ms; "
          f"blocking recall {summary.blocking_recall:.3f}, R@10 {summary.recall[10]:.3f}", flush=True)  # fmt: skip
    return {"cases": cases, "queries": len(outcomes), "first": first, "built": built, "snapshot": written,
            "worker": worker, "search": search, "summary": summary.as_json()}  # fmt: skip


def search_mapped(folder: str, pairs: list[tuple[Any, str | None, dict[str, str]]], first: int) -> dict[str, Any]:
    """In the worker: map the snapshot, then run every query (the index's memory measured after each step)."""
    snapshot = importlib.import_module("trackchild_hub.matching.snapshot")
    started = time.perf_counter()
    loaded = snapshot.SnapshotFile(Path(folder)).load(IDENTITY)
    seconds = time.perf_counter() - started
    mapped = {**memory(), "memory_bytes": loaded.index.memory_bytes()}
    outcomes = [run_query(loaded.index, record, truth, labels, first)[0] for record, truth, labels in pairs]
    return {"map_seconds": round(seconds, 2), "mapped": mapped, "searched": memory(), "outcomes": outcomes}


def memory() -> dict[str, int]:
    """This process's RSS, PSS (shared pages split among the processes mapping them) and private bytes."""
    fields: dict[str, int] = {}
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                fields[name] = int(rest.split()[0]) * 1024
    except OSError:
        return {}
    return {"rss_bytes": fields.get("Rss", 0), "pss_bytes": fields.get("Pss", 0),
            "private_bytes": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}  # fmt: skip


def peak_rss_bytes() -> int | None:
    """The process's resident high-water mark (VmHWM)."""
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _headroom(rows: int) -> int:
    """As ``MatchService`` writes it: room for the rows added before the snapshot is rewritten, and 1,024 more."""
    return min(SNAPSHOT_DELTA_MAX, max(SNAPSHOT_DELTA_MIN, int(SNAPSHOT_DELTA * rows))) + 1024


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _mib(value: object) -> str:
    return f"{value / 2**20:,.0f} MiB" if isinstance(value, int) else "?"
