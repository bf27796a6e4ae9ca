"""Weighted evidence, in the spirit of Fellegi-Sunter match weights: each factor adds a signed weight (roughly log2 of
how much likelier the observation is for the same child than for another), and the explanation lists them.

The total becomes a 0..1 score through a logistic with a prior that stands for "most pairs are different children".
No factor quotes a name or any other identifying value: the details say how things compare, never what they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from ..domain.enums import CaseKind, Gender
from . import names
from .features import YEAR, Features, genders_compatible
from .records import Band, Factor, Match, MatchRecord

PRIOR = -12.0  # log2 odds that two records picked at random from the candidates are the same child
LIKELY, POSSIBLE = 0.95, 0.15
Idf = Callable[[str], float]


def score(query: MatchRecord, q: Features, candidate: MatchRecord, c: Features, idf: Idf, today_day: int) -> Match:
    factors = [
        f
        for f in (
            _names(q, c, idf),
            _guardians(q, c),
            _age(q, c, today_day),
            _gender(query, candidate, q, c, today_day),
            _place(query, candidate),
            _text("identifyingMarks", q.marks_text, c.marks_text, 4.0, 0.6),
            _text("clothing", q.clothing_text, c.clothing_text, 1.0, 0.7),
            _languages(query, candidate),
            _height(query, candidate, q, c),
            _dates(query, candidate, q, c),
        )
        if f is not None
    ]
    total = PRIOR + sum(f.weight for f in factors)
    probability = 1 / (1 + 2 ** (-total))
    band = Band.LIKELY if probability >= LIKELY else Band.POSSIBLE if probability >= POSSIBLE else None
    return Match(candidate.case_id, round(probability, 4), band, tuple(factors))


def _best(token: str, skeleton: str, others: Sequence[str], other_skeletons: Sequence[str]) -> tuple[str, float]:
    """How well ``token`` is matched by the best of ``others``: 'exact', 'sounds alike' or a similarity."""
    if token in others:
        return "exact", 1.0
    if skeleton and skeleton in other_skeletons:
        return "sounds alike", 0.9
    best = max((fuzz.ratio(token, o) / 100 for o in others), default=0.0)
    return "similar", best


def _names(q: Features, c: Features, idf: Idf) -> Factor | None:
    """Token by token, each query token paired with its best counterpart among the candidate's name and aliases;
    rare tokens weigh more than common ones (Kumar, Devi), by inverse document frequency."""
    if not q.tokens and not q.alias_tokens:
        return None
    if not c.tokens and not c.alias_tokens:
        return Factor("name", 0.0, "the candidate has no recorded name")
    others = (*c.tokens, *c.alias_tokens)
    other_skeletons = (*c.skeletons, *c.alias_skeletons)
    weight, parts = 0.0, []
    for token, skeleton in zip((*q.tokens, *q.alias_tokens), (*q.skeletons, *q.alias_skeletons), strict=True):
        level, similarity = _best(token, skeleton, others, other_skeletons)
        rarity = idf(token)
        if level == "exact":
            gain = rarity
        elif level == "sounds alike":
            gain = 0.85 * rarity
        elif similarity >= 0.85:
            gain, level = 0.6 * rarity, f"similar ({similarity:.2f})"
        elif similarity >= 0.7:
            gain, level = 0.2 * rarity, f"somewhat similar ({similarity:.2f})"
        elif names.is_nickname(token):
            gain, level = 0.0, "a pet name with no counterpart"  # children give pet names reports never recorded
        else:
            gain, level = -min(2.0, 0.4 * rarity), "no counterpart"
        weight += gain
        parts.append(level)
    return Factor("name", round(weight, 2), "name words: " + ", ".join(parts))


def _guardians(q: Features, c: Features) -> Factor | None:
    if not q.guardian_tokens or not c.guardian_tokens:
        return None
    similarity = fuzz.token_set_ratio(q.guardian_text, c.guardian_text) / 100
    shared = set(q.guardian_skeletons) & set(c.guardian_skeletons)
    if similarity >= 0.9:
        return Factor("guardians", 5.0, f"a parent's name agrees ({similarity:.2f})")
    if shared:
        return Factor("guardians", 3.0, "a parent's name sounds alike")
    if similarity >= 0.7:
        return Factor("guardians", 1.0, f"parents' names somewhat similar ({similarity:.2f})")
    return Factor("guardians", -2.0, "parents' names differ")


def _age(q: Features, c: Features, today_day: int) -> Factor | None:
    """The birth dates implied by both records (ages reported at different times already account for growth)."""
    if q.birth_day is None or c.birth_day is None:
        return None
    gap_years = abs(q.birth_day - c.birth_day) / YEAR
    window_years = (q.birth_spread_days + c.birth_spread_days) / YEAR
    if gap_years <= window_years:  # closer is likelier, smoothly: ties among namesakes are broken by age
        weight = 3.0 * (1 - gap_years / max(window_years, 1.0)) - 0.5
        return Factor("age", round(weight, 2), f"ages agree within {gap_years:.1f} years (allowed {window_years:.1f})")
    return Factor("age", -4.0, f"ages differ by {gap_years:.1f} years (allowed {window_years:.1f})")


def _gender(query: MatchRecord, candidate: MatchRecord, q: Features, c: Features, today_day: int) -> Factor | None:
    if query.gender is Gender.UNKNOWN or candidate.gender is Gender.UNKNOWN:
        return None
    if query.gender is candidate.gender:
        return Factor("gender", 1.0, "same gender")
    births = [b for b in (q.birth_day, c.birth_day) if b is not None]
    young = bool(births) and (today_day - max(births)) / YEAR < 6
    if genders_compatible(query.gender, candidate.gender, young=young):
        return Factor("gender", -1.5, "gender differs (a young child: often recorded wrongly)")
    return Factor("gender", -8.0, "gender differs")


def _place(query: MatchRecord, candidate: MatchRecord) -> Factor | None:
    if query.district is not None and query.district == candidate.district and query.state == candidate.state:
        return Factor("place", 2.0, "same district")
    km = distance_km(query, candidate)
    if km is None:
        return Factor("place", 0.5, "same state") if query.state and query.state == candidate.state else None
    weight = min(1.5, max(-0.5, 2.0 - 0.5 * math.log2(1 + km / 50)))  # 100 km: 1.2; 500 km: 0.3; 1,500 km: -0.5
    return Factor("place", round(weight, 2), f"{km:.0f} km apart")


def _text(field: str, a: str, b: str, weight: float, threshold: float) -> Factor | None:
    if not a or not b:
        return None
    similarity = fuzz.token_set_ratio(a, b) / 100
    if similarity >= threshold:
        return Factor(field, round(weight * similarity, 2), f"descriptions agree ({similarity:.2f})")
    return Factor(field, 0.0, f"descriptions differ ({similarity:.2f})")


def _languages(query: MatchRecord, candidate: MatchRecord) -> Factor | None:
    if not query.languages or not candidate.languages:
        return None
    if set(query.languages) & set(candidate.languages):
        return Factor("languages", 1.0, "a language in common")
    return Factor("languages", -1.5, "no language in common")


def _height(query: MatchRecord, candidate: MatchRecord, q: Features, c: Features) -> Factor | None:
    if query.height_cm is None or candidate.height_cm is None or q.event_day is None or c.event_day is None:
        return None
    years = (c.event_day - q.event_day) / YEAR  # positive when the candidate was seen later
    growth = 6.0 * years  # cm a year, roughly, for a school-age child
    gap = abs(candidate.height_cm - query.height_cm - growth)
    if gap <= 8:
        return Factor("height", 1.0, f"height fits growth (off by {gap:.0f} cm)")
    if gap > 20:
        return Factor("height", -1.5, f"height does not fit growth (off by {gap:.0f} cm)")
    return Factor("height", 0.0, f"height roughly fits (off by {gap:.0f} cm)")


def _dates(query: MatchRecord, candidate: MatchRecord, q: Features, c: Features) -> Factor | None:
    """Most children are found soon after they go missing; a found child's own account of when they left counts."""
    missing, other = (query, candidate) if query.kind is CaseKind.MISSING else (candidate, query)
    if missing.event_date is None or other.event_date is None:
        return None
    if other.missing_since is not None:
        gap = abs((other.missing_since - missing.event_date).days)
        if gap <= 60:
            return Factor("dates", 3.0, f"left home within {gap} days of the report's date")
    days = (other.event_date - missing.event_date).days
    if days <= 60:
        return Factor("dates", 1.0, f"found {max(days, 0)} days after going missing")
    if days <= 365:
        return Factor("dates", 0.3, f"found {days // 30} months after going missing")
    return Factor("dates", 0.0, f"found {days / YEAR:.1f} years after going missing")


def distance_km(a: MatchRecord, b: MatchRecord) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))
