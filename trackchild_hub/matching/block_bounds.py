"""The most any row of a block (``layout.Blocks``) can score against a query: what lets a nationwide search skip the
blocks that cannot reach its best, exactly.

Each numeric comparison of ``vector_score`` is bounded from the block's summary, following the same formula: the
age weight at the smallest age gap the block's birth range allows (in the widest sd, with the precision bonus of the
narrowest), the place weight at the nearest its points can be (the block's centre less its radius: great-circle
distance is a metric), the dates and height weights over the ranges of events, heights and births (growth follows
the chart: ``height_growth.ratio_range``), gender, languages and the texts (``vector_score.text_bound``, no name key
reaching the row) by what the block holds, clothing only where the block's dates come within ``CLOTHES_DAYS`` of
the query's (clothes are compared only then; the trained weights put their agreeing at +4.5, and counting it in
every block with clothing had opened twice the blocks a nameless search needed). A level that some row of the block
may take (a value unknown: weight 0) is among the options. Every bound is of the weight before rounding, and each
part gets 0.01 more for the rounding to 0.01 the score does.

``tests/matching/test_block_bounds.py`` checks every block's bound against its rows' full scores: a change to a
numeric comparison in ``vector_score`` that this module does not follow fails there.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..domain.enums import CaseKind, Gender
from . import comparisons as cmp
from . import vector_score as vs
from .ages import YEAR, Z_WINDOW
from .height_growth import grown_cm, ratio_range
from .layout import EVENT_BUCKETS, EVENT_DAYS, Blocks, km_between
from .probe import Probe
from .row_values import GENDERS, KINDS
from .spoken import at_states, share, weight
from .weights import Weights

MARGIN = 0.01  # per part: the score rounds each part to 0.01
_UNKNOWN_GENDER = GENDERS[Gender.UNKNOWN]
_DAY_SLACK = 2.0  # days: the window and z are computed in single precision
_KM_SLACK = 1.0
NEAR_PERIODS = 16  # the periods of events bounded one by one (the rest by the most of them)


def reachable(probe: Probe, blocks: Blocks, kinds: int, languages: int | None) -> NDArray[np.bool_]:
    """Blocks that may hold a row of the nationwide window (``MatchIndex._window`` with no area) that the search
    keeps: of the ``kinds`` (bits), gender-compatible, within the age window, sharing a language of ``languages``
    (bits; None: not asked) and not found before going missing."""
    b = blocks
    ok = (b.kinds & kinds) != 0
    if probe.gender != _UNKNOWN_GENDER:
        ok &= ((b.genders & ((1 << probe.gender) | (1 << _UNKNOWN_GENDER))) != 0) | b.young
    if languages is not None:
        ok &= b.langs_unknown | ((b.langs & languages) != 0)
    q = probe.features
    if q.birth_day is not None:
        reach = Z_WINDOW * np.sqrt(b.sd_max**2 + float(q.birth_sd_days) ** 2) + _DAY_SLACK
        ok &= b.birth_unknown | ((b.birth_min <= q.birth_day + reach) & (b.birth_max >= q.birth_day - reach))
    if q.event_day is not None:
        if probe.record.kind is CaseKind.MISSING:
            ok &= b.event_unknown | (b.event_max >= q.event_day - cmp.DATE_SLACK_DAYS)
        else:
            ok &= b.event_unknown | (b.event_min <= q.event_day + cmp.DATE_SLACK_DAYS)
    reached: NDArray[np.bool_] = ok
    return reached


def bounds(probe: Probe, blocks: Blocks, weights: Weights) -> NDArray[np.float64]:
    """Per block, at least the full score (``vector_score.total`` of every part) of any of its rows."""
    total = vs.text_bound(probe, blocks.has, {}, {}, weights, worn=_worn(probe, blocks))
    for part in (_age, _gender, _place, _languages, _height, _dates):
        total = total + part(probe, blocks, weights) + MARGIN
    return total


# -- one comparison each ---------------------------------------------------------------------------------------------


def _worn(probe: Probe, b: Blocks) -> NDArray[np.bool_] | None:
    """Blocks that may hold a row whose clothing is compared (``vector_score.clothes_worn``): one dated within
    ``CLOTHES_DAYS`` of the query (None: the query describes no clothing)."""
    if not probe.features.clothing_text:
        return None
    q_event = probe.features.event_day
    if q_event is None:
        return np.zeros(len(b), dtype=bool)
    near: NDArray[np.bool_] = (
        (b.event_min <= b.event_max)
        & (b.event_min <= q_event + cmp.CLOTHES_DAYS)
        & (b.event_max >= q_event - cmp.CLOTHES_DAYS)
    )
    return near


def _age(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    q = probe.features
    if q.birth_day is None:
        return np.zeros(len(b))
    known = b.birth_min <= b.birth_max
    gap = np.maximum(0, np.maximum(b.birth_min - q.birth_day, q.birth_day - b.birth_max)).astype(np.float64)
    q_sd = float(q.birth_sd_days)
    widest = np.maximum(np.sqrt(b.sd_max**2 + q_sd**2), 1.0)
    narrowest = np.sqrt(np.where(known, b.sd_min, 0.0) ** 2 + q_sd**2) * (1 - 1e-4)
    z_low = np.where(known, gap * (1 - 1e-4) - _DAY_SLACK, 0.0).clip(0.0) / widest
    scale = np.clip(narrowest / (vs.AGE_SD_REFERENCE_YEARS * YEAR), vs.AGE_SCALE_FLOOR, 1.0)
    bonus = -np.log2(scale)  # the most the precision adds, at a close level's full share
    table = weights.table("age")[:-1]
    centres, share = np.array(vs.AGE_CENTRES), np.array(vs.AGE_CLOSE_SHARE)
    # Piecewise linear in z with knots at the centres: the most from z_low on is at z_low or at a knot past it.
    best = np.interp(z_low, centres, table) + bonus * np.interp(z_low, centres, share)
    at_knots = table[:, None] + bonus[None, :] * share[:, None]
    past = centres[:, None] > z_low[None, :]
    best = np.maximum(best, np.where(past, at_knots, -np.inf).max(axis=0))
    best = np.where(known, best, -np.inf)
    return np.where(b.birth_unknown, np.maximum(best, 0.0), best)


def _gender(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    if probe.gender == _UNKNOWN_GENDER:
        return np.zeros(len(b))
    table = weights.table("gender")
    best = np.full(len(b), -np.inf)
    best = np.where((b.genders & (1 << _UNKNOWN_GENDER)) != 0, np.maximum(best, 0.0), best)
    best = np.where((b.genders & (1 << probe.gender)) != 0, np.maximum(best, table[cmp.GENDER_SAME]), best)
    other = (b.genders & ~((1 << probe.gender) | (1 << _UNKNOWN_GENDER))) != 0
    young = b.young | probe.young
    best = np.where(other & young, np.maximum(best, table[cmp.GENDER_DIFFERS_YOUNG]), best)
    if not probe.young:
        best = np.where(other, np.maximum(best, table[cmp.GENDER_DIFFERS]), best)
    return best


def _place(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    return _by_km(probe, b, weights) + _route(probe, b)


def _by_km(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    table = weights.table("place")
    best = np.full(len(b), -np.inf)
    if probe.district != -1:
        same = (b.district_min <= probe.district) & (probe.district <= b.district_max)
        best = np.where(same, table[cmp.SAME_DISTRICT], best)
    if np.isnan(probe.lat) or np.isnan(probe.lon):
        unplaced: NDArray[np.float64] = np.maximum(best, 0.0)
        return unplaced
    best = np.where(b.point_unknown, np.maximum(best, 0.0), best)
    placed = b.radius_km >= 0
    km = np.maximum(0.0, km_between(probe.lat, probe.lon, b.lat, b.lon) - np.maximum(b.radius_km, 0.0))
    km = np.maximum(0.0, km * (1 - 1e-3) - _KM_SLACK)
    far = _most_from(np.log1p(km), np.log1p(np.array(vs.PLACE_CENTRES_KM)), table[1:-1])
    return np.where(placed, np.maximum(best, far), best)


def _route(probe: Probe, b: Blocks) -> NDArray[np.float64]:
    """The most the routes add (``vector_score._place``): a block of one place, its bits; of several, the most of
    any place (and 0, as a row the routes say nothing of gets)."""
    if probe.route is None:
        return np.zeros(len(b))
    low, high = (b.state_min, b.state_max) if probe.route_by == "state" else (b.district_min, b.district_max)
    one = low == high
    exact = vs.route_bits(probe, np.where(one, low, -1))
    exact = np.where(b.point_unknown, np.maximum(exact, 0.0), exact)  # no point, no distance: the routes add nothing
    return np.where(one, exact, max(0.0, float(probe.route.max(initial=0.0))))


def _languages(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    table = weights.table("languages")
    if probe.languages == 0:
        if probe.home_languages is None:
            return np.zeros(len(b))
        # Against a report naming none (``spoken.py``), a row's chance of a language in common is at most the chance
        # of any of the block's languages; a row naming none, or a report, is not compared.
        told = _spoken_most(np.zeros(len(b)), share(*probe.home_languages, b.langs), table)
        return np.where(b.langs == 0, 0.0, np.maximum(told, 0.0))
    unknown = np.zeros(len(b))  # a row naming none: not compared, unless it is a report (``spoken.py``)
    if probe.language_share is not None:
        chance = probe.language_share
        one = b.state_min == b.state_max  # a block of one state (else the most and least of any)
        at = at_states(chance, b.state_min)
        reports = _spoken_most(np.where(one, at, chance.min()), np.where(one, at, chance.max()), table)
        others = (b.kinds & ~(1 << KINDS[CaseKind.MISSING])) != 0  # rows that are no report
        unknown = np.where(others, np.maximum(reports, 0.0), reports)
    best = np.where(b.langs_unknown, unknown, -np.inf)
    best = np.where((b.langs & max(probe.languages, 0)) != 0, np.maximum(best, table[0]), best)
    return np.where(b.langs != 0, np.maximum(best, table[1]), best)


def _spoken_most(
    low: NDArray[np.float64], high: NDArray[np.float64], table: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The most ``spoken.weight`` reaches for a chance between ``low`` and ``high`` (it is monotone in the chance)."""
    return np.maximum(weight(low, table), weight(high, table))


