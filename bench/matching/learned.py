"""The hub's weights learned from the generated data: ``training.train(index, found records)``.

``hub-trained`` is unsupervised: no labels go in, the truth of the generated pairs stays with the harness.
``hub-reviewed`` adds reviewed pairs from another seed's data (``reviewed.py``), as a hub with a review history
learns; the diagnostic ``hub-oracle`` the evaluated data's own labels. ``trackchild_hub.matching.training`` is
imported by name at run time, so the harness runs (prior weights only, with a note) while it is still being written.
"""

from __future__ import annotations

import dataclasses
import importlib
import time
from collections.abc import Sequence
from typing import Any

from trackchild_hub.matching.records import MatchRecord

from .reviewed import Reviewed


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


def train(
    index: Any, queries: Sequence[MatchRecord], *, seed: int = 0, reviewed: Reviewed | None = None
) -> dict[str, Any]:
    """Train on ``index`` and the found ``queries``, then set the weights on ``index``; what came of it, as JSON.
    ``reviewed``: labels (and the closed cases' records) to learn from too, as ``match train`` does in a hub with a
    review history. Training starts from the prior weights in use, whatever another variant left on ``index``: the
    candidates it learns from are those the weights in use rank best."""
    module = importlib.import_module("trackchild_hub.matching.training")
    weights_module = importlib.import_module("trackchild_hub.matching.weights")
    index.set_weights(weights_module.PRIOR)
    labels = {} if reviewed is None else {"labels": dict(reviewed.labels), "records": dict(reviewed.records)}
    started = time.perf_counter()
    weights, report = module.train(index, list(queries), seed=seed, **labels)
    seconds = time.perf_counter() - started
    index.set_weights(weights)
    out = {"seconds": round(seconds, 1), "version": weights.version, "weights": weights.to_json(),
           "report": _as_json(report)}  # fmt: skip
    if reviewed is not None:
        confirmed = sum(1 for ok in reviewed.labels.values() if ok)
        out["reviewed"] = {"seed": reviewed.seed, "confirmed": confirmed, "rejected": len(reviewed.labels) - confirmed}
    return out


def _as_json(report: object) -> object:
    for method in ("to_json", "as_json"):
        if callable(getattr(report, method, None)):
            return getattr(report, method)()
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return dataclasses.asdict(report)
    return repr(report)
