"""A found or CARE record of a child: what a police officer or a children's home writes down, later and elsewhere.

``sighting`` draws the noise of ``NoiseModel`` for one child and one name type: how long after the report and how far
from home the child turned up, the age as estimated (plus growth), height grown, clothes changed, marks noticed or
not, the language kept, and the name as the child gave it. It returns None when the child's name cannot carry that
name type (no surname to drop, nothing to abbreviate); the generator then picks another child. The time until found
is drawn within today and the child's 18th birthday: whether a report's child is found by then at all is
``found_in_time``'s, which the generator asks first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from trackchild_hub.domain.age import years_between
from trackchild_hub.domain.enums import CaseKind, Gender
from trackchild_hub.domain.geography import District
from trackchild_hub.matching.records import MatchRecord

from .children import Child, height, outfit
from .model import NameType, NoiseModel
from .people import STATE_SCRIPT
from .spelling import HONORIFICS_FEMALE, HONORIFICS_MALE, SCRIPTS, abbreviable, abbreviate, in_script, variant_token
from .travel import Atlas, Distance, jitter

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Sighting:
    record: MatchRecord
    script: str
    distance: Distance
    place: District  # where the child was found
    age: int
    clothing_changed: bool | None
    elapsed_days: int


def sighting(
    child: Child, name_type: NameType, case_id: str, rng: random.Random, atlas: Atlas, today: date, model: NoiseModel
) -> Sighting | None:
    care, found_on = _found(child, rng, today, model)
    place = atlas.move(child.home, _draw(model.moves, rng), rng)
    script = "Latin"
    if name_type is NameType.SCRIPT:
        script = STATE_SCRIPT.get(atlas.abbreviation[place.state_code]) or child.community.script
        script = script if script in SCRIPTS else "Devanagari"
    names = _names(child, name_type, script, rng, model)
    if names is None:
        return None
    name, guardians = names
    age = years_between(child.birth, found_on)
    estimate = _estimate(age, rng, model)
    gender = child.gender
    if age <= 5 and rng.random() < model.unknown_gender_young:
        gender = Gender.UNKNOWN
    elapsed = (found_on - child.missing_on).days
    clothing = outfit(rng.random) if rng.random() < 0.9 else None
    changed: bool | None = None
    if clothing is not None and child.report.clothing is not None:
        changed = elapsed > model.clothing_changed_after_days or rng.random() < 0.3
        clothing = clothing if changed else child.clothing
    marks = tuple(m.replace(" on ", " ") if rng.random() < 0.5 else m for m in child.marks)
    latitude, longitude = jitter(place, rng)
    missing_since = None
    if rng.random() < model.missing_since_told:
        missing_since = min(found_on, child.missing_on + timedelta(days=round(rng.gauss(0, 10 + elapsed * 0.1))))
    record = MatchRecord(
        kind=CaseKind.CARE if care else CaseKind.FOUND,
        gender=gender,
        name=name,
        guardian_names=guardians,
        age_years=estimate,
        date_of_birth=child.birth if rng.random() < model.found_dob else None,
        event_date=found_on,
        state=place.state_code,
        district=place.code,
        latitude=latitude,
        longitude=longitude,
        height_cm=round(height(_age_float(child.birth, found_on), child.female, child.height_z) + rng.gauss(0, 1.5))
        if rng.random() < model.found_height
        else None,
        identifying_marks=marks if marks and rng.random() < model.marks_noticed else (),
        clothing=clothing,
        languages=child.languages if rng.random() < model.languages_kept else ("Hindi",) if rng.random() < 0.3 else (),
        missing_since=missing_since,
        case_id=case_id,
    )
    distance = (
        Distance.SAME_DISTRICT
        if place.code == child.home.code
        else Distance.SAME_STATE
        if place.state_code == child.home.state_code
        else Distance.OTHER_STATE
    )
    return Sighting(record, script, distance, place, age, changed, elapsed)


def _draw(weights: dict[T, float], rng: random.Random) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def found_in_time(child: Child, rng: random.Random, today: date, model: NoiseModel) -> bool:
    """Whether ``child`` is found by today and before turning 18 (the reports picked to be found are kept to these:
    ``sighting`` then draws the time until found within that span)."""
    return _found_on(child, rng, today, rng.random() < model.care) is not None


def _found(child: Child, rng: random.Random, today: date, model: NoiseModel) -> tuple[bool, date]:
    """Whether in care, and when found: drawn again until by today and before 18 (``found_in_time``)."""
    while True:
        care = rng.random() < model.care
        found_on = _found_on(child, rng, today, care)
        if found_on is not None:
            return care, found_on


def _found_on(child: Child, rng: random.Random, today: date, care: bool) -> date | None:
    """Most children turn up within weeks, some months later, a few years later; children's homes hold them longer.
    None when that is after today or after the child turns 18. (The date was once capped there instead: one found
    child in seven then turned up on the very day the data was made, and teenagers on the eve of their 18th birthday,
    as no register shows.)"""
    r = rng.random()
    days = int(rng.expovariate(1 / 15)) if r < 0.55 else rng.randint(60, 730) if r < 0.85 else rng.randint(730, 2920)
    if care:
        days += rng.randint(30, 700)
    found_on = child.missing_on + timedelta(days=days)
    adult = _add_years(child.birth, 18) - timedelta(days=1)  # still a child when found
    return found_on if found_on <= min(today, adult) else None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _age_float(birth: date, on: date) -> float:
    return (on - birth).days / 365.25


def _estimate(age: int, rng: random.Random, model: NoiseModel) -> int:
    """An officer's or doctor's estimate: off by up to ``age_error_max`` years, more often for young children; a
    small child's age badly guessed now and then (2-4 years either way), a teenager put down as an adult (18-21)."""
    sd = model.age_error_sd[0 if age <= 5 else 1 if age <= 11 else 2]
    error = max(-model.age_error_max, min(model.age_error_max, round(rng.gauss(0, sd))))
    if age <= 5 and rng.random() < model.young_misjudged:
        error = (1 if rng.random() < 0.5 else -1) * rng.randint(2, model.age_error_max)
    elif 14 <= age <= 17 and rng.random() < model.adult_looking:
        return rng.randint(18, min(model.estimate_max, age + model.age_error_max))
    return max(0, min(model.estimate_max, age + error))


