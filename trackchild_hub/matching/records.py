"""What the matcher knows of a case, or of a description searched for: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from ..domain.enums import CaseKind, Gender


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """A case (``case_id`` set) or a description (``case_id`` empty). Places are LGD codes, dates calendar dates."""

    kind: CaseKind
    gender: Gender = Gender.UNKNOWN
    name: str | None = None
    aliases: tuple[str, ...] = ()
    guardian_names: tuple[str, ...] = ()
    age_years: int | None = None  # as reported on ``event_date`` (an estimate for found children)
    date_of_birth: date | None = None
    event_date: date | None = None  # last seen (MISSING), found (FOUND), admitted (CARE)
    state: str | None = None
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    height_cm: int | None = None
    identifying_marks: tuple[str, ...] = ()
    clothing: str | None = None
    languages: tuple[str, ...] = ()
    missing_since: date | None = None  # FOUND: when the child says they left home
    case_id: str = ""
    confidential: bool = False


class Band(Enum):
    LIKELY = "LIKELY"
    POSSIBLE = "POSSIBLE"


@dataclass(frozen=True, slots=True)
class Factor:
    """One piece of evidence: its signed weight (log-odds style, Fellegi-Sunter) and what was compared, in words."""

    field: str
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class Match:
    case_id: str
    score: float  # 0..1
    band: Band | None  # None: below POSSIBLE (returned only when asked for a ranked list)
    factors: tuple[Factor, ...] = field(default_factory=tuple)
    total: float = 0.0  # log2 odds (the prior and the factors' weights): what ranks matches (``scoring.rank_key``)
