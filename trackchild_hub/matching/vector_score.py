"""The score of one query against many candidates at once: each comparison's level and weight for every row.

One model serves the whole search: the levels and weights computed here rank the candidates, make the explanations
(``explain.py``) and are what training counts (``pair_levels``). Numeric comparisons (age, gender, place, languages,
height, dates) read the index's columns; text comparisons (names, parents' names, marks, clothing) compare the
query's words with the candidates' in bulk (rapidfuzz ``cdist`` over the candidates' words flattened). ``text_bound``
is the most the text comparisons could add to a row, which lets the search skip comparing texts it can prove cannot
change the result (``ranking.py``).

Age, distance and the time to being found fall into levels for training but weigh smoothly: the weight is
interpolated between adjacent levels' weights by the measured value, so a year more or a kilometre further never
drops a pair off a cliff. A name or parent's name that agrees weighs by how common the agreeing words are (Splink's
term-frequency adjustment: ``log2(m / share of cases holding the words)``), never counting against a pair;
identifying marks that agree or are similar weigh by the rarest word they share, never less than their level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind, Gender
from . import comparisons as cmp
from .ages import YEAR
from .height_growth import grown_cm, grown_from_births
from .places import km_from
from .probe import NameWords, Probe
from .row_values import GENDERS, HAS_CLOTHING, HAS_GUARDIAN, HAS_MARKS, HAS_NAME, KINDS, UNKNOWN
from .spoken import at_states
from .spoken import share as spoken_share
from .spoken import weight as spoken_weight
from .text_levels import guardian_levels, name_levels, rarest_shared, similarity_levels
from .weights import Weights

if TYPE_CHECKING:
    from .index import MatchIndex
    from .records import MatchRecord

Reached = Mapping[str, NDArray[np.bool_]]  # per skeleton of the query's words, whether its key reached each row

AGE_CENTRES = (0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.5, 4.5)  # sd: where each level's weight holds exactly
AGE_SD_REFERENCE_YEARS = 1.65  # the combined sd the age levels' u stand for: a found child's estimate vs a report
AGE_SCALE_FLOOR = 0.05  # the most precise pair counts as 20 times rarer by chance, no more
AGE_CLOSE_SHARE = (1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0, 0.0)  # how much of that applies at each level's centre
PLACE_CENTRES_KM = (25.0, 100.0, 275.0, 700.0, 1500.0)  # of the distance levels after "same district"
DATES_CENTRES_DAYS = (5.0, 30.0, 180.0, 900.0)  # of the levels found within 2 weeks, 60 days, a year, later
FOUND_EDGES_DAYS = (14.0, 60.0, 365.0)  # the upper edges of the levels found within 2 weeks, 60 days, a year
CARE_CENTRES_DAYS = (30.0, 200.0, 700.0, 1800.0)  # of the levels in care within 60 days, a year, 3 years, later
CARE_EDGES_DAYS = (60.0, 365.0, 1095.0)
LEFT_CENTRES_DAYS = (5.0, 35.0)  # of the levels left home within 2 weeks, within 60 days of the report's date
NUMERIC = ("age", "gender", "place", "languages", "height", "dates")
TEXT = ("name", "guardians", "identifyingMarks", "clothing")
DESCRIPTIONS_AGREE, DESCRIPTIONS_SIMILAR = 0, 1  # the levels of marks (and clothing) that agree, that are similar
# Marks that agree or are similar weigh by the rarest word they share (``text_levels.rarest_shared``), never less
# than the level's own weight: a common mark (a mole on the left cheek) weighs as the level does, a rare one (a
# tattoo's text) more.
MARKS_TF_LEVELS = (DESCRIPTIONS_AGREE, DESCRIPTIONS_SIMILAR)


@dataclass(frozen=True, slots=True)
class Part:
    """One comparison over the rows: level (-1: not compared), weight (rounded to 0.01, as explained) and the
    measured value the explanation quotes (years, km, cm, days, similarity; NaN when none)."""

    levels: NDArray[np.int8]
    weights: NDArray[np.float64]
    values: NDArray[np.float64]
    extra: NDArray[np.float64] | None = None  # age: the sd in years; names: 1 where a word only sounds alike;
    # place: the route's bits (``routes.py``) within the weight; languages: where the report names none, the chance
    # it would have named one in common (``spoken.py``), else NaN


Parts = dict[str, Part]


def total(parts: Mapping[str, Part], n: int) -> NDArray[np.float64]:
    """The sum of the parts' weights, in ``COMPARISONS`` order (the explanation adds them in the same order),
    rounded as each weight is (``rounded``): the same total however the parts were added up (``plus``)."""
    result = np.zeros(n, dtype=np.float64)
    for c in cmp.COMPARISONS:
        if c.name in parts:
            result += parts[c.name].weights
    return rounded(result)


def plus(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Two totals of parts added, rounded as ``total`` rounds: a search adding a row's numeric and text totals
    gets the very total full scoring gets, so a tie at the ``k``-th score keeps the same rows either way."""
    return rounded(a + b)


