"""The index interface the harness codes against, and the two implementations it can run.

``hub`` is ``trackchild_hub.matching.index.MatchIndex``; ``baseline`` is the stand-in in ``baseline.py``. The hub's
index is imported by name at run time, so the harness runs (with the baseline) while the matcher is still being
written, and ``SearchIndex`` is checked against it structurally once it exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol, runtime_checkable

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.records import Match, MatchRecord

from .baseline import BaselineIndex


@runtime_checkable
class SearchIndex(Protocol):
    def upsert(self, record: MatchRecord) -> None: ...

    def __len__(self) -> int: ...

    def candidates(self, query: MatchRecord, kinds: frozenset[CaseKind]) -> list[str]: ...

    def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int = 10) -> list[Match]: ...

    def memory_bytes(self) -> int: ...


IndexBuilder = Callable[[Iterable[MatchRecord], date], SearchIndex]
MATCHERS = ("hub", "baseline")


def hub_error() -> str | None:
    """Why the hub's index cannot be used (None: it can)."""
    try:
        importlib.import_module("trackchild_hub.matching.index")
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def default_matcher() -> str:
    return "hub" if hub_error() is None else "baseline"


def builder(matcher: str) -> IndexBuilder:
    if matcher == "baseline":
        return lambda records, today: BaselineIndex.build(records, today=today)
    if matcher != "hub":
        raise ValueError(f"unknown matcher {matcher!r}; one of {', '.join(MATCHERS)}")
    error = hub_error()
    if error is not None:
        raise RuntimeError(f"the hub matcher is not importable yet ({error}); run with --matcher baseline")
    module = importlib.import_module("trackchild_hub.matching.index")

    def build(records: Iterable[MatchRecord], today: date) -> SearchIndex:
        index = module.MatchIndex.build(records, today=today)
        if not isinstance(index, SearchIndex):
            raise TypeError("trackchild_hub.matching.index.MatchIndex does not have the interface the harness needs")
        return index

    return build
