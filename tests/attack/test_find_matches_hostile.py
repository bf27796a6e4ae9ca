"""findMatches' description from an outsider's hand, over real HTTP with the embedded issuer's tokens: every list and
string of ChildDescriptionInput at hostile sizes, control characters, ages, dates and points at their extremes.
Each is refused naming the field (BAD_USER_INPUT) or answered: never a 500, and no list long enough to hold the
matcher thread (1,000 common words as aliases and parents' names took 1.8 s at 100,000 cases, every other search
waiting behind it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.attack.test_new_doors_jurisdiction import Hub
from tests.factories import HOWRAH, WB, seed_catalogue, today
from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.resolvers.context import Services

FIND = """
query ($d: ChildDescriptionInput!, $first: Int = 10, $sources: [String!]) {
  findMatches(description: $d, first: $first, sources: $sources) { id score factors { field weight detail } }
}"""
MANY = 1000
HUGE = "Rahul " * 50_000  # 300,000 characters


@pytest.fixture
def live_hub(store: Services) -> Iterator[str]:
    with serving(create_app(store.settings)) as url:
        yield url


def _d(**fields: Any) -> dict[str, Any]:
    return {"state": WB, "district": HOWRAH, "eventDate": (today() - timedelta(days=3)).isoformat(), **fields}


# The field each is refused by: the HTTP edge's text rule (tests/http/test_text_arguments.py) names the variable's
# path ("d.name"); the description's own rules name "description.<field>".
REFUSED: dict[str, list[dict[str, Any]]] = {
    "description.aliases": [_d(aliases=[f"Monu{i}" for i in range(MANY)]), _d(aliases=["Monu"] * 6)],
    "description.guardianNames": [_d(guardianNames=["Suresh Kumar"] * MANY), _d(guardianNames=["Suresh"] * 5)],
    "description.identifyingMarks": [_d(identifyingMarks=["mole"] * MANY)],
    "description.languages": [_d(languages=["hi"] * MANY)],
    "description.languages.0": [_d(languages=["not a language"])],
    "d.aliases.0": [_d(aliases=["Mo\x00nu"])],
    "d.guardianNames.0": [_d(guardianNames=["Su\x07resh"])],
    "d.name": [_d(name=HUGE), _d(name="Ra\x00hul")],
    "d.clothing": [_d(clothing=HUGE), _d(clothing="red\x1bshirt")],
    "d.complexion": [_d(complexion=HUGE)],
    "description.ageYears": [_d(ageYears=22), _d(ageYears=-1)],
    "description.dateOfBirth": [
        _d(dateOfBirth="0001-01-01"),
        _d(dateOfBirth=(today() - timedelta(days=365 * 25)).isoformat()),  # 25 on the event date
        _d(dateOfBirth=(today() - timedelta(days=1)).isoformat()),  # after the event date
    ],
    "description.eventDate": [_d(eventDate="9999-12-31"), _d(eventDate="0001-01-01")],
    "description.latitude": [_d(latitude=90.0, longitude=88.3), _d(latitude=-1e308, longitude=88.3)],
    "description.longitude": [_d(latitude=22.5, longitude=180.0), _d(latitude=22.5, longitude=1e308)],
    "description.heightCm": [_d(heightCm=2**31 - 1)],
}
ANSWERED = [
    _d(name="Rahul", aliases=["Monu"] * 5, guardianNames=["Suresh"] * 4, identifyingMarks=["mole"] * 10),
    _d(name="Rahul\tKumar\n", clothing="red shirt,\r\nblue shorts"),  # white space folds
    _d(ageYears=21, dateOfBirth=(today() - timedelta(days=365 * 21 + 30)).isoformat()),
    _d(identifyingMarks=["a mole " * 400]),  # long, under the edge's limit: what the matcher reads is clipped
    _d(ageYears=0),
    _d(latitude=22.5),  # a latitude without a longitude: no point, no crash
    _d(state=None, district=None, latitude=8.1, longitude=77.5),  # Kanyakumari, far from every case
    _d(eventDate=(today() - timedelta(days=365 * 29)).isoformat()),
]


async def test_hostile_descriptions_are_refused_naming_the_field_or_answered(store: Services, live_hub: str) -> None:
    await seed_catalogue(store)
    async with httpx.AsyncClient(base_url=live_hub, timeout=60) as client:
        police = Hub(client, store, Agency.POLICE, state=WB, district=HOWRAH)
        wrong: list[object] = []
        for field, descriptions in REFUSED.items():
            for d in descriptions:
                status, body = await police.ask((FIND, {"d": d}))
                errors = httpx.Response(status, content=body).json().get("errors") or [{}]
                got = [(e.get("extensions", {}).get("code"), e.get("extensions", {}).get("field")) for e in errors]
                if status != 200 or got != [("BAD_USER_INPUT", field)]:
                    wrong.append((field, status, body[:200]))
        for d in ANSWERED:
            status, body = await police.ask((FIND, {"d": d}))
            if status != 200 or b'"errors"' in body:
                wrong.append((d, status, body[:200]))
        assert wrong == [], "\n".join(map(str, wrong))
        for first in (0, -1, 51):
            status, body = await police.ask((FIND, {"d": _d(), "first": first}))
            assert b'"field":"first"' in body, body[:300]
        status, body = await police.ask((FIND, {"d": _d(), "first": 2**31 - 1}))
        assert b'"code":"QUERY_TOO_COMPLEX"' in body, body[:300]  # the cost limit answers before the resolver
        status, body = await police.ask((FIND, {"d": _d(), "sources": ["x" * 100_000, "\x00"]}))
        assert b'"field":"sources.0"' in body, body[:300]
        assert len(body) < 2000  # the huge source is not echoed back
        status, body = await police.ask((FIND, {"d": _d(), "sources": ["x" * 9000] * 50}))
        assert b'"field":"sources"' in body, body[:300]
        assert len(body) < 2000
