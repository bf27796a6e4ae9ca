"""The seeded demo shows photos on a few public notices (what `make run` shows): placeholders the demo world draws
(a coloured silhouette, never a face) go through the hub's upload path (re-encoded without metadata, the photo file
store, a ``photos`` row with ``publish``), their cases consented to publication on the timeline, so an anonymous
``publicNotices`` gives ``photoUrl`` links that serve them."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from sqlalchemy import func, select

from tests.factories import PUBLIC, data, hub_client, run
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.demo.photos import PALETTE, PHOTO_NOTICES, SIZE, placeholder_photo, placeholder_photos
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.services.photos import shelf
from trackchild_hub.store.models import CaseEventRow, PhotoRow

NOTICES = "query { publicNotices(first: 100) { edges { node { id kind photoUrl } } } }"


def test_the_placeholders_are_plain_silhouettes_each_its_own_colours() -> None:
    photos = placeholder_photos(PHOTO_NOTICES, seed=2026)
    assert len(set(photos)) == PHOTO_NOTICES
    assert placeholder_photo(3, 2026) == photos[3]  # the same demo, the same pictures
    for index, png in enumerate(photos):
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG"
            assert image.size == SIZE
            colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=16) or []}
        assert colours == set(PALETTE[index % len(PALETTE)])  # a background and a figure: two flat colours


async def test_the_seeded_demo_shows_photos_on_a_few_notices(store: Services) -> None:
    assert await seed_demo(store.sessions, store.geography, cases=600, photos=shelf(store)) is not None
    notices = [e["node"] for e in data(await run(store, NOTICES, principal=PUBLIC))["publicNotices"]["edges"]]
    with_photos = [n for n in notices if n["photoUrl"]]
    assert len(with_photos) == PHOTO_NOTICES
    assert {n["kind"] for n in with_photos} == {"MISSING", "FOUND"}
    async with store.sessions() as session:
        rows = list(await session.scalars(select(PhotoRow)))
        attached = await session.scalar(
            select(func.count()).where(CaseEventRow.type == "PHOTO_ATTACHED", CaseEventRow.actor == "demo-seed")
        )
        consented = await session.scalar(
            select(func.count()).where(CaseEventRow.type == "NOTICE_CONSENTED", CaseEventRow.actor == "demo-seed")
        )
    assert len(rows) == PHOTO_NOTICES
    assert all(r.publish and r.content_type == "image/jpeg" for r in rows)
    assert attached == PHOTO_NOTICES
    assert consented == PHOTO_NOTICES  # the demo's cases had none: each consent is on its case's timeline
    async with hub_client(store.settings) as client:
        served = [await client.get(httpx.URL(n["photoUrl"]).raw_path.decode()) for n in with_photos]
    for response in served:
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.format == "JPEG"  # re-encoded as an upload is
            assert image.size == SIZE
            assert not image.getexif()
            assert "exif" not in image.info
