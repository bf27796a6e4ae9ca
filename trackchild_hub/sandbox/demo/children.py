"""A demo child: who they are (:class:`Child`) and how one record describes them (the ``child`` dict).

The same :class:`Child` can be described twice, differently: once by the parents in an FIR, once by a
Children's Home months later. Keeping the truth apart from its description is what lets the demo plant
believable duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.names import BENGALI, HINDI, MARATHI, words
from trackchild_hub.sandbox.demo.people import Family

MARKS = (
    "mole on left cheek",
    "mole above upper lip",
    "burn mark on right hand",
    "burn scar on left forearm",
    "scar on forehead",
    "cut mark above right eyebrow",
    "birthmark on neck",
    "black birthmark on back",
    "six fingers on left hand",
    "missing front tooth",
    "stitch mark on chin",
    "tattoo 'Om' on right forearm",
    "mother's name tattooed on left hand",
    "squint in left eye",
    "pierced nose",
    "limps slightly (left leg)",
    "speech difficulty",
    "dog-bite scar on right calf",
    "white patch on right hand",
)
_COLOURS = words("red blue green yellow black white grey maroon pink orange brown purple sky_blue navy_blue cream")
_BOY_CLOTHES = (
    "{0} shirt, {1} shorts",
    "{0} t-shirt, {1} jeans",
    "school uniform (white shirt, {1} trousers)",
    "{0} vest and {1} half-pant",
    "{0} kurta-pyjama",
    "{0} hooded jacket, {1} track pants",
)
_GIRL_CLOTHES = (
    "{0} salwar kameez with {1} dupatta",
    "{0} frock",
    "{0} top, {1} leggings",
    "school uniform (white shirt, {1} skirt)",
    "{0} kurti, {1} jeans",
)
_INFANT_CLOTHES = ("wrapped in a {0} towel", "{0} baby suit", "wrapped in an old {0} cloth")
# Median height (cm) by completed year of age, roughly the Indian growth charts.
_HEIGHT = (66, 76, 86, 95, 102, 108, 114, 120, 125, 130, 135, 140, 146, 152, 157, 160, 162, 163)
_FIRST_LANGUAGE = {HINDI: "hi", BENGALI: "bn", MARATHI: "mr"}


@dataclass(frozen=True, slots=True)
class Guardian:
    relation: str  # FATHER | MOTHER | GUARDIAN | RELATIVE
    name: str  # Latin letters; the record may show it in script
    phone: str | None


@dataclass(frozen=True, slots=True)
class Child:
    family: Family
    gender: str
    age: int  # completed years on ``on``
    on: date
    dob: date | None
    name: str | None  # Latin letters
    aliases: tuple[str, ...]
    height_cm: int | None
    complexion: str | None
    marks: tuple[str, ...]
    languages: tuple[str, ...]
    clothing: str | None
    guardians: tuple[Guardian, ...] = field(default=())
    # Show names in the family's script (only ever true for families that write in one).
    scripted: bool = False

    def described(self) -> dict[str, Any]:
        """The exchange record's ``child`` object."""
        show = self.family.written if self.scripted else _latin
        return {
            "name": show(self.name) if self.name else None,
            "aliases": list(self.aliases),
            "gender": self.gender,
            "age_years": self.age,
            "date_of_birth": self.dob.isoformat() if self.dob else None,
            "height_cm": self.height_cm,
            "complexion": self.complexion,
            "identifying_marks": list(self.marks),
            "languages": list(self.languages),
            "clothing": self.clothing,
            "guardians": [{"relation": g.relation, "name": show(g.name), "phone": g.phone} for g in self.guardians],
        }

    def with_changes(self, **changes: Any) -> Child:
        return replace(self, **changes)


def _latin(name: str) -> str:
    return name


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def birth_date(rng: Random, age: int, on: date) -> date:
    """A date of birth that makes the child exactly ``age`` completed years old on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1)
    span = (latest - earliest).days  # earliest itself would already be age + 1
    dob = date.fromordinal(latest.toordinal() - rng.randrange(span))
    return dob if age_on(dob, on) == age else latest


def height_for(rng: Random, age: int, gender: str) -> int:
    median = _HEIGHT[age] - (4 if gender == "FEMALE" and age >= 14 else 0)
    spread = 4 if age < 2 else 7
    return max(45, round(rng.gauss(median, spread / 2)))


def clothing_for(rng: Random, age: int, gender: str) -> str:
    c0, c1 = rng.sample(_COLOURS, 2)
    if age < 2:
        return rng.choice(_INFANT_CLOTHES).format(c0, c1)
    pool = _GIRL_CLOTHES if gender == "FEMALE" else _BOY_CLOTHES
    text = rng.choice(pool).format(c0, c1)
    if rng.random() < 0.3:
        text += f", {rng.choice(_COLOURS)} rubber chappals"
    return text


def marks_for(rng: Random, age: int) -> tuple[str, ...]:
    if age < 2:
        return ("birthmark on neck",) if rng.random() < 0.2 else ()
    count = rng.choices((0, 1, 2), (35, 45, 20))[0]
    return tuple(rng.sample(MARKS, count))


def languages_for(rng: Random, family: Family, age: int, local: str) -> tuple[str, ...]:
    """What the child speaks: the family's language, sometimes Urdu/Bhojpuri/Maithili, and the local language
    when the family lives outside its home region."""
    if age < 2:
        return ()
    spoken = [_FIRST_LANGUAGE[family.culture]]
    if age >= 4:
        if family.muslim and family.culture == HINDI and rng.random() < 0.4:
            spoken.append("ur")
        elif family.culture == HINDI and rng.random() < 0.2:
            spoken.append(rng.choice(("bho", "mai")))
        if local not in spoken and local != "en" and rng.random() < 0.6:
            spoken.append(local)
        if age >= 10 and rng.random() < 0.15:
            spoken.append("en")
    return tuple(spoken)


def complexion_for(rng: Random) -> str | None:
    return rng.choices(("wheatish", "dark", "fair", None), (45, 30, 12, 13))[0]
