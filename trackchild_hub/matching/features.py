"""What the matcher derives once per record: normalised names and their skeletons, the birth estimate and how sure
it is, the place. Both the index (for every case) and the query go through ``features``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from ..domain.enums import CaseKind, Gender
from . import names
from .records import MatchRecord

YEAR = 365.25
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Features:
    tokens: tuple[str, ...]  # normalised name tokens
    skeletons: tuple[str, ...]
    alias_tokens: tuple[str, ...]
    alias_skeletons: tuple[str, ...]
    guardian_tokens: tuple[str, ...]
    guardian_skeletons: tuple[str, ...]
    name_text: str  # name and aliases, normalised, for bulk similarity
    skeleton_text: str
    guardian_text: str
    birth_day: int | None  # days since 1970 of the (estimated) birth date
    birth_spread_days: int  # how far off that estimate may be
    recorded_birth_day: int | None  # a date of birth actually recorded (a blocking key of its own)
    event_day: int | None
    marks_text: str
    clothing_text: str


def day_number(value: date | None) -> int | None:
    return None if value is None else (value - EPOCH).days


# Names repeat (a million cases hold a few tens of thousands of distinct words): normalise and key each once.
_tokens = functools.lru_cache(maxsize=1 << 18)(names.tokens)
_skeleton = functools.lru_cache(maxsize=1 << 17)(names.skeleton)


def features(record: MatchRecord) -> Features:
    tokens = _tokens(record.name)
    aliases = tuple(t for a in record.aliases for t in _tokens(a))
    guardians = tuple(t for g in record.guardian_names for t in _tokens(g))
    skeletons = tuple(_skeleton(t) for t in tokens)
    alias_skeletons = tuple(_skeleton(t) for t in aliases)
    birth, spread = _birth(record)
    return Features(
        tokens=tokens,
        skeletons=skeletons,
        alias_tokens=aliases,
        alias_skeletons=alias_skeletons,
        guardian_tokens=guardians,
        guardian_skeletons=tuple(_skeleton(t) for t in guardians),
        name_text=" ".join((*tokens, *aliases)),
        skeleton_text=" ".join((*skeletons, *alias_skeletons)),
        guardian_text=" ".join(guardians),
        birth_day=birth,
        birth_spread_days=spread,
        recorded_birth_day=day_number(record.date_of_birth),
        event_day=day_number(record.event_date),
        marks_text=" ".join(m.casefold() for m in record.identifying_marks),
        clothing_text=(record.clothing or "").casefold(),
    )


def _birth(record: MatchRecord) -> tuple[int | None, int]:
    """The birth date as a day number, and its spread: a recorded date of birth is near-exact; a family's reported
    age is off by a year at most; an age estimated by looking at a found child, by three (the issue's minimum)."""
    if record.date_of_birth is not None:
        return day_number(record.date_of_birth), 183
    if record.age_years is None or record.event_date is None:
        return None, 0
    event = day_number(record.event_date)
    assert event is not None
    estimated = record.kind is not CaseKind.MISSING
    spread_years = 3.0 if estimated else 1.0
    if estimated and record.age_years < 6:
        spread_years = 2.0  # small children's ages are guessed closer
    return int(event - (record.age_years + 0.5) * YEAR), int(spread_years * YEAR)


def genders_compatible(a: Gender, b: Gender, *, young: bool) -> bool:
    """Gender is soft for young children (recorded wrongly more often) and when either is unknown."""
    return young or a is Gender.UNKNOWN or b is Gender.UNKNOWN or a is b
