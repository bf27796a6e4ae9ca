"""The labelled data set: the noise model that makes it, and what each found child's record is labelled with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from trackchild_hub.matching.records import MatchRecord

from .travel import Distance


class NameType(Enum):
    """What the found child's record says about the child's name, against the missing report."""

    FULL = "full name"
    VARIANT = "variant"
    SCRIPT = "script switch"
    ABBREVIATION = "abbreviation"
    SURNAME_DROPPED = "surname dropped"
    FIRST_ONLY = "first name only"
    NICKNAME = "nickname only"
    NAMELESS = "nameless"
    FATHER_ONLY = "father's name only"


NAMED = frozenset(NameType) - {NameType.NICKNAME, NameType.NAMELESS, NameType.FATHER_ONLY}  # a first name is known


def _default_mix() -> dict[NameType, float]:
    return {
        NameType.FULL: 0.25,
        NameType.VARIANT: 0.2,
        NameType.SCRIPT: 0.1,
        NameType.ABBREVIATION: 0.07,
        NameType.SURNAME_DROPPED: 0.08,
        NameType.FIRST_ONLY: 0.08,
        NameType.NICKNAME: 0.08,
        NameType.NAMELESS: 0.07,
        NameType.FATHER_ONLY: 0.07,
    }


@dataclass(frozen=True, slots=True)
class NoiseModel:
    """Every rate the generator draws from; the defaults are the figures reported in bench/matching/README.md."""

    name_types: dict[NameType, float] = field(default_factory=_default_mix)  # shares of found children, exact
    unmatched: float = 0.15  # found children who match no missing report
    unmatched_hard: float = 0.5  # ... of which share a missing child's name and district
    decoy: float = 0.1  # matched children with a same-name, same-district other child among the missing
    care: float = 0.3  # found records that are CARE (in a children's home) rather than FOUND
    moves: dict[Distance, float] = field(
        default_factory=lambda: {Distance.SAME_DISTRICT: 0.35, Distance.SAME_STATE: 0.25, Distance.OTHER_STATE: 0.4}
    )
    alias_recorded: float = 0.25  # missing reports naming a pet name (for nickname-only children: nickname_alias)
    nickname_alias: float = 0.6  # nickname-only children whose pet name the missing report recorded as an alias
    variant_second_round: float = 0.3  # variant names with two substitutions instead of one
    variant_surname: float = 0.3  # variant names whose surname is respelt too
    honorific: float = 0.08  # full/variant names with Master/Baby/Kumari in front
    upper_case: float = 0.3  # found names typed in capitals
    guardian_known: float = 0.35  # named found children who also give a parent's name
    guardian_variant: float = 0.3  # ... respelt
    report_dob: float = 0.4  # missing reports with a date of birth (others: age only)
    found_dob: float = 0.08  # found children with a known date of birth
    age_error_sd: tuple[float, float, float] = (1.8, 1.5, 1.2)  # estimate error (years) at ages 0-5, 6-11, 12-17
    age_error_max: int = 4
    report_height: float = 0.5
    found_height: float = 0.7
    report_clothing: float = 0.85
    clothing_changed_after_days: int = 3  # older than this, the clothes are almost always different
    marks: float = 0.35  # missing reports with identifying marks
    marks_noticed: float = 0.6  # found records that note the mark too
    languages_reported: float = 0.8
    languages_kept: float = 0.85
    missing_since_told: float = 0.3  # found children who say when they left home
    unknown_gender_young: float = 0.03  # found children aged 0-5 recorded with gender unknown


@dataclass(frozen=True, slots=True)
class Query:
    """A found or CARE child's record with its truth and the labels the scorer breaks results down by."""

    record: MatchRecord
    truth: str | None  # the missing report's case id; None: matches nobody
    name_type: NameType
    script: str  # "Latin" or the script the name was written in
    distance: Distance | None  # from the missing child's home (None when unmatched)
    age: int  # true age on the found date
    decoy: bool  # a same-name child from the same district is among the missing reports
    alias_recorded: bool | None  # nickname-only: whether the missing report holds that pet name
    clothing_changed: bool | None  # None: one side recorded no clothing
    elapsed_days: int | None

    @property
    def age_band(self) -> str:
        return "0-5" if self.age <= 5 else "6-11" if self.age <= 11 else "12-17"

    def labels(self) -> dict[str, str]:
        """Every dimension the scorer breaks results down by, as text."""
        return {
            "name type": self.name_type.value,
            "first name": "known" if self.name_type in NAMED else "not known",
            "age band": self.age_band,
            "script": self.script,
            "distance": self.distance.value if self.distance else "unmatched",
            "same-name decoy": "yes" if self.decoy else "no",
            "pet name on report": "n/a" if self.alias_recorded is None else "yes" if self.alias_recorded else "no",
            "kind": self.record.kind.value,
        }


@dataclass(frozen=True, slots=True)
class Dataset:
    missing: list[MatchRecord]
    queries: list[Query]
    today: date
    seed: int
    seconds: float  # generation time
