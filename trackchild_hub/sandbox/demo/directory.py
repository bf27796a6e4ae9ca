"""Directory entries: police stations and the child-protection bodies around them.

For every district that has police stations the demo adds the bodies the JJ Act gives each district (CWC, JJB,
DCPU, SJPU); AHTUs, hospitals and legal services authorities are sparser, as they are on the ground.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Any

from trackchild_hub.domain.geography import State
from trackchild_hub.sandbox.demo.places import Locale, address, jitter, landline, mobile, pin_code, slug

KIND_CODES = {
    "POLICE_STATION": "PS",
    "CHILD_CARE_INSTITUTION": "CCI",
    "CHILD_WELFARE_COMMITTEE": "CWC",
    "JUVENILE_JUSTICE_BOARD": "JJB",
    "DISTRICT_CHILD_PROTECTION_UNIT": "DCPU",
    "STATE_CHILD_PROTECTION_SOCIETY": "SCPS",
    "SPECIAL_JUVENILE_POLICE_UNIT": "SJPU",
    "ANTI_HUMAN_TRAFFICKING_UNIT": "AHTU",
    "HELPLINE": "HELP",
    "HOSPITAL": "HOSP",
    "LEGAL_SERVICES_AUTHORITY": "DLSA",
}
OFFICE_HOURS = ("10:00-17:30 Mon-Sat", "10:30-17:00 Mon-Fri", "10:00-17:00 Mon-Sat", "11:00-16:30 Mon-Sat")


@dataclass(frozen=True, slots=True)
class Station:
    id: str
    district: str
    name: str
    locality: str


@dataclass(slots=True)
class DirectoryBuilder:
    """Collects entries in creation order and numbers them per kind and state."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    _serials: dict[tuple[str, str], int] = field(default_factory=dict)

    def next_id(self, kind: str, state: str | None) -> str:
        key = (kind, state or "IN")
        self._serials[key] = self._serials.get(key, 0) + 1
        return f"DIR-{KIND_CODES[kind]}-{key[1]}-{self._serials[key]:03d}"

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        self.entries.append(entry)
        return entry


def languages(rng: Random, locale: Locale) -> list[str]:
    """What staff speak: the state's main languages, often one more, and English."""
    spoken = list(locale.profile.languages[:2])
    extra = locale.profile.languages[2:]
    if extra and rng.random() < 0.4:
        spoken.append(rng.choice(extra))
    if "en" not in spoken:
        spoken.append("en")
    return spoken


def police_domain(state: State, locale: Locale | None = None) -> str:
    if locale is not None and locale.profile.police_domain:
        return locale.profile.police_domain
    return f"{state.abbreviation.lower()}police.gov.in"


def body_entry(
    rng: Random,
    builder: DirectoryBuilder,
    kind: str,
    name: str,
    locale: Locale,
    *,
    district_level: bool = True,
    hours: str | None = None,
    email: str | None = None,
    phones: list[str] | None = None,
    building: str | None = None,
    entry_id: str | None = None,
    code: str | None = None,
    institution: str | None = None,
    pin: str | None = None,
    point: tuple[float | None, float | None] | None = None,
    locality: str | None = None,
) -> dict[str, Any]:
    state = locale.state.code
    pin = pin or pin_code(rng, locale)
    lat, lon = point if point is not None else jitter(rng, locale.centre)
    return builder.add(
        {
            "id": entry_id or builder.next_id(kind, state),
            "kind": kind,
            "name": name,
            "code": code,
            "state": state,
            "district": locale.district.code if district_level else None,
            "address": address(rng, locale, locality or locale.localities[0], building, pin),
            "pin_code": pin,
            "latitude": lat,
            "longitude": lon,
            "phones": phones if phones is not None else [landline(rng, locale)],
            "email": email,
            "hours": hours or rng.choice(OFFICE_HOURS),
            "languages": languages(rng, locale),
            "institution": institution,
        }
    )


def national_helpline(rng: Random, builder: DirectoryBuilder) -> None:
    """CHILDLINE 1098 is national: no state or district. Its phones are the control room's E.164 numbers."""
    builder.add(
        {
            "id": builder.next_id("HELPLINE", None),
            "kind": "HELPLINE",
            "name": "CHILDLINE 1098 (national child helpline)",
            "code": None,
            "state": None,
            "district": None,
            "address": "Dial 1098 from any phone, free of charge, day or night",
            "pin_code": None,
            "latitude": None,
            "longitude": None,
            "phones": [f"+91221098{rng.randrange(10**4):04d}", mobile(rng)],
            "email": "dial1098@wcd.gov.in",
            "hours": "24x7",
            "languages": ["hi", "en", "bn", "mr", "ur", "ta", "te", "kn", "ml", "gu", "pa", "or", "as"],
            "institution": None,
        }
    )


