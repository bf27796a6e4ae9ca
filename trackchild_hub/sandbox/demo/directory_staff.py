"""The people and links of the demo directory: functionaries of each body, the SJPU and AHTU covering each police
station, the PIN codes each station covers, and a few entries overdue for verification (for the quality report).

Runs after everything else on its own random stream, so the entries, institutions and cases stay as they were.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.people import make_family
from trackchild_hub.sandbox.demo.places import Locale, mobile, slug

# What each body's people are called; police stations in West Bengal have an Officer-in-Charge, elsewhere an SHO.
POSTS: dict[str, tuple[str, ...]] = {
    "POLICE_STATION": ("Station House Officer", "Child Welfare Police Officer"),
    "CHILD_WELFARE_COMMITTEE": ("Chairperson", "Member"),
    "JUVENILE_JUSTICE_BOARD": ("Principal Magistrate",),
    "DISTRICT_CHILD_PROTECTION_UNIT": ("District Child Protection Officer", "Protection Officer (Institutional Care)"),
    "SPECIAL_JUVENILE_POLICE_UNIT": ("Nodal Officer (DSP)",),
    "ANTI_HUMAN_TRAFFICKING_UNIT": ("Inspector-in-Charge",),
    "STATE_CHILD_PROTECTION_SOCIETY": ("Programme Manager",),
}
STALE_SHARE = 0.06


def staff_directory(rng: Random, entries: list[dict[str, Any]], places: dict[str, Locale], today: date) -> None:
    """Add ``functionaries``, ``sjpu``/``ahtu``, ``covers_pin_codes`` and ``last_verified_on`` to ``entries``."""
    units: dict[tuple[str, str | None], str] = {
        (e["kind"], e["district"]): e["id"]
        for e in entries
        if e["kind"] in ("SPECIAL_JUVENILE_POLICE_UNIT", "ANTI_HUMAN_TRAFFICKING_UNIT")
    }
    capitals = {p.state.code: p for p in places.values() if p.capital}
    for entry in entries:
        locale = places.get(entry["district"] or "") or capitals.get(entry["state"] or "")
        if entry["kind"] == "POLICE_STATION":
            entry["sjpu"] = units.get(("SPECIAL_JUVENILE_POLICE_UNIT", entry["district"]))
            entry["ahtu"] = units.get(("ANTI_HUMAN_TRAFFICKING_UNIT", entry["district"]))
            entry["covers_pin_codes"] = [entry["pin_code"]]
        posts = POSTS.get(entry["kind"], ())
        entry["functionaries"] = [_person(rng, post, entry, locale) for post in posts if locale is not None]
        if rng.random() < STALE_SHARE:
            entry["last_verified_on"] = (today - timedelta(days=rng.randint(400, 900))).isoformat()


def _person(rng: Random, post: str, entry: dict[str, Any], locale: Locale) -> dict[str, Any]:
    culture = locale.profile.culture
    family = make_family(rng, culture, rng.random() < locale.profile.muslim_share, False)
    name = family.mother if rng.random() < 0.3 else family.father
    if post == "Station House Officer" and culture == "bengali":
        post = "Officer-in-Charge"
    user = slug(post.split()[0])[:8] + "." + slug(locale.name)
    domain = (entry.get("email") or "@nic.in").split("@", 1)[1]
    return {
        "designation": post,
        "name": name,
        "phones": [mobile(rng)],
        "email": f"{user}@{domain}" if rng.random() < 0.7 else None,
    }
