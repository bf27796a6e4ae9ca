"""Plain-text tables of summaries, one row per group."""

from __future__ import annotations

import math

from .metrics import KS, Summary

_HEAD = ("queries", "matched", "block", "cand", "p50", "p95", *(f"R@{k}" for k in KS), "MRR", "LIKELY ok")


def _f(value: float, digits: int = 3) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _row(summary: Summary) -> tuple[str, ...]:
    return (
        str(summary.queries),
        str(summary.matched),
        _f(summary.blocking_recall),
        _f(summary.candidates_mean, 0),
        _f(summary.candidates_p50, 0),
        _f(summary.candidates_p95, 0),
        *(_f(summary.recall[k]) for k in KS),
        _f(summary.mrr),
        _f(summary.likely_precision),
    )


def table(title: str, groups: dict[str, Summary]) -> str:
    """``title`` as the first column's heading, a row per group; "block" is blocking recall, "cand" the mean
    candidates per query, "LIKELY ok" the share of LIKELY first results that are the true case."""
    rows = [(name, *_row(summary)) for name, summary in groups.items()]
    head = (title, *_HEAD)
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
    return "\n".join(lines)


def side_by_side(columns: dict[str, dict[str, str]]) -> str:
    """One row per figure, one column per matcher (the figures as already formatted)."""
    names = list(columns)
    figures = list(next(iter(columns.values())))
    rows = [(figure, *(columns[n].get(figure, "-") for n in names)) for figure in figures]
    head = ("figure", *names)
    widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(lines)
