"""Case exchange records, one per case: MISSING (with FIR), FOUND and CARE.

Each builder takes the child and where/when the event happened from its caller, so a fresh child and a child
found again (see ``pairs``) go through the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.children import Child
from trackchild_hub.sandbox.demo.directory import Station
from trackchild_hub.sandbox.demo.identities import fresh_child, gender_and_age, new_family
from trackchild_hub.sandbox.demo.places import Locale, jitter, landline, mobile, short_code
from trackchild_hub.sandbox.demo.world import World, pick_home, stamp

_CITIES = ("Delhi", "Mumbai", "Surat", "Kolkata", "Bengaluru", "Tiruppur", "Ludhiana", "Jaipur", "Hyderabad")
# (youngest, oldest, where last seen, circumstances)
_MISSING_SCENES = (
    (0, 1, "maternity ward, {hospital}", "Taken from the maternity ward by a woman posing as a relative"),
    (0, 5, "{rail}, platform {p}", "Taken from beside the mother while she slept on the platform"),
    (
        2,
        5,
        "outside the family's home at {loc}",
        "Was playing outside the house; went missing within minutes",
    ),
    (2, 12, "{loc} mela ground", "Separated from the family in the crowd at the mela"),
    (6, 12, "near the pond behind {loc} school", "Went to play near the pond and did not return"),
    (6, 12, "{loc} market", "Sent to the shop to buy milk; did not return"),
    (6, 14, "tuition centre at {loc}", "Did not return from tuition"),
    (8, 17, "outside the family's home at {loc}", "Left home after being scolded over studies"),
    (12, 17, "{loc}, near the high school", "Left home for school in the morning and did not return"),
    (13, 17, "{loc} bus stand", "Left with a man from a nearby village who promised work in {city}"),
    (13, 17, "{rail}, platform {p}", "Seen boarding a train towards {city} with a labour contractor"),
    (15, 17, "village {village}, {district}", "Left home at night; family suspects she eloped"),
    (
        13,
        17,
        "{loc} market",
        "Chatted for weeks with a stranger met on social media; left home in the evening",
    ),
)
# (infants only?, where found, who finds children there)
_FOUND_SCENES = (
    (False, "{rail}, platform {p}", ("GRP, {rail}", "RPF, {rail}", "Childline volunteer, {rail}")),
    (False, "{loc} bus stand", ("{ps}", "Childline volunteer", "passer-by")),
    (False, "roadside near {loc} crossing", ("{ps} patrol", "passer-by")),
    (False, "outside the temple at {loc}", ("passer-by", "{ps}")),
    (
        False,
        "dhaba on the highway near {loc}",
        ("AHTU, {district}", "Operation Muskaan team, {district} Police"),
    ),
    (False, "brick kiln near {village}", ("AHTU, {district}", "Labour Department raid team, {district}")),
    (False, "zari workshop at {loc}", ("AHTU, {district}", "Operation Muskaan team, {district} Police")),
    (True, "abandoned near the gate of {hospital}", ("hospital staff", "passer-by")),
    (True, "cradle baby reception point, {hospital}", ("hospital staff",)),
    (True, "bushes near {village}", ("villagers", "{ps} patrol")),
)
_HOME_LABELS = {
    "CHILDRENS_HOME": "Children's Home",
    "OBSERVATION_HOME": "Observation Home",
    "SPECIAL_HOME": "Special Home",
    "PLACE_OF_SAFETY": "Place of Safety",
    "SPECIALISED_ADOPTION_AGENCY": "Specialised Adoption Agency",
    "OPEN_SHELTER": "Open Shelter",
}
_REPORTER_RELATION = {"FATHER": "father", "MOTHER": "mother", "RELATIVE": "uncle", "GUARDIAN": "guardian"}


@dataclass(slots=True)
class Draft:
    """A record before numbering; ``truth`` is the MISSING draft of the same child, for planted duplicates."""

    record: dict[str, Any]
    child: Child
    locale: Locale
    truth: Draft | None = None


@dataclass(slots=True)
class Ledger:
    """Serial numbers already handed out, so FIR and CWC order numbers never repeat in one office-year."""

    used: set[tuple[str, int, int]] = field(default_factory=set)

    def serial(self, rng: Random, office: str, day: date) -> int:
        # A busy office registers a few a day, so the serial grows through the year.
        day_of_year = day.timetuple().tm_yday
        ceiling = max(5, int(day_of_year * rng.uniform(0.8, 3.0)))
        for _ in range(20):
            serial = rng.randint(1, ceiling)
            if (office, day.year, serial) not in self.used:
                break
        else:
            # A crowded office-year (large seeds): the next free number above the usual range; never loops forever.
            serial = ceiling + 1
            while (office, day.year, serial) in self.used:
                serial += 1
        self.used.add((office, day.year, serial))
        return serial


def _hospital(locale: Locale) -> str:
    return f"{'Sadar' if locale.state.code == '10' else 'District'} Hospital, {locale.name}"


def _fill(rng: Random, template: str, locale: Locale, station: Station | None) -> str:
    return template.format(
        hospital=_hospital(locale),
        rail=locale.station,
        p=rng.randint(1, 12),
        loc=station.locality if station else rng.choice(locale.localities),
        village=rng.choice(locale.localities[3:] or locale.localities),
        district=locale.name,
        city=rng.choice(_CITIES),
        ps=station.name if station else "local police",
    )


def _place(
    rng: Random, locale: Locale, station: Station | None, text: str, point: tuple[float, float] | None = None
) -> dict[str, Any]:
    lat, lon = point if point is not None else jitter(rng, locale.centre)
    return {
        "state": locale.state.code,
        "district": locale.district.code,
        "police_station": station.id if station else None,
        "text": text,
        "latitude": lat,
        "longitude": lon,
    }


def _status(rng: Random, weights: tuple[int, int, int]) -> str:
    return rng.choices(("OPEN", "RESOLVED", "CLOSED"), weights)[0]


def _record(
    kind: str, reported_at: str, status: str, child: Child, place: dict[str, Any], event: date
) -> dict[str, Any]:
    return {
        "kind": kind,
        "source": "demo",
        "external_id": None,  # numbered once all records are sorted by report time
        "reference": None,
        "reported_at": reported_at,
        "status": status,
        "fir": None,
        "child": child.described(),
        "place": place,
        "event_date": event.isoformat(),
    }


def missing(rng: Random, world: World, ledger: Ledger) -> Draft:
    locale = world.district(rng)
    event = world.past_day(rng)
    family = new_family(rng, locale, scripted_share=0.07)  # Hindi and Bengali FIRs keep names in script
    gender, age = gender_and_age(rng, "MISSING")
    child = fresh_child(rng, "MISSING", locale, family, event, gender, age)
    station = world.station(rng, locale.district.code)
    scenes = [s for s in _MISSING_SCENES if s[0] <= age <= s[1] and (s[0] < 15 or gender == "FEMALE")]
    _, _, where, why = rng.choice(scenes)
    reported = world.later(event, rng.choices((0, 1, 2, 3, 5, 7, 15, 30), (40, 25, 12, 8, 5, 4, 4, 2))[0])
    # Since 2013 every missing-child complaint must be registered as an FIR, usually on the day it is made.
    fir_day = reported if rng.random() < 0.85 else event + timedelta(days=rng.randint(0, (reported - event).days))
    recent = (world.today - event).days < 30
    record = _record(
        "MISSING",
        stamp(rng, reported),
        _status(rng, (90, 9, 1) if recent else (65, 28, 7)),
        child,
        _place(rng, locale, station, _fill(rng, where, locale, station)),
        event,
    )
    office = station.id if station else locale.district.code
    record["fir"] = {
        "number": f"{ledger.serial(rng, office, fir_day)}/{fir_day.year}",
        "date": fir_day.isoformat(),
    }
    teller = next((g for g in child.guardians if g.phone), None)
    if teller is not None:
        name = child.family.written(teller.name) if child.scripted else teller.name
        reporter = {"name": name, "relation": _REPORTER_RELATION[teller.relation], "phone": teller.phone}
    else:
        reporter = {
            "name": new_family(rng, locale, 0.0).father,
            "relation": "neighbour",
            "phone": mobile(rng),
        }
    last_seen = f"{rng.randint(6, 22):02d}:{rng.randrange(0, 60, 5):02d}" if rng.random() < 0.8 else None
    record["missing"] = {
        "circumstances": _fill(rng, why, locale, station),
        "last_seen_time": last_seen,
        "reporter": reporter,
    }
    return Draft(record, child, locale)


def _finder(rng: Random, template: str, locale: Locale, station: Station | None) -> tuple[str, str | None]:
    finder = _fill(rng, template, locale, station)
    if finder in ("passer-by", "villagers"):
        # Members of the public sometimes leave a number, sometimes do not.
        who = new_family(rng, locale, 0.0).father
        return f"{finder} ({who})", mobile(rng) if rng.random() < 0.6 else None
    return finder, landline(rng, locale) if rng.random() < 0.5 else mobile(rng)


def found(rng: Random, world: World, child: Child, locale: Locale, *, paired: bool) -> Draft:
    """A FOUND record for ``child``, found in ``locale`` on ``child.on``."""
    event = child.on
    station = world.station(rng, locale.district.code) if rng.random() < 0.7 else None
    scenes = [s for s in _FOUND_SCENES if s[0] == (child.age <= 1)]
    # Rail hubs are where most runaway and trafficked children are found: half their finds are on platforms.
    on_platform = locale.hub and not scenes[0][0] and rng.random() < 0.5
    scene = scenes[0] if on_platform else rng.choice(scenes)
    _, where, finders = scene
    found_by, contact = _finder(rng, rng.choice(finders), locale, station)
    status = "OPEN" if paired else _status(rng, (70, 24, 6))
    home = None
    if status == "RESOLVED":
        placement = "Restored to family by CWC order"
    else:
        home = pick_home(
            rng,
            world,
            child.age,
            child.gender,
            district=locale.district.code,
            state=locale.state.code,
            care_and_protection=True,
        )
        if home is not None and rng.random() < 0.75:
            placement = f"{_HOME_LABELS[home['type']]}: {home['name']}"
        else:
            home = None
            placement = (
                f"Admitted to {_hospital(locale)} (SNCU)"
                if child.age <= 1
                else f"With Childline, to be produced before CWC {locale.name}"
            )
    reported = world.later(event, rng.choices((0, 1, 2), (70, 20, 10))[0])
    place = _place(rng, locale, station, _fill(rng, where, locale, station))
    record = _record("FOUND", stamp(rng, reported), status, child, place, event)
    record["found"] = {
        "found_by": found_by,
        "found_by_contact": contact,
        "current_placement": placement,
        "institution": home["registration_number"] if home else None,
    }
    return Draft(record, child, locale)


def care(rng: Random, world: World, ledger: Ledger, child: Child, home: dict[str, Any], *, paired: bool) -> Draft:
    """A CARE record: ``child`` admitted to ``home`` on ``child.on`` by a CWC order."""
    locale = world.locales[home["district"]]
    admitted = child.on
    ordered = admitted - timedelta(days=rng.choices((0, 1, 2, 3), (60, 20, 12, 8))[0])
    exit_day = None
    if not paired and rng.random() < 0.3:
        candidate = admitted + timedelta(days=rng.randint(15, 540))
        exit_day = candidate if candidate <= world.today else None
    status = "OPEN" if exit_day is None else _status(rng, (0, 70, 30))
    station = world.station(rng, locale.district.code) if rng.random() < 0.3 else None
    point = (home["latitude"], home["longitude"]) if home["latitude"] is not None else None
    place = _place(rng, locale, station, home["name"], point)
    reported = world.later(admitted, rng.choices((0, 1, 3, 7), (50, 25, 15, 10))[0])
    record = _record("CARE", stamp(rng, reported), status, child, place, admitted)
    serial = ledger.serial(rng, f"CWC-{locale.district.code}", ordered)
    order_no = f"CWC/{short_code(locale.name)}/{ordered.year}/{serial}"
    record["care"] = {
        "institution": home["registration_number"],
        "admission_order": {"number": order_no, "date": ordered.isoformat()},
        "admission_date": admitted.isoformat(),
        "exit_date": exit_day.isoformat() if exit_day else None,
    }
    return Draft(record, child, locale)


def fresh_found(rng: Random, world: World) -> Draft:
    locale = world.district(rng, hub_bias=3)
    event = world.past_day(rng)
    gender, age = gender_and_age(rng, "FOUND")
    family = new_family(rng, locale, scripted_share=0.03)
    child = fresh_child(rng, "FOUND", locale, family, event, gender, age)
    return found(rng, world, child, locale, paired=False)


def fresh_care(rng: Random, world: World, ledger: Ledger) -> Draft:
    event = world.past_day(rng)
    gender, age = gender_and_age(rng, "CARE")
    home = pick_home(rng, world, age, gender)
    for _ in range(20):  # a tiny demo may have no home for this child; draw another child
        if home is not None:
            break
        gender, age = gender_and_age(rng, "CARE")
        home = pick_home(rng, world, age, gender)
    if home is None:
        home = rng.choice(world.institutions)
    locale = world.locales[home["district"]]
    family = new_family(rng, locale, scripted_share=0.03)
    child = fresh_child(rng, "CARE", locale, family, event, gender, age)
    return care(rng, world, ledger, child, home, paired=False)
