"""The explanation of one scored pair: a factor per comparison made, its weight exactly as the score counted it, and
what was compared in words. No detail quotes a name, a place or any other identifying value: they say how things
compare (which level, how many years or kilometres apart), never what they are. A banded pair's details (``banded.py``:
a candidate outside the caller's jurisdiction) name the level alone, never a measured value."""

from __future__ import annotations

import math
from collections.abc import Mapping

from . import comparisons as cmp
from .ages import YEAR
from .records import Factor
from .vector_score import Part

ROUTE_NOTED = 0.5  # route bits (``routes.py``) the place factor's detail mentions
# A banded pair's levels in words (``comparisons.COMPARISONS``' levels, in order).
AGE_BANDS = (
    "ages agree within half the estimates' error",
    "ages agree within the estimates' error",
    "ages agree within 1.5 times the estimates' error",
    "ages agree within twice the estimates' error",
    "ages differ by 2-2.5 times the estimates' error",
    "ages differ by 2.5-3 times the estimates' error",
    "ages differ by 3-4 times the estimates' error",
    "ages differ by more than 4 times the estimates' error",
)
PLACE_BANDS = (
    "same district",
    "within 50 km",
    "50-150 km apart",
    "150-400 km apart",
    "400-1,000 km apart",
    "over 1,000 km apart",
)
HEIGHT_BANDS = (
    "height fits growth within 4 cm",
    "height fits growth within 8 cm",
    "height roughly fits growth (within 14 cm)",
    "height roughly fits growth (within 20 cm)",
    "height does not fit growth (more than 20 cm off)",
)
DATE_BANDS = (
    "left home within 14 days of the report's date",
    "left home within 60 days of the report's date",
    "found within 14 days of going missing",
    "found within 60 days of going missing",
    "found within a year of going missing",
    "found more than a year after going missing, or dated before it",
    "left home far from the report's date, by the child's account",
    "in care within 60 days of going missing",
    "in care within a year of going missing",
    "in care within 3 years of going missing",
    "in care more than 3 years after going missing, or dated before it",
)

# How usual the child's language is among the reports of a report's state that names none (``spoken.py``).
SPOKEN_BANDS = ((0.5, "most"), (0.1, "some"), (0.0, "few"))


def factors(parts: Mapping[str, Part], i: int, *, query_named: bool, banded: bool = False) -> tuple[Factor, ...]:
    """The factors of row ``i``, in ``COMPARISONS`` order; their weights add up to the row's total. ``banded``: each
    detail names the level only (``banded.py``)."""
    found: list[Factor] = []
    for comparison in cmp.COMPARISONS:
        part = parts[comparison.name]
        level = int(part.levels[i])
        if level == cmp.NULL:
            if comparison.name == "name" and query_named:
                found.append(Factor("name", 0.0, "the candidate has no recorded name"))
            elif comparison.name == "languages" and part.extra is not None and not math.isnan(part.extra[i]):
                detail = _unnamed_language(float(part.extra[i]), banded=banded)
                found.append(Factor("languages", float(part.weights[i]), detail))
            continue
        value = float(part.values[i])
        extra = None if part.extra is None else float(part.extra[i])
        detail = _level(comparison, level, extra) if banded else _detail(comparison.name, level, value, extra)
        found.append(Factor(comparison.name, float(part.weights[i]), detail))
    return tuple(found)


def _detail(name: str, level: int, value: float, extra: float | None) -> str:
    match name:
        case "name":
            return _name(level, value, sounds=bool(extra))
        case "guardians":
            return _guardians(level, value)
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


def _level(comparison: cmp.Comparison, level: int, extra: float | None) -> str:
    """The level in words, with nothing measured: what a banded pair's factor says (``value`` is never read)."""
    match comparison.name:
        case "name":
            return _name(level, None, sounds=bool(extra))
        case "guardians":
            return _guardians(level, None)
        case "age":
            return AGE_BANDS[level]
        case "place":
            return PLACE_BANDS[level] + _route(extra or 0.0)
        case "identifyingMarks" | "clothing":
            return f"descriptions {comparison.levels[level]}"
        case "height":
            return HEIGHT_BANDS[level]
        case "dates":
            return DATE_BANDS[level]
    return _detail(comparison.name, level, math.nan, extra)  # gender, languages: nothing is measured


def _unnamed_language(chance: float, *, banded: bool) -> str:
    """A report naming no language, weighed by how often its state's reports share one with the child
    (``spoken.py``): never which language or state."""
    share = next(words for least, words in SPOKEN_BANDS if chance >= least)
    measured = "" if banded else f" ({chance:.0%})"
    return f"the report names no language; {share} reports from its state share one with the child{measured}"


def _route(bits: float) -> str:
    """What the learned routes (``routes.py``) added, in words: never which states or districts."""
    if bits >= ROUTE_NOTED:
        return "; children found there often come from that state"
    if bits <= -ROUTE_NOTED:
        return "; children found there seldom come from that state"
    return ""


def _name(level: int, similarity: float | None, *, sounds: bool) -> str:
    """``similarity`` None: not quoted (a banded pair)."""
    how = "sounds alike" if sounds else "exact"
    figure = "" if similarity is None else f" ({similarity:.2f})"
    return (
        f"every word matched the reported name ({how})",
        f"a word matched the reported name ({how})",
        f"matched a recorded pet name ({how})",
        f"name words similar{figure}",
        f"name words somewhat similar{figure}",
        "a pet name with no counterpart on the report",
        "no name word has a counterpart",
    )[level]


def _guardians(level: int, similarity: float | None) -> str:
    """``similarity`` None: not quoted (a banded pair)."""
    figure = "" if similarity is None else f" ({similarity:.2f})"
    return (
        f"a parent's name agrees{figure}",
        "a parent's name sounds alike",
        f"parents' names somewhat similar{figure}",
        "parents' names differ",
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
