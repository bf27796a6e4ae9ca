"""Synthetic children and the missing reports their families file.

A ``Child`` is the truth about one child (full name and its parts, parents, pet name, birth date, home, height
percentile, clothes and marks when last seen, the day they went missing) together with ``report``, what the police
wrote down. Found records are made from the same ``Child`` by ``sightings``.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeVar

from trackchild_hub.domain.age import years_between
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.geography import District
from trackchild_hub.matching.records import MatchRecord

from .model import NoiseModel
from .people import BOTTOMS, COLOURS, COMMUNITIES, HOMES, MARKS, STATE_LANGUAGE, TOPS, Community
from .travel import Atlas, jitter

YEARS_BACK = 8  # missing reports are spread over the last eight years
_AGE_BANDS = ((0, 5), (6, 11), (12, 17))
_AGE_CUMULATIVE = (0.15, 0.4)  # 15% aged 0-5, 25% 6-11, 60% 12-17: missing children skew to adolescents
_PREFIX_FORMS = ("Mohammed", "Mohammed", "Mohammad", "Md", "Mohd")
# Median height (cm) at ages 0..17, boys and girls (rounded from Indian Academy of Paediatrics charts).
HEIGHT_BOYS = (50, 76, 87, 96, 103, 110, 116, 122, 128, 133, 138, 143, 149, 155, 161, 165, 168, 170)
HEIGHT_GIRLS = (49, 74, 86, 95, 102, 109, 115, 121, 127, 132, 138, 144, 149, 152, 154, 155, 156, 157)
_HOME_STATES = list(HOMES)
_HOME_CUMULATIVE = list(accumulate(weight for weight, _ in HOMES.values()))
_MIXES = {
    state: ([COMMUNITIES[key] for key in mix], list(accumulate(mix.values()))) for state, (_, mix) in HOMES.items()
}
T = TypeVar("T")
Random01 = Callable[[], float]  # rng.random


@dataclass(slots=True)  # not frozen: a frozen __init__ costs a third more, and a million are made
class Child:
    community: Community
    gender: Gender
    given: str
    name: str
    surname: str | None  # the token a dropped surname removes
    father: str
    father_given: str
    mother: str
    nick: str
    birth: date
    home: District
    state: str  # abbreviation of the home state
    height_z: float
    languages: tuple[str, ...]
    clothing: str
    marks: tuple[str, ...]
    missing_on: date
    report: MatchRecord

    @property
    def female(self) -> bool:
        return self.gender is Gender.FEMALE


def new_child(
    case_id: str, rng: random.Random, atlas: Atlas, today: date, model: NoiseModel, like: Child | None = None
) -> Child:
    """A new child and its missing report; ``like``: another child's name, gender and district (a namesake).

    Draws go through ``rng.random()`` and ``_pick`` rather than ``choice``/``randint``/``choices``: three times
    faster, which is what lets a million reports generate in half a minute.
    """
    r = rng.random
    if like is None:
        state = _HOME_STATES[bisect(_HOME_CUMULATIVE, r() * _HOME_CUMULATIVE[-1])]
        mix, cumulative = _MIXES[state]
        community = mix[bisect(cumulative, r() * cumulative[-1])]
        gender = Gender.MALE if r() < 0.55 else Gender.FEMALE
        home = _pick(atlas.by_state[state], r)
        father_given = _pick(community.male, r)
        given, name, surname = _name(community, gender, father_given, r)
    else:
        state, community, gender, home = like.state, like.community, like.gender, like.home
        given, name, surname = like.given, like.name, like.surname
        father_given = surname if surname and not community.surnames else _pick(community.male, r)
    female = gender is Gender.FEMALE
    missing_on = today - timedelta(days=int(r() * YEARS_BACK * 365))
    band = r()
    low, high = _AGE_BANDS[0 if band < _AGE_CUMULATIVE[0] else 1 if band < _AGE_CUMULATIVE[1] else 2]
    birth = missing_on - timedelta(days=int((low + r() * (high - low + 1)) * 365.25))
    age = years_between(birth, missing_on)
    height_z = rng.gauss(0, 1)
    marks = (_pick(MARKS, r),) if r() < model.marks else ()
    language = community.language or STATE_LANGUAGE[state]
    languages = (language, "Urdu") if community.key == "muslim" and r() < 0.5 else (language,)
    father = _father(community, father_given, surname, r)
    mother = _mother(community, surname, r)
    nick = _pick_skewed(community.nick_female if female else community.nick_male, model.pet_name_skew, r)
    clothing = outfit(r)
    g = r()
    guardians = (father, mother) if g < 0.6 else (father,) if g < 0.9 else (mother,)
    latitude, longitude = jitter(home, rng)
    report = MatchRecord(
        kind=CaseKind.MISSING,
        gender=gender,
        name=name,
        aliases=(nick,) if r() < model.alias_recorded else (),
        guardian_names=guardians,
        age_years=age,
        date_of_birth=birth if r() < model.report_dob else None,
        event_date=missing_on,
        state=home.state_code,
        district=home.code,
        latitude=latitude,
        longitude=longitude,
        height_cm=round(height(age, female, height_z) + (r() - 0.5) * 10) if r() < model.report_height else None,
        identifying_marks=marks,
        clothing=clothing if r() < model.report_clothing else None,
        languages=languages if r() < model.languages_reported else (),
        case_id=case_id,
    )
    return Child(
        community, gender, given, name, surname, father, father_given, mother, nick, birth, home, state, height_z,
        languages, clothing, marks, missing_on, report,
    )  # fmt: skip


def _pick(seq: Sequence[T], r: Callable[[], float]) -> T:
    return seq[int(r() * len(seq))]


_ZIPF: dict[tuple[int, float], list[float]] = {}


def _pick_skewed(seq: Sequence[T], exponent: float, r: Callable[[], float]) -> T:
    """The n-th item with weight 1/n^exponent (the pools list the commonest pet names first); one draw, as ``_pick``."""
    key = (len(seq), exponent)
    cumulative = _ZIPF.get(key)
    if cumulative is None:
        cumulative = _ZIPF[key] = list(accumulate(1 / (n + 1) ** exponent for n in range(len(seq))))
    return seq[min(bisect(cumulative, r() * cumulative[-1]), len(seq) - 1)]


def _name(community: Community, gender: Gender, father_given: str, r: Random01) -> tuple[str, str, str | None]:
    """(given name, full name, surname or None) in the community's usual order."""
    female = gender is Gender.FEMALE
    given = _pick(community.female if female else community.male, r)
    tokens = [given]
    prefix = None if female else community.male_prefix
    if prefix and r() < prefix[1]:
        tokens.insert(0, _pick(_PREFIX_FORMS, r))
    middle = community.female_middle if female else community.male_middle
    if middle and r() < middle[1]:
        tokens.append(middle[0])
    surname = None
    if r() < community.surname_rate:
        surname = _pick(community.surnames, r) if community.surnames else father_given
        if r() < community.surname_first_rate:
            tokens.insert(0, surname)
        else:
            tokens.append(surname)
    return given, " ".join(tokens), surname


