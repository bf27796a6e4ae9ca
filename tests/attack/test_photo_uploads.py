"""Hostile uploads at attachCasePhoto over real HTTP: a JPEG/HTML polyglot is kept only as a clean re-encoded JPEG
(no byte of the HTML served back), a truncated JPEG and a PNG declaring 100,000 x 100,000 pixels are BAD_USER_INPUT
naming the photo with nothing written, 100 file parts are a 400, and a body claiming a 1 GB part is cut off after
the allowance (streamed, not read to the end, the process's memory bounded) while /healthz keeps answering."""

from __future__ import annotations

import json
import resource
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx

from tests.auth.test_jurisdiction_http import _rows
from tests.http.test_photos import PREFLIGHT, attach, noise_jpeg, png_header_only, reported, token
from tests.live_server import serving
from trackchild_hub.app import create_app
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Photos, Settings

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _kept(folder: Path) -> list[Path]:
    return list(folder.glob("photos/*"))


def _settings(store: Services, tmp_path: Path) -> Settings:
    return replace(store.settings, photos=Photos(folder=tmp_path / "photos"))


async def test_a_polyglot_is_served_back_as_a_clean_jpeg_only(store: Services, tmp_path: Path) -> None:
    settings = _settings(store, tmp_path)
    case = await reported(store)
    polyglot = noise_jpeg(32) + HTML  # a JPEG viewer shows the image, a browser sniffing it sees a page
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            answer = (await attach(client, token(settings), case["id"], polyglot, filename="x.html")).json()
            assert "errors" not in answer, answer
            served = await client.get(
                httpx.URL(answer["data"]["attachCasePhoto"]["child"]["photoUrl"]).raw_path.decode()
            )
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.content.startswith(b"\xff\xd8\xff")
    assert b"<script" not in served.content
    assert b"<html" not in served.content


async def test_truncated_and_bomb_images_are_bad_input_and_write_nothing(store: Services, tmp_path: Path) -> None:
    settings = _settings(store, tmp_path)
    case = await reported(store)
    before = await _rows(store)
    whole = noise_jpeg(64)
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for content in (whole[: len(whole) // 2], whole[:20], png_header_only(100_000, 100_000)):
                answer = (await attach(client, token(settings), case["id"], content)).json()
                [error] = answer["errors"]
                assert (error["extensions"]["code"], error["extensions"]["field"]) == ("BAD_USER_INPUT", "photo"), error
    assert await _rows(store) == before
    assert not _kept(tmp_path)  # no file kept either


async def test_a_hundred_file_parts_are_a_400(store: Services, tmp_path: Path) -> None:
    settings = _settings(store, tmp_path)
    case = await reported(store)
    query = "mutation($c: ID!, $p: Upload!) { attachCasePhoto(caseId: $c, photo: $p) { id } }"
    operations = {"query": query, "variables": {"c": case["id"], "p": None}}
    files = [(str(n), (f"{n}.jpg", b"\xff\xd8\xff", "image/jpeg")) for n in range(100)]
    with serving(create_app(settings)) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            answer = await client.post(
                "/graphql",
                data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.p"]})},
                files=files,
                headers={**token(settings), **PREFLIGHT},
            )
    assert answer.status_code == 400
    assert "at most 2 files" in answer.json()["errors"][0]["message"]


async def _stream(
    base: str, headers: dict[str, str], head: bytes, total: int, path: str = "/graphql"
) -> tuple[int | None, int, float]:
    """POST ``head`` then 1 MiB chunks up to ``total`` bytes: (status or None if the hub closed on us, bytes the
    hub took before it answered or closed, MiB the process's peak memory grew; the server runs in this process)."""
    sent, chunk = 0, b"\xff" * (1 << 20)

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield head
        while sent < total:
            sent += len(chunk)
            yield chunk

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        try:
            status: int | None = (await client.post(path, content=body(), headers=headers)).status_code
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
            status = None  # the hub answered and closed while the rest was still being sent
        assert (await client.get("/healthz")).status_code == 200
    return status, sent, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024


GIGABYTE = 1 << 30


async def test_a_multipart_body_claiming_a_gigabyte_is_cut_off_without_reading_it(
    store: Services, tmp_path: Path
) -> None:
    settings = _settings(store, tmp_path)
    case = await reported(store)
    boundary = "attackboundary"
    operations = json.dumps(
        {
            "query": "mutation($c: ID!, $p: Upload!) { attachCasePhoto(caseId: $c, photo: $p) { id } }",
            "variables": {"c": case["id"], "p": None},
        }
    )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{operations}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{"0": ["variables.p"]}}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    headers = {
        **token(settings),
        **PREFLIGHT,
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + GIGABYTE),
    }
    with serving(create_app(settings)) as base:
        status, sent, grown_mb = await _stream(base, headers, head, GIGABYTE)
    assert status in (413, None)
    assert sent < GIGABYTE // 8, sent  # cut off, not drained to the end (the allowance is ~11 MB)
    assert grown_mb < 200, grown_mb


async def test_a_json_body_claiming_a_gigabyte_is_cut_off_without_holding_it(store: Services) -> None:
    """A JSON POST's body was read whole into memory before its size was checked (request.body()): 1 GB from anyone,
    no token needed, was held before the 413."""
    head = b'{"query": "{ me { subject } }", "variables": {"x": "'
    for declared in (True, False):  # with a Content-Length that says so, and chunked without one
        headers = {"Content-Type": "application/json"}
        if declared:
            headers["Content-Length"] = str(len(head) + GIGABYTE)
        with serving(create_app(store.settings)) as base:
            status, sent, grown_mb = await _stream(base, headers, head, GIGABYTE)
        assert status in (413, None), declared
        assert sent < GIGABYTE // 8, (declared, sent)
        assert grown_mb < 200, (declared, grown_mb)


async def test_a_token_request_claiming_a_gigabyte_is_cut_off_without_holding_it(store: Services) -> None:
    """The embedded issuer's /oauth/token read its whole body (request.body()) too: bounded to 16 KiB now."""
    head = b"grant_type=client_credentials&client_id=demo-police&scope="
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    with serving(create_app(store.settings)) as base:
        status, sent, grown_mb = await _stream(base, headers, head, GIGABYTE, path="/oauth/token")
    assert status in (413, None)
    assert sent < GIGABYTE // 8, sent
    assert grown_mb < 200, grown_mb
