"""One phone written in other scripts' digits, over real HTTP: ``normalise_phone`` matched ``\\d``, which takes every
script's digits, so "98300 १२३४५" was stored as "+9198300१२३४५", a phone no SMS gateway takes, and counted apart
from "98300 12345": a sender got five reports per script past the per-phone limit. Digits of any script are now the
same number in ASCII (a family may well type Devanagari digits), and the limit counts them as one phone."""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest

from tests.factories import seed_catalogue
from tests.live_server import serving
from tests.schema.test_citizen_reports import SIGHTING, sighting_input
from trackchild_hub.app import create_app
from trackchild_hub.directories.entries import _phones
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.phone import normalise_phone
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import RateLimits

# The same number: ASCII, then its last five digits in Devanagari, Bengali, Arabic-Indic, full-width and Thai.
SPELLINGS = ("98300 12345", "98300 १२३४५", "98300 ১২৩৪৫", "98300 ١٢٣٤٥", "98300 １２３４５", "98300 ๑๒๓๔๕")


def test_every_script_s_digits_are_the_ascii_number() -> None:
    assert {normalise_phone(s) for s in SPELLINGS} == {"+919830012345"}
    assert normalise_phone("९८३०० १२३४५") == "+919830012345"
    assert normalise_phone("98300 1234²") is None  # a superscript is no decimal digit


async def test_other_scripts_digits_count_as_the_same_phone(store: Services) -> None:
    await seed_catalogue(store)
    settings = replace(store.settings, rate_limits=RateLimits(public_writes_per_ip=None))  # the per-phone limit only
    codes = []
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for phone in SPELLINGS:
                body = {"query": SIGHTING, "variables": {"input": sighting_input(contactPhone=phone)}}
                answer = json.loads((await client.post("/graphql", json=body)).content)
                codes.append(answer["errors"][0]["extensions"]["code"] if "errors" in answer else "OK")
    assert codes == ["OK"] * 5 + ["RATE_LIMITED"]


def test_a_directory_short_code_in_other_digits_is_refused() -> None:
    assert _phones("phones", ("1098", "112")) == ("1098", "112")
    with pytest.raises(BadUserInput, match=r"phones\.0"):  # Arabic-Indic digits after an ASCII 1: kept as typed
        _phones("phones", ("1٠٩٨",))