def _names(
    child: Child, name_type: NameType, script: str, rng: random.Random, model: NoiseModel
) -> tuple[str | None, tuple[str, ...]] | None:
    """(name, guardian names) as the found record holds them, or None when this child cannot have ``name_type``."""
    if name_type is NameType.NAMELESS:
        return None, ()
    if name_type is NameType.FATHER_ONLY:
        father = child.father if rng.random() < 0.6 else child.father_given
        return None, (_respell(father, rng, model.guardian_variant),)
    name: str | None
    if name_type is NameType.FULL:
        name = child.name
    elif name_type is NameType.VARIANT:
        name = _variant(child, rng, model)
    elif name_type is NameType.SCRIPT:
        name = in_script(child.name, script, female=child.female)
    elif name_type is NameType.ABBREVIATION:
        name = abbreviate(child.name, rng) if abbreviable(child.name) else None
    elif name_type is NameType.SURNAME_DROPPED:
        name = _without_surname(child)
    elif name_type is NameType.FIRST_ONLY:
        name = child.given if child.given != child.name else None
    else:  # NICKNAME
        name = child.nick
    if name is None:
        return None
    if script == "Latin":
        if name_type in (NameType.FULL, NameType.VARIANT) and rng.random() < model.honorific:
            name = f"{rng.choice(HONORIFICS_FEMALE if child.female else HONORIFICS_MALE)} {name}"
        if rng.random() < model.upper_case:
            name = name.upper()
    guardians: tuple[str, ...] = ()
    if rng.random() < (model.nickname_guardian if name_type is NameType.NICKNAME else model.guardian_known):
        mother = rng.random() < 0.3
        parent = _respell(child.mother if mother else child.father, rng, model.guardian_variant)
        guardians = (in_script(parent, script, female=mother) if script != "Latin" else parent,)
    return name, guardians


def _without_surname(child: Child) -> str | None:
    """The name less its surname token (not the given name, when a boy is called Ram Ram)."""
    tokens = child.name.split()
    given = tokens.index(child.given)
    drop = next((i for i, t in enumerate(tokens) if t == child.surname and i != given), None)
    return " ".join(t for i, t in enumerate(tokens) if i != drop) if drop is not None else None


def _variant(child: Child, rng: random.Random, model: NoiseModel) -> str | None:
    rounds = 2 if rng.random() < model.variant_second_round else 1
    respelt = {child.given: variant_token(child.given, rng, rounds)}
    if child.surname and rng.random() < model.variant_surname:
        respelt[child.surname] = variant_token(child.surname, rng)
    name = " ".join(respelt.get(token, token) for token in child.name.split())
    return name if name != child.name else None


def _respell(name: str, rng: random.Random, rate: float) -> str:
    if rng.random() >= rate:
        return name
    tokens = name.split()
    at = rng.randrange(len(tokens))
    tokens[at] = variant_token(tokens[at], rng)
    return " ".join(tokens)
