"""Families and how their names are put together, following each naming culture's conventions.

A family is drawn once, so a child's name and the guardians' names agree the way they do in life:
"Rahul Kumar" with father "Suresh Prasad Yadav" and mother "Sunita Devi"; "Sairaj Sunil Patil" with father
"Sunil Patil"; "Sk. Rafiq" with father "Sk. Salim" and mother "Salma Bibi".
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from trackchild_hub.sandbox.demo import names as n
from trackchild_hub.sandbox.demo.spellings import in_script, script_for


@dataclass(frozen=True, slots=True)
class Family:
    culture: str
    muslim: bool
    surname: str
    father_given: str
    father: str
    mother: str
    # Names in this family's records are written in Devanagari or Bengali script rather than Latin letters.
    scripted: bool

    def written(self, name: str) -> str:
        """``name`` as this family's records show it."""
        return in_script(name, self.culture) if self.scripted else name


def _pick(rng: Random, pool: tuple[str, ...], scripted: bool, culture: str) -> str:
    # A scripted family draws only names the script table can spell, so the whole record converts.
    if scripted:
        table = script_for(culture)
        spellable = [x for x in pool if x in table]
        if spellable:
            return rng.choice(spellable)
    return rng.choice(pool)


def make_family(rng: Random, culture: str, muslim: bool, scripted: bool) -> Family:
    c = culture

    def pick(pool: tuple[str, ...]) -> str:
        return _pick(rng, pool, scripted, c)

    if muslim:
        surname = pick(n.MUSLIM_SURNAMES[c])
        father_given = pick(n.MUSLIM_FATHERS[c])
        mother_given = pick(n.MUSLIM_MOTHERS[c])
        if surname == "Sk":
            father = f"Sk. {father_given}"
        elif c == n.HINDI and rng.random() < 0.5:
            father = f"{pick(n.MUSLIM_PREFIXES[c])} {father_given} {surname}"
        else:
            father = f"{father_given} {surname}"
        endings = n.MUSLIM_MOTHER_ENDINGS[c]
        mother = f"{mother_given} {pick(endings) if endings else surname}"
    else:
        surname = pick(n.SURNAMES[c])
        father_given = pick(n.FATHERS[c])
        mother_given = pick(n.MOTHERS[c])
        father, mother = f"{father_given} {surname}", f"{mother_given} {surname}"
        if c == n.HINDI:
            if surname != "Kumar" and rng.random() < 0.35:
                father = f"{father_given} {pick(n.HINDI_MIDDLES)} {surname}"
            if rng.random() < 0.65:
                mother = f"{mother_given} Devi"
        elif c == n.BENGALI and rng.random() < 0.25:
            mother = f"{mother_given} {pick(n.BENGALI_MOTHER_MIDDLES)} {surname}"
        elif c == n.MARATHI and rng.random() < 0.5:
            # Marathi wives and children carry the husband's/father's given name as a middle name.
            mother = f"{mother_given} {father_given} {surname}"
    return Family(c, muslim, surname, father_given, father, mother, scripted)


def given_name(rng: Random, family: Family, gender: str) -> str:
    c = family.culture
    if family.muslim:
        pool = n.MUSLIM_GIRLS[c] if gender == "FEMALE" else n.MUSLIM_BOYS[c]
    else:
        pool = n.GIRLS[c] if gender == "FEMALE" else n.BOYS[c]
    return _pick(rng, pool, family.scripted, c)


def full_name(rng: Random, family: Family, given: str, gender: str) -> str:
    """The child's name as the family would state it, in Latin letters."""
    c, s, girl = family.culture, family.surname, gender == "FEMALE"
    if family.muslim:
        if girl:
            endings = n.MUSLIM_GIRL_ENDINGS[c]
            if endings and rng.random() < 0.6:
                return f"{given} {rng.choice(endings)}"
            return f"{given} {s}" if s != "Sk" else given
        if s == "Sk":
            return f"{rng.choice(('Sk.', 'Sk'))} {given}"
        if c == n.MARATHI and rng.random() < 0.5:
            return f"{given} {family.father_given} {s}"
        prefix = f"{rng.choice(n.MUSLIM_PREFIXES[c])} " if rng.random() < 0.5 else ""
        return f"{prefix}{given} {s}"
    if c == n.HINDI:
        kumar = "Kumari" if girl else "Kumar"
        if s == "Kumar":
            return f"{given} {kumar}"
        roll = rng.random()
        if roll < 0.4:
            return f"{given} {kumar}"
        return f"{given} {s}" if roll < 0.85 else f"{given} {kumar} {s}"
    if c == n.MARATHI and rng.random() < 0.5:
        return f"{given} {family.father_given} {s}"
    return f"{given} {s}"


def nickname(rng: Random, culture: str, gender: str) -> str:
    return rng.choice(n.NICKNAMES[(culture, "FEMALE" if gender == "FEMALE" else "MALE")])


def drop_surname(name: str) -> str:
    """What is left when a child gives only a first name ("Sk. Rafiq" keeps its prefix-surname as is)."""
    parts = name.split(" ")
    if len(parts) < 2 or parts[0] in ("Sk.", "Sk"):
        return name
    if parts[0] in ("Md.", "Mohd.", "Md", "Mohd", "Mohammad"):
        return " ".join(parts[:2])
    return parts[0]
