"""Child Care Institutions (JJ Act homes) and their directory entries.

Each state's first homes follow a fixed pattern (a girls' home, a boys' home, an adoption agency, an open
shelter, an observation home) so that even a small demo has somewhere to place every child the cases produce.
"""

from __future__ import annotations

from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.directory import DirectoryBuilder, body_entry
from trackchild_hub.sandbox.demo.names import words
from trackchild_hub.sandbox.demo.places import Locale, address, jitter, landline, mobile, pin_code, slug

_PATTERN = (
    ("CHILDRENS_HOME", "FEMALE"),
    ("CHILDRENS_HOME", "MALE"),
    ("SPECIALISED_ADOPTION_AGENCY", "ANY"),
    ("OPEN_SHELTER", "MALE"),
    ("OBSERVATION_HOME", "MALE"),
)
_TYPE_WEIGHTS = {
    "CHILDRENS_HOME": 45,
    "OPEN_SHELTER": 18,
    "SPECIALISED_ADOPTION_AGENCY": 14,
    "OBSERVATION_HOME": 12,
    "SPECIAL_HOME": 5,
    "PLACE_OF_SAFETY": 6,
}
_CAPACITY = {
    "CHILDRENS_HOME": (40, 150),
    "OPEN_SHELTER": (25, 50),
    "SPECIALISED_ADOPTION_AGENCY": (25, 40),
    "OBSERVATION_HOME": (50, 150),
    "SPECIAL_HOME": (25, 75),
    "PLACE_OF_SAFETY": (25, 60),
}
# Homes for children in conflict with law are run by the state; the rest are mostly NGOs.
_GOVERNMENT_SHARE = {
    "CHILDRENS_HOME": 0.4,
    "OPEN_SHELTER": 0.15,
    "SPECIALISED_ADOPTION_AGENCY": 0.5,
    "OBSERVATION_HOME": 1.0,
    "SPECIAL_HOME": 1.0,
    "PLACE_OF_SAFETY": 1.0,
}
_SHORT = {
    "CHILDRENS_HOME": "ch",
    "OPEN_SHELTER": "os",
    "SPECIALISED_ADOPTION_AGENCY": "saa",
    "OBSERVATION_HOME": "oh",
    "SPECIAL_HOME": "sh",
    "PLACE_OF_SAFETY": "pos",
}
_NGO_NAMES = words(
    "Anandashram Snehadeep Asha_Niketan Kishore_Kendra Aashray Navjeevan Sukanya Prerna Jeevan_Jyoti Sathi "
    "Tarini Ujala Nanhe_Kadam Apna_Ghar Snehalaya Uday Disha Sahyog Kiran Deepshikha Nirmal_Chhaya Roshni"
)


def _gender_for(rng: Random, kind: str) -> str:
    if kind == "SPECIALISED_ADOPTION_AGENCY":
        return "ANY"
    if kind == "OPEN_SHELTER":
        return rng.choices(("MALE", "ANY", "FEMALE"), (6, 3, 1))[0]
    if kind == "SPECIAL_HOME":
        return "MALE"
    if kind == "CHILDRENS_HOME":
        return rng.choices(("FEMALE", "MALE", "ANY"), (45, 45, 10))[0]
    return rng.choices(("MALE", "FEMALE"), (85, 15))[0]


def _name(rng: Random, kind: str, gender: str, government: bool, locale: Locale) -> str:
    d = locale.name
    who = {"FEMALE": "Girls", "MALE": "Boys", "ANY": "Children"}[gender]
    # "Rajkiya Bal Grih" is how Uttar Pradesh and Bihar name their government children's homes.
    hindi_belt = locale.state.code in ("9", "10")
    ngo = rng.choice(_NGO_NAMES)
    if kind == "CHILDRENS_HOME":
        if government and hindi_belt:
            return f"Rajkiya Bal Grih ({'Balika' if gender == 'FEMALE' else 'Balak'}), {d}"
        if government:
            return f"Government Children's Home for {who}, {d}"
        return f"{ngo} Children's Home" + ("" if gender == "ANY" else f" for {who}")
    if kind == "SPECIALISED_ADOPTION_AGENCY":
        return f"Shishu Grih, {d}" if government else f"{ngo} Specialised Adoption Agency"
    if kind == "OPEN_SHELTER":
        return f"{ngo} Open Shelter for {who}"
    if kind == "OBSERVATION_HOME":
        return f"Observation Home for {who}, {d}"
    if kind == "SPECIAL_HOME":
        return f"Special Home for {who}, {d}"
    return f"Place of Safety for {who}, {d}"


def institutions(rng: Random, builder: DirectoryBuilder, sites: list[Locale]) -> list[dict[str, Any]]:
    """One institution (and its CHILD_CARE_INSTITUTION directory entry) per site, in ``sites`` order."""
    result: list[dict[str, Any]] = []
    per_state: dict[str, int] = {}
    serials: set[tuple[str, int]] = set()
    names: set[str] = set()
    mailboxes: set[str] = set()
    kinds, weights = list(_TYPE_WEIGHTS), list(_TYPE_WEIGHTS.values())
    for locale in sites:
        state = locale.state
        index = per_state.get(state.code, 0)
        per_state[state.code] = index + 1
        if index < len(_PATTERN):
            kind, gender = _PATTERN[index]
        else:
            kind = rng.choices(kinds, weights)[0]
            gender = _gender_for(rng, kind)
        government = rng.random() < _GOVERNMENT_SHARE[kind]
        name = _name(rng, kind, gender, government, locale)
        while name in names:  # two NGO homes may draw the same name; the second gets its district added
            name = f"{name}, {locale.name}" if locale.name not in name else f"{name} II"
        names.add(name)
        serial = rng.randint(1, 999)
        while (state.code, serial) in serials:
            serial = rng.randint(1, 999)
        serials.add((state.code, serial))
        registration = f"{state.abbreviation}/CCI/{rng.randint(2016, 2023)}/{serial:04d}"
        low, high = _CAPACITY[kind]
        pin = pin_code(rng, locale)
        locality = rng.choice(locale.localities)
        lat, lon = jitter(rng, locale.centre)
        phone = landline(rng, locale) if rng.random() < 0.6 else mobile(rng)
        mailbox = f"supdt.{_SHORT[kind]}.{slug(locale.name)}" if government else slug(name)[:18]
        while mailbox in mailboxes:  # a second government home of one type in the district
            mailbox += "2"
        mailboxes.add(mailbox)
        email = f"{mailbox}@{state.abbreviation.lower()}.gov.in" if government else f"{mailbox}@gmail.com"
        home: dict[str, Any] = {
            "registration_number": registration,
            "name": name,
            "type": kind,
            "run_by": "GOVERNMENT" if government else "NGO",
            "gender_served": gender,
            "capacity": rng.randint(low, high),
            "address": address(rng, locale, locality, None, pin),
            "state": state.code,
            "district": locale.district.code,
            "pin_code": pin,
            "phone": phone,
            "email": email,
            "latitude": lat,
            "longitude": lon,
        }
        result.append(home)
        entry = body_entry(
            rng,
            builder,
            "CHILD_CARE_INSTITUTION",
            name,
            locale,
            hours="24x7",
            email=email,
            phones=[phone],
            institution=registration,
            pin=pin,
            point=(lat, lon),
        )
        entry["address"] = home["address"]  # the same home: one address in both lists
    return result
