"""The directory use cases (``services.directory``) with a unit of work: an entry upserted and retired inside the
writer's jurisdiction, each change logged with the channel it came through, and refused elsewhere."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, WB, seed_catalogue
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.directories.entries import EntryData
from trackchild_hub.domain.enums import DirectoryKind
from trackchild_hub.domain.errors import BadUserInput, Forbidden, NotFound
from trackchild_hub.services import directory
from trackchild_hub.services.unit import Services, Unit

HOWRAH_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-howrah", state=WB, district=HOWRAH)
KOLKATA_DCPU = Principal.for_agency(Agency.DCPU, subject="dcpu-kolkata", state=WB, district=KOLKATA)
STATION = EntryData(
    kind=DirectoryKind.POLICE_STATION,
    name="Golabari Police Station",
    id="PS-19-313-050",
    code="19313050",
    state=WB,
    district=HOWRAH,
    pin_code="711101",
    latitude=22.59,
    longitude=88.33,
    phones=("033 2641 2345",),
)


async def test_upsert_then_retire_are_logged_with_their_channel(store: Services) -> None:
    async with Unit.opened(store, HOWRAH_DCPU) as unit:
        created = await directory.upsert(unit, STATION, via="cli")
        assert created.last_verified_on == unit.today  # the writer has just checked it
    async with Unit.opened(store, HOWRAH_DCPU) as unit:  # a unit's loaders keep what they read: one per request
        renamed = await directory.upsert(unit, replace(STATION, name="Golabari PS"))
    async with Unit.opened(store, HOWRAH_DCPU) as unit:
        retired = await directory.retire(unit, STATION.id or "")
        history = await directory.changes(unit, retired.id, 10)
    assert renamed.name == "Golabari PS"
    assert retired.retired_at is not None
    assert [(h.action, h.actor, h.via) for h in history] == [
        ("RETIRED", "dcpu-howrah", "graphql"),
        ("UPDATED", "dcpu-howrah", "graphql"),
        ("CREATED", "dcpu-howrah", "cli"),
    ]


async def test_elsewhere_is_forbidden_to_write_and_unknown_to_change(store: Services) -> None:
    async with Unit.opened(store, HOWRAH_DCPU) as unit:
        await directory.upsert(unit, STATION)
        with pytest.raises(Forbidden):
            await directory.upsert(unit, replace(STATION, id="PS-10-212-001", state=BIHAR, district=PATNA))
    async with Unit.opened(store, KOLKATA_DCPU) as unit:
        with pytest.raises(NotFound):
            await directory.retire(unit, "PS-19-313-050")
        with pytest.raises(NotFound):
            await directory.changes(unit, "PS-19-313-050", 10)


async def test_bad_input_names_the_api_field(store: Services) -> None:
    async with Unit.opened(store, HOWRAH_DCPU) as unit:
        with pytest.raises(BadUserInput) as raised:
            await directory.upsert(unit, replace(STATION, pin_code="011101"))
    assert raised.value.field == "input.pinCode"


async def test_covering_bodies_and_nearest_read_the_store(store: Services) -> None:
    await seed_catalogue(store)
    async with Unit.opened(store, Principal.public()) as unit:
        covering = await directory.covering_bodies(unit, WB, HOWRAH, None)
        near = await directory.nearest(unit, DirectoryKind.POLICE_STATION, 22.59, 88.31, 2)
        with pytest.raises(BadUserInput):
            await directory.covering_bodies(unit, WB, None, None)
    assert {b.id for b in covering.bodies} >= {"PS-19-313-001", "PS-19-313-002", "PS-19-313-003"}
    assert len(near) == 2
    assert near[0][1] <= near[1][1]
