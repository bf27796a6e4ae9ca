"""Children's photos over HTTP, on both databases: ``attachCasePhoto`` as a GraphQL multipart request (the whole app
behind an in-process client, real tokens of the embedded issuer), the served bytes opened again with Pillow, the
signed ``/photos`` links, ``Child.photoUrl`` per role and ``PublicNotice.photoUrl`` under the officer's consent."""

from __future__ import annotations

import io
import json
import struct
import time
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PIL import Image, PngImagePlugin
from PIL.ExifTags import IFD
from sqlalchemy import select

from tests.factories import HOWRAH, KOLKATA, WB, data, hub_client, missing_input, run, seed_catalogue, today
from tests.schema.test_citizen_reports import report_input, sighting_input
from trackchild_hub.app import dev_issuer
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import ROLE_SCOPES, Agency
from trackchild_hub.domain.photo_urls import signed_path
from trackchild_hub.resolvers.context import Services
from trackchild_hub.settings import Photos, Settings
from trackchild_hub.store.models import PhotoRow
from trackchild_hub.store.photo_url_key import photo_url_key

CWC = Principal.for_agency(Agency.CWC, subject="cwc-howrah")
REPORT = "mutation($input: ReportMissingInput!) { reportMissing(input: $input) { id version } }"
ATTACH = """mutation($caseId: ID!, $photo: Upload!, $consent: Boolean) {
  attachCasePhoto(caseId: $caseId, photo: $photo, consentToPublish: $consent) {
    id events { type actor } ... on MissingCase { child { photoUrl } } } }"""
PHOTO_OF = "query($id: ID!) { case(id: $id) { ... on MissingCase { child { photoUrl } } } }"
CONSENT = """mutation($id: ID!, $version: Int!) {
  updateCase(input: {id: $id, version: $version, publicationConsent: true}) { version } }"""
NOTICES = "{ publicNotices { edges { node { id photoUrl } } } }"
WITHDRAW = """mutation($id: ID!) {
  withdrawCasePhotoPublication(caseId: $id) { events { type actor } ... on MissingCase { child { photoUrl } } } }"""
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
GPS_LATITUDE = (22.0, 35.0, 0.0)


def jpeg_with_gps() -> bytes:
    """A 40x20 JPEG a phone might send: EXIF with GPS and orientation 6 (rotate 90° clockwise), XMP, a comment."""
    image = Image.new("RGB", (40, 20), (200, 10, 10))
    exif = Image.Exif()
    exif[274] = 6
    gps = exif.get_ifd(IFD.GPSInfo)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (88.0, 20.0, 0.0)})
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    image.save(out, "JPEG", exif=exif, xmp=xmp, comment=b"taken at Howrah")
    raw = out.getvalue()
    assert dict(Image.open(io.BytesIO(raw)).getexif().get_ifd(IFD.GPSInfo))[2] == GPS_LATITUDE  # the test's premise
    return raw


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "22.58N 88.34E")
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def encoded(fmt: str, size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, fmt)
    return out.getvalue()


def noise_jpeg(side: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), bytes((i * 7919) % 251 for i in range(side * side * 3))).save(out, "JPEG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims ``width`` x ``height`` pixels: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.fixture
def settings(store: Services, tmp_path: Path) -> Settings:
    """The store's settings with a photo folder of the test's own (the database is emptied per test, files not)."""
    return replace(store.settings, photos=Photos(folder=tmp_path / "photos"))


def token(settings: Settings, client: str = "demo-police", **claims: str) -> dict[str, str]:
    issuer = dev_issuer(settings)
    return {"Authorization": f"Bearer {issuer.issue(issuer.clients[client], **claims)}"}


async def attach(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    case_id: str,
    content: bytes,
    *,
    filename: str = "photo.jpg",
    declared: str = "image/jpeg",
    consent: bool | None = None,
    preflight: bool = True,
) -> httpx.Response:
    operations = {"query": ATTACH, "variables": {"caseId": case_id, "photo": None, "consent": consent}}
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.photo"]})},
        files={"0": (filename, content, declared)},
        headers={**headers, **(PREFLIGHT if preflight else {})},
    )


async def reported(store: Services, *, confidential: bool = False, seed: bool = True) -> dict[str, Any]:
    if seed:
        await seed_catalogue(store)
    child = {**missing_input()["child"], "confidential": confidential}
    case: dict[str, Any] = data(await run(store, REPORT, {"input": missing_input(child=child)}, principal=CWC))
    return case["reportMissing"]


