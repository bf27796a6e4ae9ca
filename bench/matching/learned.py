"""The hub's weights learned from the generated data, unsupervised: ``training.train(index, found records)``.

No labels go in: the truth of the generated pairs stays with the harness. ``trackchild_hub.matching.training`` is
imported by name at run time, so the harness runs (prior weights only, with a note) while it is still being written.
"""

from __future__ import annotations

import dataclasses
import importlib
import time
from collections.abc import Sequence
from typing import Any

from trackchild_hub.matching.records import MatchRecord


def training_error() -> str | None:
    """Why trained weights cannot be evaluated (None: they can)."""
    try:
        module = importlib.import_module("trackchild_hub.matching.training")
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    if not callable(getattr(module, "train", None)):
        return "trackchild_hub.matching.training has no train()"
    index = importlib.import_module("trackchild_hub.matching.index")
    if not callable(getattr(index.MatchIndex, "set_weights", None)):
        return "MatchIndex has no set_weights()"
    return None


def train(index: Any, queries: Sequence[MatchRecord], *, seed: int = 0) -> dict[str, Any]:
    """Train on ``index`` and the found ``queries``, then set the weights on ``index``; what came of it, as JSON."""
    module = importlib.import_module("trackchild_hub.matching.training")
    started = time.perf_counter()
    weights, report = module.train(index, list(queries), seed=seed)
    seconds = time.perf_counter() - started
    index.set_weights(weights)
    return {"seconds": round(seconds, 1), "version": weights.version, "weights": weights.to_json(),
            "report": _as_json(report)}  # fmt: skip


def _as_json(report: object) -> object:
    for method in ("to_json", "as_json"):
        if callable(getattr(report, method, None)):
            return getattr(report, method)()
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return repr(report)
