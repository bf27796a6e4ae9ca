"""What the matcher derives once per record: normalised names and their skeletons, the birth estimate and how sure
it is, the days that matter. Both the index (for every case) and the query go through ``features``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from ..domain.enums import Gender
from . import names
from .ages import YEAR, birth_estimate
from .records import MatchRecord

EPOCH = date(1970, 1, 1)
__all__ = ["EPOCH", "YEAR", "Features", "day_number", "features", "genders_compatible", "skeleton_of"]


@dataclass(frozen=True, slots=True)
class Features:
    tokens: tuple[str, ...]  # normalised words of the reported name
    skeletons: tuple[str, ...]
    alias_tokens: tuple[str, ...]  # of the recorded pet names and other names
    alias_skeletons: tuple[str, ...]
    guardian_tokens: tuple[str, ...]
    guardian_skeletons: tuple[str, ...]
    guardian_text: str
    birth_day: int | None  # days since 1970 of the (estimated) birth date
    birth_sd_days: int  # the sd of that estimate's error (``ages.py``)
    recorded_birth_day: int | None  # a date of birth actually recorded (a blocking key of its own)
    event_day: int | None
    since_day: int | None  # FOUND: when the child says they left home
    marks_text: str
    clothing_text: str


def day_number(value: date | None) -> int | None:
    return None if value is None else (value - EPOCH).days


# Names repeat (a million cases hold a few tens of thousands of distinct words): normalise and key each once.
_tokens = functools.lru_cache(maxsize=1 << 18)(names.tokens)
skeleton_of = functools.lru_cache(maxsize=1 << 18)(names.skeleton)


def features(record: MatchRecord) -> Features:
    tokens = _tokens(record.name)
    aliases = tuple(t for a in record.aliases for t in _tokens(a))
    guardians = tuple(t for g in record.guardian_names for t in _tokens(g))
    event = day_number(record.event_date)
    recorded = day_number(record.date_of_birth)
    birth, sd = birth_estimate(record, event, recorded)
    return Features(
        tokens=tokens,
        skeletons=tuple(skeleton_of(t) for t in tokens),
        alias_tokens=aliases,
        alias_skeletons=tuple(skeleton_of(t) for t in aliases),
        guardian_tokens=guardians,
        guardian_skeletons=tuple(skeleton_of(t) for t in guardians),
        guardian_text=" ".join(guardians),
        birth_day=birth,
        birth_sd_days=sd,
        recorded_birth_day=recorded,
        event_day=event,
        since_day=day_number(record.missing_since),
        marks_text=" ".join(m.casefold() for m in record.identifying_marks),
        clothing_text=(record.clothing or "").casefold(),
    )


def genders_compatible(a: Gender, b: Gender, *, young: bool) -> bool:
    """Gender is soft for young children (recorded wrongly more often) and when either is unknown."""
    return young or a is Gender.UNKNOWN or b is Gender.UNKNOWN or a is b