def _father(community: Community, given: str, surname: str | None, r: Random01) -> str:
    if not community.surnames:  # patronymic communities: the father's own father's name, or none
        return f"{given} {_pick(community.male, r)}" if r() < 0.5 else given
    tokens = [given]
    if community.male_prefix and r() < community.male_prefix[1]:
        tokens.insert(0, _pick(_PREFIX_FORMS, r))
    if community.male_middle and r() < community.male_middle[1]:
        tokens.append(community.male_middle[0])
    family = surname or (_pick(community.surnames, r) if r() < 0.5 else None)
    if family:
        tokens.append(family)
    return " ".join(tokens)


def _mother(community: Community, surname: str | None, r: Random01) -> str:
    given = _pick(community.female, r)
    if community.mother_suffixes and r() < 0.7:
        return f"{given} {_pick(community.mother_suffixes, r)}"
    return f"{given} {surname}" if surname and community.surnames else given


def outfit(r: Random01) -> str:
    return f"{_pick(COLOURS, r)} {_pick(TOPS, r)}, {_pick(COLOURS, r)} {_pick(BOTTOMS, r)}"


def height(age: float, female: bool, z: float) -> float:
    """Height (cm) at ``age`` years for a child ``z`` standard deviations from the median (about 4.5% each)."""
    curve = HEIGHT_GIRLS if female else HEIGHT_BOYS
    whole = min(int(age), len(curve) - 1)
    upper = curve[min(whole + 1, len(curve) - 1)]
    median = curve[whole] + (upper - curve[whole]) * (min(age, len(curve) - 1) - whole)
    return median * (1 + 0.045 * z)