def served_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    return await client.get(served_path(url))


def bad_input(response: httpx.Response) -> tuple[str, str, str]:
    body = response.json()
    assert body["data"] is None, body
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("field"), error["message"]


async def test_a_jpeg_with_gps_comes_back_upright_with_no_metadata_at_all(store: Services, settings: Settings) -> None:
    case = await reported(store)
    uploaded = jpeg_with_gps()
    async with hub_client(settings) as client:
        answer = await attach(client, token(settings), case["id"], uploaded)
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), answer.text
        attached = answer.json()["data"]["attachCasePhoto"]
        served = await fetch(client, attached["child"]["photoUrl"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    cache = served.headers["cache-control"]
    assert cache.startswith("private, max-age=")
    assert 0 < int(cache.split("=")[1]) <= 300
    image = Image.open(io.BytesIO(served.content))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(image.info)
    assert b"Exif" not in served.content
    assert b"xmpmeta" not in served.content
    assert b"Howrah" not in served.content
    assert image.size == (20, 40)  # turned upright as the EXIF orientation said, before the EXIF was dropped
    [event] = [e for e in attached["events"] if e["type"] == "PHOTO_ATTACHED"]
    assert event["actor"] == "demo-police"  # who attached it
    async with store.sessions() as session:
        [row] = (await session.scalars(select(PhotoRow))).all()
    assert (row.case_id, row.publish, row.created_by, row.width, row.height) == (
        case["id"],
        False,
        "demo-police",
        20,
        40,
    )
    files = list(settings.photo_dir.iterdir())
    assert [f.name for f in files] == [row.id]  # one file, named by its random id, no leftovers
    assert files[0].read_bytes() == served.content != uploaded  # the uploaded bytes were never kept


@pytest.mark.parametrize(("fmt", "content"), [("PNG", png_with_text()), ("WEBP", encoded("WEBP"))])
async def test_png_and_webp_are_taken_and_kept_as_clean_jpeg(
    store: Services, settings: Settings, fmt: str, content: bytes
) -> None:
    case = await reported(store)
    async with hub_client(settings) as client:
        # Declared as a GIF named .gif: the bytes decide, not what the sender says.
        answer = await attach(client, token(settings), case["id"], content, filename="x.gif", declared="image/gif")
        url = answer.json()["data"]["attachCasePhoto"]["child"]["photoUrl"]
        served = await fetch(client, url)
    image = Image.open(io.BytesIO(served.content))
    assert (image.format, image.size, image.mode) == ("JPEG", (16, 16), "RGB")
    assert not {"exif", "xmp", "Location", "transparency"} & set(image.info), fmt


async def test_not_an_image_a_gif_and_a_decompression_bomb_are_bad_input_naming_the_photo(
    store: Services, settings: Settings
) -> None:
    case = await reported(store)
    bombs = {
        "text renamed .jpg": (b"this is not a photo\n" * 10, "not a JPEG, PNG or WebP image"),
        "gif": (encoded("GIF"), "not a JPEG, PNG or WebP image"),
        "bomb past Pillow's own limit": (png_header_only(50_000, 50_000), "pixels allowed"),
        "bomb past the hub's limit": (png_header_only(8_000, 8_000), "more than the 40000000 allowed"),
        "corrupt": (encoded("JPEG")[:40], "corrupt or truncated"),
    }
    async with hub_client(settings) as client:
        for name, (content, reason) in bombs.items():
            code, field, message = bad_input(await attach(client, token(settings), case["id"], content))
            assert (code, field) == ("BAD_USER_INPUT", "photo"), name
            assert reason in message, (name, message)
        code, field, _ = bad_input(await attach(client, token(settings), case["id"], b""))
        assert (code, field) == ("BAD_USER_INPUT", "photo")
        events = data(await run(store, "query($id: ID!) { case(id: $id) { events { type } } }", {"id": case["id"]}))
    assert "PHOTO_ATTACHED" not in {e["type"] for e in events["case"]["events"]}
    assert not settings.photo_dir.exists() or not list(settings.photo_dir.iterdir())


async def test_an_upload_over_the_size_limit_is_bad_input_and_a_huge_body_is_cut_off(
    store: Services, settings: Settings
) -> None:
    case = await reported(store)
    settings = replace(settings, photos=Photos(folder=settings.photo_dir, max_bytes=20_000))
    big = noise_jpeg(200)
    assert len(big) > 20_000
    async with hub_client(settings) as client:
        code, field, message = bad_input(await attach(client, token(settings), case["id"], big))
        assert (code, field) == ("BAD_USER_INPUT", "photo")
        assert "larger than the 20000 bytes allowed" in message
        ok = await attach(client, token(settings), case["id"], encoded("JPEG"))
        assert ok.json()["data"]["attachCasePhoto"]["child"]["photoUrl"]
        # A body past every allowance together (operations, map, two files) is refused while it is read.
        huge = await attach(client, token(settings), case["id"], b"\xff\xd8\xff" + b"\0" * 3_000_000)
    assert huge.status_code == 413


async def test_another_district_and_a_confidential_child_answer_as_a_missing_case(
    store: Services, settings: Settings
) -> None:
    case = await reported(store)
    hidden = await reported(store, confidential=True, seed=False)
    photo = encoded("JPEG")
    async with hub_client(settings) as client:
        kolkata = token(settings, state=WB, district=KOLKATA)
        national_police = token(settings)  # police never see a confidential child
        howrah = token(settings, state=WB, district=HOWRAH)
        missing = (await attach(client, howrah, "0" * 32, photo)).json()
        other_district = (await attach(client, kolkata, case["id"], photo)).json()
        confidential = (await attach(client, national_police, hidden["id"], photo)).json()
        # Not even a bad file tells a hidden case from a missing one: the record rule answers first.
        bad_file = (await attach(client, kolkata, case["id"], b"not an image")).json()
        ngo = (await attach(client, token(settings, "demo-ngo"), case["id"], photo)).json()
        own = (await attach(client, howrah, case["id"], photo)).json()
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert other_district == missing == confidential == bad_file
    assert ngo["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # no cases:write
    assert own["data"]["attachCasePhoto"]["child"]["photoUrl"]


async def test_signed_links_work_until_they_expire_and_not_when_tampered(store: Services, settings: Settings) -> None:
    case = await reported(store)
    async with hub_client(settings) as client:
        answer = await attach(client, token(settings), case["id"], encoded("PNG"))
        url = answer.json()["data"]["attachCasePhoto"]["child"]["photoUrl"]
        path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
        photo_id, exp, sig = path.rsplit("/", 1)[1], query["exp"][0], query["sig"][0]
        assert int(exp) - time.time() <= 300
        key = photo_url_key(settings)
        expired = signed_path(key, photo_id, 300, now=time.time() - 301)
        other_key = signed_path(b"k" * 32, photo_id, 300)
        flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
        answers = {
            "good": await fetch(client, url),
            "expired": await client.get(expired),
            "tampered signature": await client.get(f"{path}?exp={exp}&sig={flipped}"),
            "later expiry": await client.get(f"{path}?exp={int(exp) + 3600}&sig={sig}"),
            "another key": await client.get(other_key),
            "no signature": await client.get(path),
            "unknown photo": await client.get(signed_path(key, "f" * 32, 300)),
            "not an id": await client.get(signed_path(key, "Z" * 32, 300)),
        }
        traversal = await client.get(signed_path(key, "..%2F..%2Fhub.db", 300))
    assert answers.pop("good").status_code == 200
    assert traversal.status_code == 404
    for name, response in answers.items():
        assert (response.status_code, response.text) == (404, "not found"), name


async def test_each_role_sees_child_photo_url_exactly_with_child_identity(store: Services, settings: Settings) -> None:
    case = await reported(store)
    async with hub_client(settings) as client:
        await attach(client, token(settings), case["id"], encoded("JPEG"))
        public = (await client.post("/graphql", json={"query": PHOTO_OF, "variables": {"id": case["id"]}})).json()
        assert public["data"] == {"case": None}
        for agency in Agency:
            body = (
                await client.post(
                    "/graphql",
                    json={"query": PHOTO_OF, "variables": {"id": case["id"]}},
                    headers=token(settings, f"demo-{agency.value}"),
                )
            ).json()
            allowed = "child:identity" in ROLE_SCOPES[agency]
            url = body["data"]["case"]["child"]["photoUrl"]
            assert (url is not None) == allowed, agency.value
            if allowed:
                assert (await fetch(client, url)).status_code == 200
            else:
                assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHORIZED_FIELD_OR_TYPE"]


async def test_a_notice_shows_the_photo_only_with_consent_to_publish_it(store: Services, settings: Settings) -> None:
    case = await reported(store)
    data(await run(store, CONSENT, {"id": case["id"], "version": case["version"]}, principal=CWC))
    async with hub_client(settings) as client:
        await attach(client, token(settings), case["id"], encoded("JPEG"), consent=False)
        without = (await client.post("/graphql", json={"query": NOTICES})).json()["data"]["publicNotices"]["edges"]
        await attach(client, token(settings), case["id"], encoded("WEBP"), consent=True)
        await attach(client, token(settings), case["id"], encoded("PNG"))  # newer, not for publication
        with_consent = (await client.post("/graphql", json={"query": NOTICES})).json()["data"]["publicNotices"]
        url = with_consent["edges"][0]["node"]["photoUrl"]
        served = await fetch(client, url)
    assert [e["node"] for e in without] == [{"id": case["id"], "photoUrl": None}]
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).format == "JPEG"


async def test_withdrawing_photo_consent_takes_the_photo_off_the_notice_and_is_on_the_timeline(
    store: Services, settings: Settings
) -> None:
    case = await reported(store)
    data(await run(store, CONSENT, {"id": case["id"], "version": case["version"]}, principal=CWC))
    async with hub_client(settings) as client:
        await attach(client, token(settings), case["id"], encoded("JPEG"), consent=True)
        before = (await client.post("/graphql", json={"query": NOTICES})).json()["data"]["publicNotices"]["edges"]
        kolkata = token(settings, state=WB, district=KOLKATA)
        outside = (
            await client.post("/graphql", json={"query": WITHDRAW, "variables": {"id": case["id"]}}, headers=kolkata)
        ).json()
        withdrawn = await client.post(
            "/graphql", json={"query": WITHDRAW, "variables": {"id": case["id"]}}, headers=token(settings)
        )
        again = await client.post(
            "/graphql", json={"query": WITHDRAW, "variables": {"id": case["id"]}}, headers=token(settings)
        )
        after = (await client.post("/graphql", json={"query": NOTICES})).json()["data"]["publicNotices"]["edges"]
    assert before[0]["node"]["photoUrl"]
    assert outside["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert [e["node"] for e in after] == [{"id": case["id"], "photoUrl": None}]
    events = withdrawn.json()["data"]["withdrawCasePhotoPublication"]["events"]
    assert [e["actor"] for e in events if e["type"] == "PHOTO_WITHDRAWN"] == ["demo-police"]
    repeated = again.json()["data"]["withdrawCasePhotoPublication"]["events"]
    assert [e["type"] for e in repeated].count("PHOTO_WITHDRAWN") == 1  # nothing shown: nothing more to record
    assert withdrawn.json()["data"]["withdrawCasePhotoPublication"]["child"]["photoUrl"]  # officers still see it


async def test_multipart_needs_a_preflight_header_and_a_well_formed_map(store: Services, settings: Settings) -> None:
    case = await reported(store)
    async with hub_client(settings) as client:
        headers = token(settings)
        no_preflight = await attach(client, headers, case["id"], encoded("JPEG"), preflight=False)
        wrong_map = await client.post(
            "/graphql",
            data={"operations": json.dumps({"query": ATTACH, "variables": {"caseId": case["id"], "photo": None}})},
            files={"0": ("p.jpg", encoded("JPEG"), "image/jpeg")},
            headers={**headers, **PREFLIGHT},
        )
        as_json = await client.post(
            "/graphql",
            json={"query": ATTACH, "variables": {"caseId": case["id"], "photo": "aGVsbG8="}},
            headers=headers,
        )
    assert no_preflight.status_code == 400
    assert "Preflight" in no_preflight.json()["errors"][0]["message"]
    assert wrong_map.status_code == 400
    assert bad_input(as_json)[:2] == ("BAD_USER_INPUT", "photo")


SIGHTING = "mutation($input: SightingInput!) { reportSighting(input: $input) { reference statusCode } }"
SUBMIT = "mutation($input: CitizenReportInput!) { submitCitizenReport(input: $input) { reference statusCode } }"
UNTRIAGED = "{ untriagedCitizenReports { id kind clothing photoUrl } }"
REGISTER = """mutation($input: RegisterCaseInput!) {
  registerCaseFromCitizenReport(input: $input) { id child { photoUrl } } }"""


async def public_upload(
    client: httpx.AsyncClient, query: str, given: dict[str, Any], content: bytes | None
) -> dict[str, Any]:
    """A citizen's report or sighting with a photo (no token), as a multipart request."""
    operations = {"query": query, "variables": {"input": {**given, "photo": None}}}
    answer = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.photo"]})},
        files={"0": ("child.jpg", content or b"", "image/jpeg")},
        headers=PREFLIGHT,
    )
    body: dict[str, Any] = answer.json()
    return body


async def untriaged(client: httpx.AsyncClient, settings: Settings) -> list[dict[str, Any]]:
    howrah = token(settings, state=WB, district=HOWRAH)
    body = (await client.post("/graphql", json={"query": UNTRIAGED}, headers=howrah)).json()
    reports: list[dict[str, Any]] = body["data"]["untriagedCitizenReports"]
    return reports


async def test_a_sighting_sent_with_a_gps_photo_reaches_the_station_without_its_position(
    store: Services, settings: Settings
) -> None:
    await seed_catalogue(store)
    async with hub_client(settings) as client:
        receipt = await public_upload(client, SIGHTING, sighting_input(), jpeg_with_gps())
        assert receipt["data"]["reportSighting"]["reference"].startswith("CR-"), receipt
        [report] = await untriaged(client, settings)
        served = await fetch(client, report["photoUrl"])
    image = Image.open(io.BytesIO(served.content))
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert image.size == (20, 40)


async def test_a_bad_photo_with_a_sighting_is_bad_input_naming_it_and_stores_nothing(
    store: Services, settings: Settings
) -> None:
    await seed_catalogue(store)
    async with hub_client(settings) as client:
        answer = await public_upload(client, SIGHTING, sighting_input(), encoded("GIF"))
        reports = await untriaged(client, settings)
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in answer["errors"]] == [
        ("BAD_USER_INPUT", "input.photo")
    ]
    assert reports == []
    assert not settings.photo_dir.exists() or not list(settings.photo_dir.iterdir())


async def test_a_familys_photo_becomes_the_cases_photo_when_the_report_is_registered(
    store: Services, settings: Settings
) -> None:
    await seed_catalogue(store)
    async with hub_client(settings) as client:
        await public_upload(client, SUBMIT, report_input(), encoded("PNG"))
        without = await public_upload(client, SUBMIT, report_input(contactPhone="98300 54321"), None)
        assert without["errors"][0]["extensions"]["field"] == "input.photo"  # an empty file part
        [report] = await untriaged(client, settings)
        assert report["photoUrl"]
        fir = {"number": "77/2026", "date": today().isoformat()}
        registered = await client.post(
            "/graphql",
            json={"query": REGISTER, "variables": {"input": {"id": report["id"], "fir": fir}}},
            headers=token(settings, state=WB, district=HOWRAH),
        )
        assert "errors" not in registered.json(), registered.text
        case = registered.json()["data"]["registerCaseFromCitizenReport"]
        served = await fetch(client, case["child"]["photoUrl"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (16, 16)


async def test_report_photo_url_per_role(store: Services, settings: Settings) -> None:
    """The role matrix for CitizenReport.photoUrl (tests/auth/test_role_matrix.py's COVERED_ELSEWHERE points here)."""
    await seed_catalogue(store)
    async with hub_client(settings) as client:
        await public_upload(client, SIGHTING, sighting_input(), encoded("JPEG"))
        for agency in Agency:
            headers = token(settings, f"demo-{agency.value}", state=WB, district=HOWRAH)
            body = (await client.post("/graphql", json={"query": UNTRIAGED}, headers=headers)).json()
            if "cases:read" not in ROLE_SCOPES[agency]:
                assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], agency.value
                continue
            [report] = body["data"]["untriagedCitizenReports"]
            allowed = "child:identity" in ROLE_SCOPES[agency]
            assert (report["photoUrl"] is not None) == allowed, agency.value
            codes = [e["extensions"]["code"] for e in body.get("errors", [])]
            assert codes == ([] if allowed else ["UNAUTHORIZED_FIELD_OR_TYPE"]), agency.value
