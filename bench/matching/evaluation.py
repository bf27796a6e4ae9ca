"""Run labelled queries through an index: build it (timed, with its memory), then block and search every query."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.records import MatchRecord

from .._common import percentile
from .matchers import IndexBuilder, SearchIndex
from .metrics import Outcome

SEARCHED = frozenset({CaseKind.MISSING})  # found and CARE children are searched against the missing reports


@dataclass(frozen=True, slots=True)
class Built:
    index: SearchIndex
    seconds: float
    memory_bytes: int  # as the index reports it
    rss_growth_bytes: int | None  # resident set growth while building (None: no /proc)

    def as_json(self) -> dict[str, object]:
        return {
            "cases": len(self.index),
            "build_seconds": round(self.seconds, 3),
            "memory_bytes": self.memory_bytes,
            "rss_growth_bytes": self.rss_growth_bytes,
        }


def rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def build(builder: IndexBuilder, records: Sequence[MatchRecord], today: date) -> Built:
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    index = builder(records, today)
    seconds = time.perf_counter() - started
    after = rss_bytes()
    growth = after - before if after is not None and before is not None else None
    return Built(index, seconds, index.memory_bytes(), growth)


def run_query(
    index: SearchIndex, record: MatchRecord, truth: str | None, labels: dict[str, str], first: int
) -> tuple[Outcome, float]:
    """The query's outcome, and the seconds ``candidates`` took (``search`` is timed in the outcome)."""
    started = time.perf_counter()
    candidates = index.candidates(record, SEARCHED)
    blocked = time.perf_counter()
    results = index.search(record, SEARCHED, first=first)
    searched = time.perf_counter()
    rank = next((n for n, match in enumerate(results, 1) if match.case_id == truth), None)
    top = results[0] if results else None
    outcome = Outcome(
        truth=truth,
        in_candidates=truth is not None and truth in candidates,
        candidates=len(candidates),
        rank=rank,
        top_band=top.band.value if top is not None and top.band is not None else None,
        top_is_truth=top is not None and top.case_id == truth,
        search_seconds=searched - blocked,
        labels=labels,
    )
    return outcome, blocked - started


def timing(seconds: Sequence[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50_ms": round(percentile(ordered, 50) * 1000, 2),
        "p95_ms": round(percentile(ordered, 95) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else float("nan"),
    }
