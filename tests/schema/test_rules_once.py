"""Rules that had copies which disagreed, now held once in ``domain``: every door gives the same answer at the edge.

India's box: findMatches accepted longitudes up to 98 while case validation and the directory refused beyond 97.5;
now all refuse 97.8 and all accept 97.5. PIN codes: the directory took "711 101" as 711101 while coveringBodies
refused it; now both read it as 711101.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import HOWRAH, POLICE, WB, data, error_codes, found_input, run
from trackchild_hub.auth.principal import Principal
from trackchild_hub.auth.scopes import Agency
from trackchild_hub.directories.csv_layout import COLUMNS
from trackchild_hub.imports.directory import import_directory
from trackchild_hub.resolvers.context import Services

WB_SCPS = Principal.for_agency(Agency.SCPS, subject="scps-wb", state=WB)
LATITUDE = 22.59
REPORT_FOUND = "mutation($input: ReportFoundInput!) { reportFound(input: $input) { id } }"
UPSERT = "mutation($input: UpsertDirectoryEntryInput!) { upsertDirectoryEntry(input: $input) { id pinCode } }"
FIND = "query($d: ChildDescriptionInput!) { findMatches(description: $d) { id } }"
COVERING = """query($pin: String!) { coveringBodies(state: "19", pinCode: $pin) {
  district { code } policeStations { id } } }"""
# A CSV row of the directory layout: id, kind, name, code, state, district, address, pin, latitude, longitude, ...
CSV_ROW = "PS-19-313-070,PS,Edge Police Station,19313070,19,313,,711101,{lat},{lon},+913326412345" + "," * 14


def _entry(longitude: float, **overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": "PS-19-313-060",
        "kind": "POLICE_STATION",
        "name": "Edge Police Station",
        "state": WB,
        "district": HOWRAH,
        "pinCode": "711101",
        "latitude": LATITUDE,
        "longitude": longitude,
    }
    value.update(overrides)
    return value


async def _answers(store: Services, longitude: float) -> dict[str, list[tuple[str, str | None]]]:
    """What each door says of a point at (22.59, ``longitude``): [] when it takes it, else its error codes."""
    place = {"state": "10", "district": "212", "text": "Patna Junction", "latitude": LATITUDE, "longitude": longitude}
    imported = await import_directory(
        store.sessions, [",".join(COLUMNS), CSV_ROW.format(lat=LATITUDE, lon=longitude)], store.geography
    )
    return {
        "reportFound": error_codes(await run(store, REPORT_FOUND, {"input": found_input(place=place)})),
        "upsertDirectoryEntry": error_codes(await run(store, UPSERT, {"input": _entry(longitude)}, WB_SCPS)),
        "findMatches": error_codes(
            await run(store, FIND, {"d": {"name": "Raju", "latitude": LATITUDE, "longitude": longitude}}, POLICE)
        ),
        "import directory": [("BAD_USER_INPUT", e.field) for e in imported.errors],
    }


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
async def test_every_door_takes_the_eastern_edge_of_india(store: Services) -> None:
    assert await _answers(store, 97.5) == {
        "reportFound": [],
        "upsertDirectoryEntry": [],
        "findMatches": [],
        "import directory": [],
    }


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
async def test_every_door_refuses_a_point_in_myanmar(store: Services) -> None:
    assert await _answers(store, 97.8) == {
        "reportFound": [("BAD_USER_INPUT", "input.place.latitude")],
        "upsertDirectoryEntry": [("BAD_USER_INPUT", "input.latitude")],
        "findMatches": [("BAD_USER_INPUT", "description.longitude")],  # before: accepted (longitude <= 98)
        "import directory": [("BAD_USER_INPUT", "latitude")],
    }


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
async def test_a_pin_code_written_with_a_space_is_the_same_pin_code_everywhere(store: Services) -> None:
    stored = data(await run(store, UPSERT, {"input": _entry(88.31, pinCode="711 101")}, WB_SCPS))
    assert stored["upsertDirectoryEntry"]["pinCode"] == "711101"
    covering = data(await run(store, COVERING, {"pin": "711 101"}))["coveringBodies"]  # before: BAD_USER_INPUT
    assert covering["district"] == {"code": HOWRAH}
    assert covering["policeStations"] == [{"id": "PS-19-313-060"}]
    for wrong in ("011101", "71110", "711 1011"):
        assert error_codes(await run(store, COVERING, {"pin": wrong})) == [("BAD_USER_INPUT", "pinCode")], wrong
        refused = await run(store, UPSERT, {"input": _entry(88.31, pinCode=wrong)}, WB_SCPS)
        assert error_codes(refused) == [("BAD_USER_INPUT", "input.pinCode")], wrong