def _height(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    q_event = probe.features.event_day
    if probe.height <= 0 or q_event is None:
        return np.zeros(len(b))
    table = weights.table("height")[:-1]
    known = (b.height_min <= b.height_max) & (b.event_min <= b.event_max)
    # The growth over the block's dates (``height_growth``): by the query's age (monotone in the days apart) for rows
    # with no birth or a missing report's query, by the rows' own ages over the block's births for the others.
    q = probe.features
    gender = probe.record.gender
    earliest, latest = (b.event_min - q_event).astype(np.float64), (b.event_max - q_event).astype(np.float64)
    least = grown_cm(probe.height, q.birth_day, q_event, gender, earliest)
    most = grown_cm(probe.height, q.birth_day, q_event, gender, latest)
    if probe.record.kind is not CaseKind.MISSING:
        youngest = (q_event - b.birth_max.astype(np.float64)) / YEAR
        low_ratio, high_ratio = ratio_range(gender, youngest, earliest / YEAR, latest / YEAR)
        born = b.birth_min <= b.birth_max
        least = np.where(
            born, np.minimum(np.where(b.birth_unknown, least, np.inf), probe.height * (low_ratio - 1)), least
        )
        most = np.where(
            born, np.maximum(np.where(b.birth_unknown, most, -np.inf), probe.height * (high_ratio - 1)), most
        )
    low = b.height_min - most
    high = b.height_max - least
    gap = np.maximum(0.0, np.maximum(low - probe.height, probe.height - high) - 0.01)
    level = np.searchsorted(np.array(cmp.HEIGHT_CM_EDGES), gap, side="left")
    from_level = np.maximum.accumulate(table[::-1])[::-1]  # the most of this level and any further off
    best = np.where(known, from_level[np.minimum(level, len(table) - 1)], -np.inf)
    return np.where(b.height_unknown | b.event_unknown, np.maximum(best, 0.0), best)


def _dates(probe: Probe, b: Blocks, weights: Weights) -> NDArray[np.float64]:
    q = probe.features
    n = len(b)
    if q.event_day is None or n == 0:
        return np.zeros(n)
    table = weights.table("dates")
    known = b.event_min <= b.event_max
    by_range = np.where(known, _by_events(probe, b.event_min, b.event_max, table), -np.inf)
    # Tighter: by the periods that hold an event (a block's events span years, the weight peaks within weeks).
    first = b.event_base[0] + EVENT_DAYS * np.arange(EVENT_BUCKETS, dtype=np.int64)
    period = _by_events(probe, first, first + EVENT_DAYS - 1, table)
    near = np.argsort(-period, kind="stable")[:NEAR_PERIODS]
    masks = [np.uint64(0), np.uint64(0)]
    by_periods = np.full(n, -np.inf)
    for j in near.tolist():
        bit = np.uint64(1) << np.uint64(j % 64)
        masks[j // 64] |= bit
        by_periods = np.where((b.event_bits[:, j // 64] & bit) != 0, np.maximum(by_periods, period[j]), by_periods)
    rest = np.delete(period, near).max(initial=-np.inf)
    elsewhere = ((b.event_bits[:, 0] & ~masks[0]) | (b.event_bits[:, 1] & ~masks[1])) != 0
    by_periods = np.where(elsewhere, np.maximum(by_periods, rest), by_periods)
    best = np.minimum(by_range, np.where(b.event_beyond, np.inf, by_periods))
    best = np.where(b.event_unknown, np.maximum(best, 0.0), best)
    if probe.record.kind is CaseKind.MISSING:  # a found candidate's own account of when they left home
        apart = _distance(float(q.event_day), b.since_min.astype(np.float64), b.since_max.astype(np.float64))
        accounts = known & (b.since_min <= b.since_max)
        told = accounts & (apart <= 60)
        best = np.where(told, np.maximum(best, _by_account(apart, table)), best)
        best = np.where(accounts, np.maximum(best, table[cmp.DATES_LEFT_FAR]), best)  # an account far off
    return best


def _by_events(
    probe: Probe, low_event: NDArray[np.int64], high_event: NDArray[np.int64], table: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The most the dates weight can be for a row whose event lies in [low_event, high_event] (the query's own
    account of leaving home included; a candidate's is ``_dates``')."""
    q = probe.features
    assert q.event_day is not None
    e_low, e_high = low_event.astype(np.float64), high_event.astype(np.float64)
    if probe.record.kind is CaseKind.MISSING:  # candidates found after: days = their event - the query's
        low, high = e_low - q.event_day, e_high - q.event_day
    else:
        low, high = q.event_day - e_high, q.event_day - e_low
    slack = cmp.DATE_SLACK_DAYS
    best = np.where(low < -slack, 0.0, -np.inf)  # found too long before going missing: not compared
    compared = high >= -slack
    # A missing query's candidates may be found or in care: the most of either kind's delay levels.
    kinds = {
        CaseKind.FOUND: (cmp.DATES_FOUND, vs.DATES_CENTRES_DAYS),
        CaseKind.CARE: (cmp.DATES_CARE, vs.CARE_CENTRES_DAYS),
    }
    for kind, (levels, centres) in kinds.items():
        if probe.record.kind not in (kind, CaseKind.MISSING):
            continue
        best = np.where(compared & (low < 0), np.maximum(best, table[levels[-1]]), best)
        smooth = _most_between(
            np.log1p(np.maximum(low, 0.0)),
            np.log1p(np.maximum(high, 0.0)),
            np.log1p(np.array(centres)),
            table[list(levels)],
        )
        best = np.where(compared & (high >= 0), np.maximum(best, smooth), best)
    if probe.record.kind is not CaseKind.MISSING and q.since_day is not None:
        apart = _distance(float(q.since_day), e_low, e_high)
        best = np.where(compared & (apart <= 60), np.maximum(best, _by_account(apart, table)), best)
        best = np.where(compared, np.maximum(best, table[cmp.DATES_LEFT_FAR]), best)  # the account far off
    return best


def _by_account(apart: NDArray[np.float64], table: NDArray[np.float64]) -> NDArray[np.float64]:
    """The most a child's account of leaving home weighs at least ``apart`` days from the report's date."""
    return _most_between(
        np.log1p(np.minimum(apart, 60.0)),
        np.full(len(apart), np.log1p(60.0)),
        np.log1p(np.array(vs.LEFT_CENTRES_DAYS)),
        table[list(cmp.DATES_LEFT_HOME)],
    )


# -- piecewise linear maxima -----------------------------------------------------------------------------------------


def _most_from(x: NDArray[np.float64], knots: NDArray[np.float64], values: NDArray[np.float64]) -> NDArray[np.float64]:
    """The most ``np.interp(t, knots, values)`` reaches for any t >= x (flat past the last knot)."""
    best = np.interp(x, knots, values)
    past = knots[:, None] > x[None, :]
    most: NDArray[np.float64] = np.maximum(best, np.where(past, values[:, None], -np.inf).max(axis=0))
    return most


def _most_between(
    low: NDArray[np.float64], high: NDArray[np.float64], knots: NDArray[np.float64], values: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The most ``np.interp(t, knots, values)`` reaches for t in [low, high] (a little wider: rounding)."""
    low, high = low - 1e-9, high + 1e-9
    best = np.maximum(np.interp(low, knots, values), np.interp(high, knots, values))
    inside = (knots[:, None] >= low[None, :]) & (knots[:, None] <= high[None, :])
    most: NDArray[np.float64] = np.maximum(best, np.where(inside, values[:, None], -np.inf).max(axis=0))
    return most


def _distance(point: float, low: NDArray[np.float64], high: NDArray[np.float64]) -> NDArray[np.float64]:
    """From ``point`` to the nearest of [low, high]."""
    return np.maximum(0.0, np.maximum(low - point, point - high))
