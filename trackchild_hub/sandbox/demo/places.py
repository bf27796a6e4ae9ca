"""Per-district texture drawn once (PIN base, STD code, localities, centre point) and the helpers using it.

Drawing these once per district, in geography order, keeps every entry of a district consistent (same PIN
range, same STD code) and keeps the output independent of which entries get generated first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

from trackchild_hub.domain.geography import District, State
from trackchild_hub.sandbox.demo.regions import (
    DEFAULT_PROFILE,
    KNOWN_DISTRICTS,
    LOCALITY_ROOTS,
    LOCALITY_SUFFIXES,
    PROFILES,
    ROADS,
    StateProfile,
)

# Mobile number series (first two digits after +91) handed out by Indian operators.
_MOBILE_SERIES = (
    "98",
    "97",
    "96",
    "94",
    "93",
    "91",
    "90",
    "89",
    "88",
    "87",
    "80",
    "79",
    "78",
    "77",
    "76",
    "70",
    "63",
    "62",
)
JITTER_KM = 12.0  # entries sit within this distance of the district centre (the brief allows ~15 km)


@dataclass(frozen=True, slots=True)
class Locale:
    """A district as the demo sees it."""

    district: District
    state: State
    profile: StateProfile
    pin_base: str  # first three digits shared by the district's PIN codes
    std_code: str
    centre: tuple[float, float] | None  # HQ coordinates, or a stand-in from the state's other districts
    localities: tuple[str, ...]  # distinct area names; the first is the district town
    station: str  # main railway station
    hub_rank: int | None  # position among its state's rail hubs (0 = busiest); None if not a hub
    capital: bool  # seat of the state-level bodies

    @property
    def name(self) -> str:
        return self.district.name

    @property
    def hub(self) -> bool:
        return self.hub_rank is not None


def district_key(name: str) -> str:
    """The lookup key for the regional tables: lower case, without a trailing " delhi" or " city"."""
    key = " ".join(name.lower().split())
    for suffix in (" delhi", " city"):
        if key.endswith(suffix) and key != "new delhi":
            return key.removesuffix(suffix)
    return key


def profile_of(state_code: str) -> StateProfile:
    return PROFILES.get(state_code, DEFAULT_PROFILE)


def _centre_of_state(state: State) -> tuple[float, float] | None:
    points = [(d.latitude, d.longitude) for d in state.districts if d.latitude is not None and d.longitude is not None]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _pin_base(rng: Random, profile: StateProfile, state_prefix: str) -> str:
    prefix = rng.choice(profile.pin_prefixes) if profile.pin_prefixes else state_prefix
    while len(prefix) < 3:
        prefix += str(rng.randrange(10))
    return prefix


def locality_name(rng: Random, culture: str) -> str:
    root, suffix = rng.choice(LOCALITY_ROOTS[culture]), rng.choice(LOCALITY_SUFFIXES[culture])
    return f"{root} {suffix[1:]}" if suffix.startswith("_") else root + suffix


def locales(rng: Random, states: list[State]) -> dict[str, Locale]:
    """One :class:`Locale` per district of ``states``, keyed by district code."""
    result: dict[str, Locale] = {}
    for state in states:
        profile = profile_of(state.code)
        # A state the table does not know still gets one PIN region, as real states do.
        state_prefix = str(rng.randint(1, 9))
        fallback = _centre_of_state(state)
        hubs = [district_key(h) for h in profile.rail_hubs]
        for district in state.districts:
            key = district_key(district.name)
            known = KNOWN_DISTRICTS.get(key)
            pin = known.pin_base if known else _pin_base(rng, profile, state_prefix)
            std = known.std_code if known else rng.choice(profile.std_codes or ("1", "2", "3", "4", "5", "6"))
            if len(std) == 1:  # unknown state: invent a plausible three-digit code
                std += f"{rng.randint(10, 99)}"
            centre = fallback
            if district.latitude is not None and district.longitude is not None:
                centre = (district.latitude, district.longitude)
            places = list(known.localities) if known else []
            while len(places) < 10:
                place = locality_name(rng, profile.culture)
                if place not in places:
                    places.append(place)
            short = len(district.name.split()) <= 2 and not any(ch.isdigit() for ch in district.name)
            station = known.station if known else f"{district.name if short else places[0]} railway station"
            result[district.code] = Locale(
                district=district,
                state=state,
                profile=profile,
                pin_base=pin,
                std_code=std,
                centre=centre,
                localities=tuple(places),
                station=station,
                hub_rank=hubs.index(key) if key in hubs else None,
                capital=key == profile.capital,
            )
    return result


def jitter(rng: Random, centre: tuple[float, float] | None) -> tuple[float | None, float | None]:
    """A point within :data:`JITTER_KM` of ``centre``; the square root spreads points evenly over the disc."""
    if centre is None:
        return None, None
    lat, lon = centre
    r = JITTER_KM * math.sqrt(rng.random())
    theta = rng.uniform(0.0, 2 * math.pi)
    dlat = r * math.cos(theta) / 111.0
    dlon = r * math.sin(theta) / (111.0 * max(math.cos(math.radians(lat)), 0.2))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def pin_code(rng: Random, locale: Locale) -> str:
    # Delhi's PINs run 110001-110096; elsewhere a district's post offices fill roughly the first 150 numbers.
    top = 96 if locale.pin_base == "110" else 150
    return f"{locale.pin_base}{rng.randint(1, top):03d}"


def mobile(rng: Random) -> str:
    return f"+91{rng.choice(_MOBILE_SERIES)}{rng.randrange(10**8):08d}"


def landline(rng: Random, locale: Locale) -> str:
    # STD code plus subscriber number is always ten digits; fixed-line numbers usually start with 2.
    rest = 10 - len(locale.std_code) - 1
    return f"+91{locale.std_code}2{rng.randrange(10**rest):0{rest}d}"


def address(rng: Random, locale: Locale, locality: str, building: str | None = None, pin: str | None = None) -> str:
    head = building or f"{rng.randint(1, 240)}"
    road = rng.choice(ROADS)
    pin = pin or pin_code(rng, locale)
    town = "" if locality == locale.name else f"{locality}, "
    return f"{head}, {road}, {town}{locale.name}, {locale.state.name} {pin}"


def slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def short_code(name: str) -> str:
    """A three-letter district code for order numbers ("Howrah" -> "HWR"): initial, then consonants."""
    letters = [ch for ch in name.upper() if ch.isascii() and ch.isalpha()]
    if not letters:
        return "DST"
    picked = [letters[0]] + [ch for ch in letters[1:] if ch not in "AEIOU"]
    code = "".join(picked)[:3]
    return code if len(code) == 3 else "".join(letters[:3]).ljust(3, "X")
