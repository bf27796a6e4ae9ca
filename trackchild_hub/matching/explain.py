"""The explanation of one scored pair: a factor per comparison made, its weight exactly as the score counted it, and
what was compared in words. No detail quotes a name, a place or any other identifying value: they say how things
compare (which level, how many years or kilometres apart), never what they are."""

from __future__ import annotations

import math
from collections.abc import Mapping

from . import comparisons as cmp
from .ages import YEAR
from .records import Factor
from .vector_score import Part

ROUTE_NOTED = 0.5  # route bits (``routes.py``) the place factor's detail mentions


def factors(parts: Mapping[str, Part], i: int, *, query_named: bool) -> tuple[Factor, ...]:
    """The factors of row ``i``, in ``COMPARISONS`` order; their weights add up to the row's total."""
    found: list[Factor] = []
    for comparison in cmp.COMPARISONS:
        part = parts[comparison.name]
        level = int(part.levels[i])
        if level == cmp.NULL:
            if comparison.name == "name" and query_named:
                found.append(Factor("name", 0.0, "the candidate has no recorded name"))
            continue
        value = float(part.values[i])
        extra = None if part.extra is None else float(part.extra[i])
        found.append(Factor(comparison.name, float(part.weights[i]), _detail(comparison.name, level, value, extra)))
    return tuple(found)


def _detail(name: str, level: int, value: float, extra: float | None) -> str:
    match name:
        case "name":
            return _name(level, value, sounds=bool(extra))
        case "guardians":
            return (
                f"a parent's name agrees ({value:.2f})",
                "a parent's name sounds alike",
                f"parents' names somewhat similar ({value:.2f})",
                "parents' names differ",
            )[level]
        case "age":
            sd = extra or 0.0
            if level <= 3:
                return f"ages agree within {value:.1f} years (estimates err by about {sd:.1f})"
            return f"ages differ by {value:.1f} years (estimates err by about {sd:.1f})"
        case "gender":
            return ("same gender", "gender differs (a young child: often recorded wrongly)", "gender differs")[level]
        case "place":
            where = "same district" if level == cmp.SAME_DISTRICT else f"{value:.0f} km apart"
            return where + _route(extra or 0.0)
        case "identifyingMarks" | "clothing":
            return f"descriptions {'differ' if level == 2 else 'agree'} ({value:.2f})"
        case "languages":
            return ("a language in common", "no language in common")[level]
        case "height":
            verdict = ("fits growth", "fits growth", "roughly fits", "roughly fits", "does not fit growth")[level]
            return f"height {verdict} (off by {value:.0f} cm)"
        case "dates":
            return _dates(level, value)
    raise ValueError(name)


def _route(bits: float) -> str:
    """What the learned routes (``routes.py``) added, in words: never which states or districts."""
    if bits >= ROUTE_NOTED:
        return "; children found there often come from that state"
    if bits <= -ROUTE_NOTED:
        return "; children found there seldom come from that state"
    return ""


def _name(level: int, similarity: float, *, sounds: bool) -> str:
    how = "sounds alike" if sounds else "exact"
    return (
        f"every word matched the reported name ({how})",
        f"a word matched the reported name ({how})",
        f"matched a recorded pet name ({how})",
        f"name words similar ({similarity:.2f})",
        f"name words somewhat similar ({similarity:.2f})",
        "a pet name with no counterpart on the report",
        "no name word has a counterpart",
    )[level]


def _dates(level: int, days: float) -> str:
    if level in cmp.DATES_LEFT_HOME:
        return f"left home within {days:.0f} days of the report's date"
    if level == cmp.DATES_LEFT_FAR:
        return f"left home {days:.0f} days from the report's date, by the child's account"
    what = "in care" if level in cmp.DATES_CARE else "found"
    if days < 0:
        return f"{what} {-days:.0f} days before the recorded date of going missing"
    if days <= 60:
        return f"{what} {days:.0f} days after going missing"
    if days <= 365:
        return f"{what} {math.floor(days / 30)} months after going missing"
    return f"{what} {days / YEAR:.1f} years after going missing"
