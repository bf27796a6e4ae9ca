"""Signed photo links against an outsider's query strings, over real HTTP: an expiry written in digits that are not
ASCII ("²", which ``str.isdigit`` takes and ``int`` refuses, or Arabic-Indic digits ``int`` reads) was a 500 (the
connection dropped) or a second spelling of a valid link; every such link is the same 404 as a bad one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.http.test_photos import attach, encoded, reported, token
from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.domain.photo_urls import link_valid, signature
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Photos, Settings

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


async def test_an_expiry_in_other_digits_is_a_plain_404(store: Services, tmp_path: Path) -> None:
    settings: Settings = replace(store.settings, photos=Photos(folder=tmp_path / "photos"))
    case = await reported(store)
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            answer = await attach(client, token(settings), case["id"], encoded("PNG"))
            url = httpx.URL(answer.json()["data"]["attachCasePhoto"]["child"]["photoUrl"])
            exp, sig = url.params["exp"], url.params["sig"]
            assert (await client.get(f"{url.path}?exp={exp}&sig={sig}")).status_code == 200  # the premise
            for spelled in ("²", "¹²³", exp.translate(ARABIC_INDIC), "1" * 13, "-1", ""):
                answer = await client.get(f"{url.path}?exp={quote(spelled)}&sig={sig}")
                assert (answer.status_code, answer.text) == (404, "not found"), spelled
            assert (await client.get("/healthz")).status_code == 200


def test_link_valid_takes_ascii_digits_only() -> None:
    key, photo = b"k" * 32, "a" * 32
    assert link_valid(key, photo, "4102444800", signature(key, photo, 4102444800), now=0)
    assert not link_valid(key, photo, "4102444800".translate(ARABIC_INDIC), signature(key, photo, 4102444800), now=0)
    assert not link_valid(key, photo, "²", "0" * 64, now=0)
