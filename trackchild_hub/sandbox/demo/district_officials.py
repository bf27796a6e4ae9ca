"""The demo's District Magistrates and Superintendents of Police, so `make run` sends each district's daily digest
(README "Alerts"): the directory has no Collectorate or SP's office, so they are listed as functionaries of the
district's DCPU (the DM chairs the District Child Protection Committee) and of its SJPU.

Runs last, on its own random stream: every other entry, institution and case stays as it was.
"""

from __future__ import annotations

from random import Random
from typing import Any

from trackchild_hub.sandbox.demo.people import make_family
from trackchild_hub.sandbox.demo.places import Locale, mobile, slug

POSTS = {
    "DISTRICT_CHILD_PROTECTION_UNIT": ("District Magistrate & Collector", "dm"),
    "SPECIAL_JUVENILE_POLICE_UNIT": ("Superintendent of Police", "sp"),
}


def list_district_officials(rng: Random, entries: list[dict[str, Any]], places: dict[str, Locale]) -> None:
    """Add the district's DM to each DCPU entry's functionaries, and its SP to each SJPU entry's."""
    for entry in entries:
        post = POSTS.get(entry["kind"])
        locale = places.get(entry.get("district") or "")
        if post is None or locale is None:
            continue
        designation, user = post
        family = make_family(rng, locale.profile.culture, rng.random() < locale.profile.muslim_share, False)
        entry.setdefault("functionaries", []).append(
            {
                "designation": designation,
                "name": family.mother if rng.random() < 0.4 else family.father,
                "phones": [mobile(rng)],
                "email": f"{user}-{slug(locale.name)}@nic.in",
            }
        )
