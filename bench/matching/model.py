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
    # found records that are CARE (in a children's home) rather than FOUND, before the finds after today or past 18
    # are left out: a child comes into care later, so 0.22-0.25 of those kept are (``sightings.found_in_time``)
    care: float = 0.3
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
    estimate_max: int = 21  # a found child's age is an estimate: a 17-year-old may be put down as 19
    adult_looking: float = 0.05  # found children aged 14-17 estimated at 18-21 (a sturdy teenager, a bone-age test)
    young_misjudged: float = 0.15  # found children aged 0-5 whose age is guessed 2-4 years off (either way)
    pet_name_skew: float = 1.0  # Zipf exponent of pet names: Monu, Golu, Guddu, Pinki are the alias of many reports
    nickname_guardian: float = 0.3  # nickname-only children who also give a parent's name (as named children do)
    pet_name_decoy: float = 0.3  # nickname-only children for whom another child, reported missing where this
    #                              one was found, same gender and near the estimated age, has that pet name recorded
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
    pet_name_decoy: bool | None = None  # nickname-only: another child's report near the found place has the pet name
    pet_name_reports: int | None = None  # nickname-only: other reports holding the pet name as an alias

    @property
    def estimate(self) -> int | None:
        return self.record.age_years

    @property
    def age_band(self) -> str:
        return "0-5" if self.age <= 5 else "6-11" if self.age <= 11 else "12-17"

    @property
    def age_estimate(self) -> str:
        """How the estimated age relates to the true one: above 17 (refused until issue 16), a small child's poor
        guess (2 or more years off), or the rest."""
        estimate = self.record.age_years
        if estimate is not None and estimate >= 18:
            return "18-21"
        if self.age <= 5 and estimate is not None and abs(estimate - self.age) >= 2:
            return "0-5, off 2+ years"
        return "other"

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
            "age estimate": self.age_estimate,
            "pet name decoy": "n/a" if self.pet_name_decoy is None else "yes" if self.pet_name_decoy else "no",
            "pet name on other reports": _frequency(self.pet_name_reports),
        }


def _frequency(reports: int | None) -> str:
    if reports is None:
        return "n/a"
    return "0-99" if reports < 100 else "100-999" if reports < 1000 else "1000+"


@dataclass(frozen=True, slots=True)
class Dataset:
    missing: list[MatchRecord]
    queries: list[Query]
    today: date
    seed: int
    seconds: float  # generation time