def numeric(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Parts:
    return {
        "age": _age(probe, cols, weights),
        "gender": _gender(probe, cols, weights),
        "place": _place(probe, cols, weights),
        "languages": _languages(probe, cols, weights),
        "height": _height(probe, cols, weights),
        "dates": _dates(probe, cols, weights),
    }


# Text comparisons that cost a fraction of the names' and whose bound is loose (parents' names agreeing by similarity
# weigh more than any sound shared): the search compares them first to tighten a row's bound (``ranking.top_scored``).
CHEAP = ("guardians",)


def text(
    probe: Probe,
    texts: Callable[[str], list[str]],
    events: NDArray[np.int32],
    weights: Weights,
    only: tuple[str, ...] = TEXT,
) -> Parts:
    """The text comparisons (``only`` those) for the rows whose event days are ``events``; ``texts(column)`` gives
    a text column's values at those rows (read only for the comparisons the query can make)."""
    n = len(events)
    q = probe.features
    empty = [""] * n

    def read(column: str, needed: object) -> list[str]:
        return texts(column) if needed else empty

    named, parents = bool(probe.name.tokens), bool(probe.guardians.tokens)
    parts: Parts = {}
    if "name" in only:
        levels, values, sounds, log2_u = name_levels(probe, read("name", named), read("alias", named))
        parts["name"] = _tf_part("name", cmp.NAME_TF_LEVELS, levels, values, log2_u, probe, weights, sounds)
    if "guardians" in only:
        levels, values, log2_u = guardian_levels(probe, read("guardian", parents), read("guardian_skeleton", parents))
        parts["guardians"] = _tf_part("guardians", cmp.GUARDIAN_TF_LEVELS, levels, values, log2_u, probe, weights)
    if "identifyingMarks" in only:
        marks = read("marks", q.marks_text)
        levels, values = similarity_levels(q.marks_text, marks, cmp.MARKS_EDGES)
        log2_u = rarest_shared(probe.marks, probe.marks_log2_share, marks, np.isin(levels, MARKS_TF_LEVELS))
        parts["identifyingMarks"] = _tf_part(
            "identifyingMarks", MARKS_TF_LEVELS, levels, values, log2_u, probe, weights, at_least_plain=True
        )
    if "clothing" in only:
        levels, values = similarity_levels(q.clothing_text, read("clothing", q.clothing_text), cmp.CLOTHING_EDGES)
        worn = clothes_worn(q.event_day, events)
        parts["clothing"] = _plain("clothing", np.where(worn, levels, cmp.NULL).astype(np.int8), values, weights)
    return parts


def clothes_worn(event_day: int | None, events: NDArray[np.int32]) -> NDArray[np.bool_]:
    """Rows whose clothing is compared with the query's: clothes are changed, so only records at most
    ``CLOTHES_DAYS`` apart tell anything by them (an unknown date: never)."""
    if event_day is None:
        return np.zeros(len(events), dtype=bool)
    worn: NDArray[np.bool_] = (events != UNKNOWN) & (np.abs(events - np.int32(event_day)) <= cmp.CLOTHES_DAYS)
    return worn


def text_bound(
    probe: Probe,
    has: NDArray[np.int8],
    name_reached: Reached,
    guardian_reached: Reached,
    weights: Weights,
    marks_most: NDArray[np.float64] | None = None,
    *,
    worn: NDArray[np.bool_] | None = None,
    leave_out: tuple[str, ...] = (),
) -> NDArray[np.float64]:
    """At least what ``text`` adds to each row (rounded as it rounds), from what is known without comparing texts:
    which texts the row holds, which of the query's name and parents' name keys reached it (``*_reached``: per
    skeleton, whether its key reached each row; a keyed word can agree only with a row its key reached, so a row
    reached by a common word alone is bounded by that word's weight, not by every word's), the most each row's
    marks can weigh by the rare words it holds (``rare_marks``; -inf where none: the levels' own weights), and
    which rows' clothing is compared at all (``worn``: ``clothes_worn``). Without ``marks_most``, every row may hold
    the query's rarest mark word; without ``worn``, every row's clothing may be compared. ``leave_out``: comparisons
    left out of the bound (the caller adds their weights, compared)."""
    q = probe.features
    bound = np.zeros(len(has), dtype=np.float64)
    if (q.tokens or q.alias_tokens) and "name" not in leave_out:
        plain = _max_plain(weights, "name", cmp.NAME_TF_LEVELS)
        tf = _max_tf_rows(weights, "name", cmp.NAME_TF_LEVELS, probe, _least_share(probe.name, name_reached, len(has)))
        bound += np.round(((has & HAS_NAME) != 0) * np.maximum(plain, tf), 2)
    if q.guardian_tokens and "guardians" not in leave_out:
        plain = max(
            weights.weight("guardians", cmp.GUARDIAN_AGREE), _max_plain(weights, "guardians", cmp.GUARDIAN_TF_LEVELS)
        )
        least = _least_share(probe.guardians, guardian_reached, len(has))
        tf = _max_tf_rows(weights, "guardians", cmp.GUARDIAN_TF_LEVELS, probe, least)
        bound += np.round(((has & HAS_GUARDIAN) != 0) * np.maximum(plain, tf), 2)
    for name, query, bit in (
        ("identifyingMarks", q.marks_text, HAS_MARKS),
        ("clothing", q.clothing_text, HAS_CLOTHING),
    ):
        if query and name not in leave_out:
            most: float | NDArray[np.float64] = max(0.0, float(weights.table(name)[:-1].max()))
            if name == "identifyingMarks" and marks_most is not None:
                most = np.maximum(most, marks_most)
            elif name == "identifyingMarks":  # the rarest word a candidate could share
                most = max(most, max((m for _, m in rare_marks(probe, weights)), default=0.0))
            held = (has & bit) != 0
            if name == "clothing" and worn is not None:
                held &= worn
            bound += np.round(held * most, 2)
    # Each comparison's weight is rounded to 0.01, and so is each bound here (a bound's rounding is at least the
    # weight's), with 0.01 more for float sums. Rounding the sum instead fell short where two parts both rounded up.
    return bound + 0.01


def rare_marks(probe: Probe, weights: Weights) -> list[tuple[str, float]]:
    """The query's mark words rare enough that sharing one can weigh more than the marks' levels do, each with the
    most it can weigh: only rows holding one of them need a bound above the levels' (``text_bound``)."""
    plain = max(0.0, float(weights.table("identifyingMarks")[:-1].max()))
    found = []
    for word, log2_share in zip(probe.marks, probe.marks_log2_share.tolist(), strict=True):
        most = _max_tf(weights, "identifyingMarks", MARKS_TF_LEVELS, probe, log2_share)
        if most > plain:
            found.append((word, most))
    return found


def pair_levels(index: MatchIndex, query: MatchRecord, rows: NDArray[np.int64]) -> dict[str, NDArray[np.int8]]:
    """The level of each comparison for each candidate row: what training (EM) counts."""
    parts = index.parts(query, rows)
    return {c.name: parts[c.name].levels for c in cmp.COMPARISONS}


# -- numeric comparisons ---------------------------------------------------------------------------------------------


def _age(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    q = probe.features
    births = cols["birth"]
    known = (births != UNKNOWN) & (q.birth_day is not None)
    sd = np.sqrt(cols["sd"].astype(np.float32) ** 2 + np.float32(q.birth_sd_days) ** 2)
    gap = np.abs(births - np.int32(q.birth_day or 0)).astype(np.float32)  # unknown births wrap: masked below
    z = gap / np.maximum(sd, np.float32(1.0))
    levels = np.where(known, np.searchsorted(cmp.AGE_Z_EDGES, z, side="left"), cmp.NULL).astype(np.int8)
    table = weights.table("age")[:-1]
    smooth = np.interp(z, AGE_CENTRES, table)
    # Agreeing closely is rarer by chance the more precise the two ages are: ``u`` of the close levels was measured at
    # the usual precision (an estimate against a family's figure) and shrinks in proportion to the sd (two recorded
    # dates of birth agreeing say far more than two estimates), fully within half a sd, tapering off by 2.75 sd. Never
    # widened (less precise pairs keep the measured ``u``); the levels further off keep theirs: a typed date of birth
    # can be wrong by years.
    scale = np.clip(sd / np.float32(AGE_SD_REFERENCE_YEARS * YEAR), AGE_SCALE_FLOOR, 1.0).astype(np.float64)
    close = np.interp(z, AGE_CENTRES, AGE_CLOSE_SHARE)
    smooth = smooth - np.log2(scale) * close
    return Part(levels, rounded(np.where(known, smooth, 0.0)), np.where(known, gap / YEAR, np.nan), sd / YEAR)


def _gender(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    genders = cols["gender"]
    unknown = GENDERS[Gender.UNKNOWN]
    if probe.gender == unknown:
        levels = np.full(len(genders), cmp.NULL, dtype=np.int8)
    else:
        young = cols["young"].astype(bool) | probe.young
        differs = np.where(young, cmp.GENDER_DIFFERS_YOUNG, cmp.GENDER_DIFFERS)
        levels = np.where(genders == unknown, cmp.NULL, np.where(genders == probe.gender, cmp.GENDER_SAME, differs))
    return _plain("gender", levels.astype(np.int8), np.full(len(genders), np.nan), weights)


def _place(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    same = (cols["district"] == probe.district) & (probe.district != -1)
    km = km_from(probe.lat, probe.lon, cols["lat"], cols["lon"])
    known = ~np.isnan(km)
    far = 1 + np.searchsorted(cmp.PLACE_KM_EDGES, np.where(known, km, 0.0), side="left")
    levels = np.where(same, cmp.SAME_DISTRICT, np.where(known, far, cmp.NULL)).astype(np.int8)
    table = weights.table("place")
    smooth = place_bits(np.where(known, km, 0.0), table)
    weight = np.where(same, table[cmp.SAME_DISTRICT], np.where(known, smooth, 0.0))
    route = None
    if probe.route is not None:  # where the place was compared (the explanation says both)
        route = np.where(known | same, route_bits(probe, cols[probe.route_by]), 0.0)
        weight = weight + route
    return Part(levels, rounded(weight), np.where(same, 0.0, km), route)


def place_bits(km: NDArray[Any], table: NDArray[np.float64]) -> NDArray[np.float64]:
    """The distance levels' weights (``table``: ``Weights.table("place")``) interpolated at ``km`` on a log scale."""
    smooth: NDArray[np.float64] = np.interp(np.log1p(km), np.log1p(np.array(PLACE_CENTRES_KM)), table[1:-1])
    return smooth


def route_bits(probe: Probe, places: NDArray[Any]) -> NDArray[np.float64]:
    """The probe's route bits for rows whose place numbers (``probe.route_by``) are ``places``: 0 for a place the
    routes were not read for (unknown, not held, or added since)."""
    route = probe.route
    assert route is not None
    n = len(route)
    held = (places >= 0) & (places < n)
    bits: NDArray[np.float64] = np.where(held, route[np.where(held, places, 0)], 0.0)
    return bits


def _languages(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    """A language in common or none; where the report names none and the child some, both weighed by how often the
    report's state's reports share one with her (``spoken.py``: not a level, ``extra`` holds that chance)."""
    spoken = cols["langs"]
    n = len(spoken)
    reports = cols["kind"] == KINDS[CaseKind.MISSING]
    chance = np.full(n, np.nan)
    if probe.languages == 0:
        levels = np.full(n, cmp.NULL, dtype=np.int8)
        if probe.home_languages is not None:  # the query is a report naming none
            told = (spoken != 0) & ~reports
            chance[told] = spoken_share(*probe.home_languages, spoken[told])
    else:
        common = (spoken & max(probe.languages, 0)) != 0
        levels = np.where(spoken == 0, cmp.NULL, np.where(common, 0, 1)).astype(np.int8)
        if probe.language_share is not None:  # the query is a child naming some
            unnamed = (spoken == 0) & reports
            chance[unnamed] = at_states(probe.language_share, cols["state"][unnamed])
    table = weights.table("languages")
    imputed = ~np.isnan(chance)
    weight = np.where(imputed, spoken_weight(np.nan_to_num(chance), table), table[levels])
    return Part(levels, rounded(weight), np.full(n, np.nan), chance)


def _height(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    heights, events = cols["height"], cols["event"]
    q = probe.features
    if probe.height <= 0 or q.event_day is None:
        return _plain("height", np.full(len(heights), cmp.NULL, dtype=np.int8), np.full(len(heights), np.nan), weights)
    at = np.flatnonzero((heights > 0) & (events != UNKNOWN))  # only rows with a height are grown (half the rows)
    # Grown along the growth chart in the time apart (``height_growth``): from the report's age where the query is a
    # found child and the report has one, else from the query's own.
    days = (events[at] - np.int32(q.event_day)).astype(np.float64)  # > 0: the candidate seen later
    gender = probe.record.gender
    grown = grown_cm(probe.height, q.birth_day, q.event_day, gender, days)
    if probe.record.kind is not CaseKind.MISSING:
        births = cols["birth"][at]
        by_report = grown_from_births(probe.height, q.event_day, gender, births.astype(np.float64), days)
        grown = np.where(births != UNKNOWN, by_report, grown)
    gap = np.full(len(heights), np.nan)
    gap[at] = np.abs(heights[at].astype(np.float64) - probe.height - grown)
    levels = np.full(len(heights), cmp.NULL, dtype=np.int8)
    levels[at] = np.searchsorted(cmp.HEIGHT_CM_EDGES, gap[at], side="left")
    return _plain("height", levels, gap, weights)


def _dates(probe: Probe, cols: Mapping[str, NDArray[Any]], weights: Weights) -> Part:
    """Most children are found soon after they go missing, and taken into care later (``comparisons``: the
    ``DATES_CARE`` levels); a found child's own account of when they left counts, for the pair when it is near the
    report's date, against it when far (``comparisons.LEFT_FAR_DAYS``)."""
    events = cols["event"]
    q = probe.features
    q_event = np.int32(UNKNOWN if q.event_day is None else q.event_day)
    if probe.record.kind is CaseKind.MISSING:
        missing, other, since = np.full(len(events), q_event), events, cols["since"]
        care = cols["kind"] == KINDS[CaseKind.CARE]
    else:
        missing, other = events, np.full(len(events), q_event)
        since = np.full(len(events), UNKNOWN if q.since_day is None else q.since_day, dtype=np.int32)
        care = np.full(len(events), probe.record.kind is CaseKind.CARE)
    days = other - missing
    # A child found before going missing (beyond the slack blocking allows) is no pair: not compared, so training's
    # random pairs count only pairs a search could score.
    known = (missing != UNKNOWN) & (other != UNKNOWN) & (days >= -cmp.DATE_SLACK_DAYS)
    apart = np.abs(since - missing)
    left = (since != UNKNOWN) & (apart <= 60)
    far = (since != UNKNOWN) & (apart > np.maximum(60.0, cmp.LEFT_FAR_DAYS + cmp.LEFT_FAR_SHARE * np.maximum(days, 0)))
    # Found before the recorded date of going missing (within the slack): no sign of a quick find, with "later".
    delay = _by_kind(
        care,
        lambda: _delay_levels(days, cmp.DATES_CARE, CARE_EDGES_DAYS),
        lambda: _delay_levels(days, cmp.DATES_FOUND, FOUND_EDGES_DAYS),
    )
    left_level = np.where(apart <= 14, cmp.DATES_LEFT_14_DAYS, cmp.DATES_LEFT_60_DAYS)
    levels = np.where(known, np.where(left, left_level, np.where(far, cmp.DATES_LEFT_FAR, delay)), cmp.NULL)
    values = np.where(left | far, apart, days).astype(np.float64)  # negative: found before going missing
    table = weights.table("dates")
    elapsed = np.log1p(np.maximum(values, 0))
    smooth = _by_kind(
        care,
        lambda: _smooth_delay(elapsed, values, CARE_CENTRES_DAYS, table[list(cmp.DATES_CARE)]),
        lambda: _smooth_delay(elapsed, values, DATES_CENTRES_DAYS, table[list(cmp.DATES_FOUND)]),
    )
    told = np.interp(elapsed, np.log1p(LEFT_CENTRES_DAYS), table[list(cmp.DATES_LEFT_HOME)])
    weight = np.where(left, told, np.where(far, table[cmp.DATES_LEFT_FAR], smooth))
    return Part(levels.astype(np.int8), rounded(np.where(known, weight, 0.0)), np.where(known, values, np.nan))


def _by_kind(
    care: NDArray[np.bool_], in_care: Callable[[], NDArray[Any]], found: Callable[[], NDArray[Any]]
) -> NDArray[Any]:
    """``in_care()`` where ``care``, else ``found()``: only the one needed when the rows are of one kind (a found
    or cared-for child's candidates are all missing reports)."""
    if care.all():
        return in_care()
    if not care.any():
        return found()
    chosen: NDArray[Any] = np.where(care, in_care(), found())
    return chosen


def _delay_levels(days: NDArray[Any], levels: tuple[int, ...], edges: tuple[float, ...]) -> NDArray[np.int64]:
    """The delay level of each pair (``levels``: the quickest first, the last also for a date before going
    missing)."""
    at = np.searchsorted(np.array(edges), days, side="left")
    chosen: NDArray[np.int64] = np.where(days < 0, levels[-1], np.array(levels)[at])
    return chosen


def _smooth_delay(
    elapsed: NDArray[np.float64], days: NDArray[np.float64], centres: tuple[float, ...], table: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The delay levels' weights interpolated on log days between their centres; before going missing: the last's."""
    smooth: NDArray[np.float64] = np.where(days < 0, table[-1], np.interp(elapsed, np.log1p(centres), table))
    return smooth


# -- weights ---------------------------------------------------------------------------------------------------------


def _plain(name: str, levels: NDArray[np.int8], values: NDArray[np.float64], weights: Weights) -> Part:
    return Part(levels, rounded(weights.table(name)[levels]), values)


def _tf_part(
    name: str,
    tf_levels: tuple[int, ...],
    levels: NDArray[np.int8],
    values: NDArray[np.float64],
    log2_u: NDArray[np.float64],
    probe: Probe,
    weights: Weights,
    extra: NDArray[np.float64] | None = None,
    *,
    at_least_plain: bool = False,
) -> Part:
    """Plain level weights, except where the agreeing words are known (``log2_u`` finite): ``log2(m) - log2(u)``
    with ``u`` the share of cases holding those words, capped at a word held once, never below 0 (nor below the
    plain weight when ``at_least_plain``)."""
    weight = weights.table(name)[levels]
    log2_m = np.array([weights.log2_m(name, level) for level in range(len(weights.m[name]))] + [0.0])[levels]
    adjusted = np.maximum(0.0, log2_m - np.maximum(log2_u, -probe.log2_population))
    if at_least_plain:
        adjusted = np.maximum(adjusted, weight)
    tf = np.isin(levels, tf_levels) & np.isfinite(log2_u)
    return Part(levels, rounded(np.where(tf, adjusted, weight)), values, extra)


def _max_plain(weights: Weights, name: str, tf_levels: tuple[int, ...]) -> float:
    table = weights.table(name)[:-1]
    return float(max(w for level, w in enumerate(table) if level not in tf_levels))


def _max_tf(weights: Weights, name: str, tf_levels: tuple[int, ...], probe: Probe, log2_u: float) -> float:
    """The most a tf-adjusted level can weigh when the agreeing words' frequencies multiply to at least ``2**log2_u``
    (0.0 with no word such agreement could use: an empty product stands for no agreement)."""
    if log2_u == 0.0:
        return 0.0
    return max(0.0, max(weights.log2_m(name, level) for level in tf_levels) - max(log2_u, -probe.log2_population))


def _max_tf_rows(
    weights: Weights, name: str, tf_levels: tuple[int, ...], probe: Probe, log2_u: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``_max_tf`` for many rows at once."""
    top = max(weights.log2_m(name, level) for level in tf_levels)
    most = np.maximum(0.0, top - np.maximum(log2_u, -probe.log2_population))
    return np.where(log2_u == 0.0, 0.0, most)


def _least_share(words: NameWords, reached: Reached, rows: int) -> NDArray[np.float64]:
    """Per row, log2 of the least share of cases that the words it can agree on hold together: every word no key
    reaches (``NameWords.keyed``), and each keyed word whose key reached the row."""
    least = np.full(rows, words.unkeyed_log2_least)
    for skeleton, keyed, log2_share in zip(
        words.skeletons, words.keyed.tolist(), words.log2_least.tolist(), strict=True
    ):
        if keyed and skeleton in reached:
            least += reached[skeleton] * log2_share
    return least


def rounded(weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """To 0.01, as every weight is counted and explained."""
    out: NDArray[np.float64] = np.round(weights, 2)
    return out
