"""Drawing a new child for a case: family, name as the record knows it, description and guardians.

What a record knows depends on who wrote it. Parents filing an FIR know everything; a Children's Home knows
what the CWC inquiry found; a child found on a platform may give only a nickname, or nothing at all.
"""

from __future__ import annotations

from datetime import date
from random import Random

from trackchild_hub.sandbox.demo import names as n
from trackchild_hub.sandbox.demo.children import (
    Child,
    Guardian,
    birth_date,
    clothing_for,
    complexion_for,
    height_for,
    languages_for,
    marks_for,
)
from trackchild_hub.sandbox.demo.people import Family, full_name, given_name, make_family, nickname
from trackchild_hub.sandbox.demo.places import Locale, mobile

GENDERS = ("FEMALE", "MALE", "TRANSGENDER", "UNKNOWN")
# Missing-children data skews to adolescents (runaways, trafficking, elopement); found and care records have
# more infants (abandonment).
AGE_WEIGHTS = {
    "MISSING": (2, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 9, 12, 15, 17, 16, 12),
    "FOUND": (8, 3, 2, 2, 3, 3, 4, 4, 4, 5, 6, 7, 9, 10, 11, 11, 10, 8),
    "CARE": (6, 3, 3, 3, 3, 4, 5, 6, 6, 7, 7, 8, 9, 9, 9, 9, 8, 6),
}
# (full name, given name only, nickname only, nameless) as each kind of record tends to hold them.
# A found child of two to five often can say only a pet name, or nothing.
NAME_STYLES = {"MISSING": (88, 10, 2, 0), "FOUND": (55, 22, 13, 10), "CARE": (62, 15, 8, 15)}
YOUNG_FOUND_STYLES = (15, 25, 25, 35)
DOB_KNOWN = {"MISSING": 0.45, "FOUND": 0.1, "CARE": 0.45}
HEIGHT_KNOWN = {"MISSING": 0.7, "FOUND": 0.6, "CARE": 0.55}
CLOTHING_KNOWN = {"MISSING": 0.9, "FOUND": 0.9, "CARE": 0.3}


def gender_and_age(rng: Random, kind: str) -> tuple[str, int]:
    # Girls are about 55% of missing children; an unknown gender only happens when a record was made without
    # seeing the child (FOUND/CARE entered from a telephone report).
    weights = (55.0, 43.5, 0.5, 0.0 if kind == "MISSING" else 1.0)
    gender = rng.choices(GENDERS, weights)[0]
    return gender, rng.choices(range(18), AGE_WEIGHTS[kind])[0]


def new_family(rng: Random, locale: Locale, scripted_share: float) -> Family:
    profile = locale.profile
    # Migrant families: Bihar/UP families in Kolkata, Mumbai and Delhi are common; the reverse is rare.
    if profile.culture == n.HINDI:
        culture = n.BENGALI if rng.random() < 0.05 else n.HINDI
    else:
        culture = n.HINDI if rng.random() < 0.2 else profile.culture
    muslim = rng.random() < profile.muslim_share
    # Registers are kept in the state's script, so only a family of the local culture gets written in it.
    scripted = rng.random() < scripted_share and culture == profile.culture
    return make_family(rng, culture, muslim, scripted)


def relative_name(rng: Random, family: Family) -> str:
    pool = n.MUSLIM_FATHERS if family.muslim else n.FATHERS
    surname = family.surname
    given = rng.choice(pool[family.culture])
    return f"Sk. {given}" if surname == "Sk" else f"{given} {surname}"


def _names(rng: Random, kind: str, family: Family, gender: str, age: int) -> tuple[str | None, tuple[str, ...]]:
    name_gender = gender if gender in ("MALE", "FEMALE") else rng.choice(("MALE", "FEMALE"))
    given = given_name(rng, family, name_gender)
    full = full_name(rng, family, given, name_gender)
    nick = nickname(rng, family.culture, name_gender)
    if kind == "MISSING" and age == 0 and rng.random() < 0.6:
        return None, (f"B/O {family.mother}",)  # newborns are registered as "baby of" their mother
    weights = YOUNG_FOUND_STYLES if kind == "FOUND" and age < 6 else NAME_STYLES[kind]
    style = rng.choices(("full", "given", "nick", "none"), weights)[0]
    if kind != "MISSING" and age <= 1 and rng.random() < 0.8:
        style = "none"  # an abandoned baby has no name until the CWC or an adoption agency gives one
    if style == "none":
        return None, ()
    if style == "nick":
        return None, (nick,)
    aliases = (nick,) if rng.random() < 0.35 else ()
    return (full if style == "full" else given), aliases


def _guardians(rng: Random, kind: str, family: Family, name: str | None, named: bool) -> tuple[Guardian, ...]:
    if kind != "MISSING" and not named:
        return ()  # nothing known about the child, so nothing about the family either
    options = {
        "MISSING": (("both", 75), ("father", 12), ("mother", 8), ("relative", 5)),
        "FOUND": (("none", 30), ("father_given", 30), ("father", 15), ("both", 15), ("mother", 10)),
        "CARE": (("both", 45), ("mother", 20), ("father", 10), ("relative", 8), ("none", 17)),
    }[kind]
    choice = rng.choices([o for o, _ in options], [w for _, w in options])[0]
    if kind != "MISSING" and name is None:
        # A child known only by a pet name can say little more about the family than "Papa is Suresh".
        choice = "father_given" if rng.random() < 0.4 else "none"
    # Parents reporting a missing child give their numbers; a found child rarely knows one.
    phone_share = {"MISSING": 0.9, "FOUND": 0.2, "CARE": 0.6}[kind]

    def phone() -> str | None:
        return mobile(rng) if rng.random() < phone_share else None

    result: list[Guardian] = []
    if choice in ("both", "father"):
        result.append(Guardian("FATHER", family.father, phone()))
    if choice == "father_given":
        result.append(Guardian("FATHER", family.father_given, None))  # all the child could say: "Papa is Suresh"
    if choice in ("both", "mother"):
        result.append(Guardian("MOTHER", family.mother, phone()))
    if choice == "relative":
        result.append(Guardian(rng.choice(("RELATIVE", "GUARDIAN")), relative_name(rng, family), phone()))
    if kind == "MISSING" and result and all(g.phone is None for g in result):
        first = result[0]
        result[0] = Guardian(first.relation, first.name, mobile(rng))  # whoever filed the FIR left a number
    return tuple(result)


def fresh_child(rng: Random, kind: str, locale: Locale, family: Family, on: date, gender: str, age: int) -> Child:
    """A child never recorded before, as a record of ``kind`` made on ``on`` describes them."""
    name, aliases = _names(rng, kind, family, gender, age)
    named = name is not None or bool(aliases)
    dob = birth_date(rng, age, on) if named and rng.random() < DOB_KNOWN[kind] else None
    height = height_for(rng, age, gender) if rng.random() < HEIGHT_KNOWN[kind] else None
    clothing = clothing_for(rng, age, gender) if rng.random() < CLOTHING_KNOWN[kind] else None
    return Child(
        family=family,
        gender=gender,
        age=age,
        on=on,
        dob=dob,
        name=name,
        aliases=aliases,
        height_cm=height,
        complexion=complexion_for(rng),
        marks=marks_for(rng, age),
        languages=languages_for(rng, family, age, locale.profile.languages[0]),
        clothing=clothing,
        guardians=_guardians(rng, kind, family, name, named),
        scripted=family.scripted,
    )