def state_bodies(rng: Random, builder: DirectoryBuilder, capital: Locale) -> None:
    """State Child Protection Society and the state's 1098 control room, both sitting in the capital."""
    state = capital.state
    abbr = state.abbreviation.lower()
    body_entry(
        rng,
        builder,
        "STATE_CHILD_PROTECTION_SOCIETY",
        f"{state.name} State Child Protection Society",
        capital,
        district_level=False,
        hours="10:00-17:30 Mon-Fri",
        email=f"scps-{abbr}@nic.in",
        phones=[landline(rng, capital), landline(rng, capital)],
        building="Social Welfare Bhawan",
    )
    body_entry(
        rng,
        builder,
        "HELPLINE",
        f"Child Helpline 1098, {state.name} State Control Room",
        capital,
        district_level=False,
        hours="24x7",
        email=f"childhelpline.{abbr}@gov.in",
        phones=[landline(rng, capital), mobile(rng)],
        building="Women and Child Development Directorate",
    )


def police_stations(rng: Random, builder: DirectoryBuilder, locale: Locale, count: int) -> list[Station]:
    state, district = locale.state.code, locale.district.code
    stations: list[Station] = []
    for i in range(1, count + 1):
        locality = locale.localities[(i - 1) % len(locale.localities)]
        name = f"{locality} Police Station"
        if i > 1 and rng.random() < 0.08:
            name = f"Mahila Police Station, {locale.name}"  # women's police stations, one per district at most
            if any(s.name == name for s in stations):
                name = f"{locality} Police Station"
        station_id = f"PS-{state}-{district}-{i:03d}"
        officer = "oc" if locale.profile.culture == "bengali" else "sho"
        body_entry(
            rng,
            builder,
            "POLICE_STATION",
            name,
            locale,
            entry_id=station_id,
            code=f"{state:0>2}{district:0>3}{i:03d}",
            hours="24x7",
            email=f"{officer}.{slug(locality)}@{police_domain(locale.state, locale)}" if rng.random() < 0.85 else None,
            phones=[landline(rng, locale), mobile(rng)] if rng.random() < 0.7 else [landline(rng, locale)],
            building=f"{locality} Thana" if locale.profile.culture != "marathi" else f"{locality} Police Chowki",
            locality=locality,
        )
        stations.append(Station(station_id, district, name, locality))
    return stations


def district_bodies(rng: Random, builder: DirectoryBuilder, locale: Locale, ahtu: bool, extras: bool) -> None:
    """CWC, JJB, DCPU and SJPU for a district with police stations; AHTU, hospital and DLSA when asked."""
    d, s = locale.name, slug(locale.name)
    domain = police_domain(locale.state, locale)
    hospital = "Sadar Hospital" if locale.state.code == "10" else "District Hospital"  # Bihar says "Sadar"
    # Many district bodies really do run on free webmail; police units use the police domain.
    bodies: list[tuple[str, str, str, str | None, str | None, bool]] = [
        (
            "CHILD_WELFARE_COMMITTEE",
            "Child Welfare Committee",
            "Collectorate Building",
            None,
            "cwc.gmail",
            False,
        ),
        (
            "JUVENILE_JUSTICE_BOARD",
            "Juvenile Justice Board",
            "Old Court Building",
            "10:30-16:30 Mon-Sat",
            None,
            False,
        ),
        (
            "DISTRICT_CHILD_PROTECTION_UNIT",
            "District Child Protection Unit",
            "Vikas Bhawan",
            None,
            "dcpu.gmail",
            True,
        ),
        (
            "SPECIAL_JUVENILE_POLICE_UNIT",
            "Special Juvenile Police Unit",
            "SP Office",
            "24x7",
            f"sjpu.{domain}",
            True,
        ),
    ]
    if ahtu:
        bodies.append(
            (
                "ANTI_HUMAN_TRAFFICKING_UNIT",
                "Anti Human Trafficking Unit",
                "Police Lines",
                "24x7",
                f"ahtu.{domain}",
                True,
            )
        )
    if extras:
        bodies.append(("HOSPITAL", hospital, hospital, "24x7", "msdh.gmail", True))
        bodies.append(
            (
                "LEGAL_SERVICES_AUTHORITY",
                "District Legal Services Authority",
                "District Court",
                None,
                "nic",
                False,
            )
        )
    for kind, title, building, hours, mail, two_phones in bodies:
        email = None
        if mail is not None and rng.random() < 0.85:
            prefix, _, host = mail.partition(".")
            email = f"dlsa.{s}@nic.in" if mail == "nic" else f"{prefix}.{s}@{'gmail.com' if host == 'gmail' else host}"
        phones = [landline(rng, locale), mobile(rng)] if two_phones else [landline(rng, locale)]
        name = f"{title}, {d}"
        body_entry(rng, builder, kind, name, locale, email=email, building=building, hours=hours, phones=phones)
