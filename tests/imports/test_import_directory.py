"""``import directory`` / ``export directory`` on both databases: bad rows reported with their line, the others
kept, re-runs idempotent, export -> import -> export unchanged; and the CLI commands end to end on SQLite."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trackchild_hub import cli
from trackchild_hub.directories.csv_layout import COLUMNS
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.imports.directory import export_directory, import_directory
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.models import DirectoryChangeRow, DirectoryEntryRow

HEADER = ",".join(COLUMNS)
GOOD_1 = (
    'SJPU-19-313,SPECIAL_JUVENILE_POLICE_UNIT,"SJPU, Howrah",,19,313,SP Office Howrah,711101,22.59,88.31,'
    "+913326412345,sjpu.howrah@wbp.gov.in,24x7,bn;en,,2026-10-01,,,,,Nodal Officer (DSP)|R Sen|+919830000003|"
)
GOOD_2 = (
    'PS-19-313-001,PS,Howrah Police Station,19313001,19,313,"GT Road, Howrah",711101,22.5839,88.3424,'
    "033 2641 2345;1098,,24x7,bn,,2026-10-02,,711101;711102,SJPU-19-313,,Officer-in-Charge|A Das|9830000001|oc@wbp.in"
)
BAD_PIN = GOOD_2.replace("PS-19-313-001", "PS-19-313-002").replace("19313001", "19313002").replace(",711101,", ",7111,")
OUTSIDE = GOOD_2.replace("PS-19-313-001", "PS-19-313-003").replace("19313001", "19313003").replace("22.5839", "51.5")
UNKNOWN_DISTRICT = GOOD_2.replace("PS-19-313-001", "PS-19-99999-1").replace(",19,313,", ",19,99999,")
DUPLICATE = GOOD_2.replace("Howrah Police Station", "Howrah PS (again)")
GOOD_3 = (
    'CWC-19-313,CWC,"Child Welfare Committee, Howrah",,19,313,Collectorate,711101,22.6,88.3,+913326410000,,'
    "10:00-17:30 Mon-Sat,bn;en,,,313;315,,,,Chairperson|S Roy||cwc.howrah@gmail.com"
)
FILE = [HEADER, GOOD_1, BAD_PIN, GOOD_2, OUTSIDE, UNKNOWN_DISTRICT, DUPLICATE, GOOD_3]


def _lines(rows: list[str]) -> list[str]:
    return [r + "\n" for r in rows]


async def _count(services: Services, model: type[DirectoryEntryRow] | type[DirectoryChangeRow]) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _export(services: Services) -> str:
    out = io.StringIO()
    await export_directory(services.sessions, out)
    return out.getvalue()


async def test_bad_rows_are_reported_with_their_line_and_the_rest_kept(store: Services) -> None:
    report = await import_directory(store.sessions, _lines(FILE), store.geography)
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "pin_code"),
        (5, "latitude"),
        (6, "district"),
        (7, "id"),
    ]
    assert "duplicate of line 4" in str(report.errors[-1])
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert await _count(store, DirectoryEntryRow) == 3
    again = await import_directory(store.sessions, _lines(FILE), store.geography)
    assert (again.created, again.updated, again.unchanged, len(again.errors)) == (0, 0, 3, 4)
    assert await _count(store, DirectoryChangeRow) == 3  # a re-run records nothing


async def test_export_then_import_round_trip_is_unchanged(store: Services) -> None:
    await import_directory(store.sessions, _lines(FILE), store.geography)
    exported = await _export(store)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [r["id"] for r in rows] == ["CWC-19-313", "PS-19-313-001", "SJPU-19-313"]
    station = rows[1]
    assert station["phones"] == "+913326412345;1098"
    assert station["covers_pin_codes"] == "711101;711102"
    assert station["functionaries"] == "Officer-in-Charge|A Das|+919830000001|oc@wbp.in"
    same = await import_directory(store.sessions, io.StringIO(exported), store.geography)
    assert (same.created, same.updated, same.unchanged, same.errors) == (0, 0, 3, [])
    assert await _export(store) == exported
    # Into an empty store and out again: the same file.
    async with store.engine.begin() as conn:
        await conn.execute(DirectoryChangeRow.__table__.delete())
        await conn.execute(DirectoryEntryRow.__table__.delete())
    fresh = await import_directory(store.sessions, io.StringIO(exported), store.geography)
    assert (fresh.created, fresh.errors) == (3, [])
    assert await _export(store) == exported


async def test_column_mapping_and_missing_columns(store: Services) -> None:
    theirs = ["PS Name,Type,State,District,Pincode", "Bally Police Station,PS,19,313,711201"]
    mapping = {"name": "PS Name", "kind": "Type", "state": "State", "district": "District", "pin_code": "Pincode"}
    report = await import_directory(store.sessions, _lines(theirs), store.geography, mapping=mapping)
    assert (report.created, report.errors) == (1, [])
    with pytest.raises(BadUserInput):
        await import_directory(store.sessions, _lines(theirs), store.geography)


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
def test_cli_import_export_and_report(
    migrated: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    del migrated  # only to pick the backend; the CLI opens its own database below
    monkeypatch.setenv("TRACKCHILD_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("\n".join(FILE) + "\n", encoding="utf-8")
    assert cli.main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert cli.main(["import", "directory", str(source)]) == 1  # some rows were invalid
    printed = capsys.readouterr()
    assert printed.out == "7 rows: 3 created, 0 updated, 0 unchanged, 4 invalid; 0 institutions registered\n"
    assert printed.err.splitlines() == [
        "line 3: pin_code: '7111' is not a PIN code (six digits, not starting with 0)",
        "line 5: latitude: coordinates are outside India",
        "line 6: district: '99999' is not a known LGD district code",
        "line 7: id: duplicate of line 4",
    ]
    assert cli.main(["import", "directory", str(source), "--columns", "nickname=X"]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("error: columns: 'nickname' is not a column of the layout (id, kind, name,")
    assert cli.main(["export", "directory", str(out)]) == 0
    assert capsys.readouterr().out == f"3 entries written to {out}\n"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    assert cli.main(["import", "directory", str(out)]) == 0
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == (
        "3 rows: 0 created, 0 updated, 3 unchanged, 0 invalid; 0 institutions registered\n",
        "",
    )
    assert cli.main(["directory", "report", "--state", "19", "--district", "313"]) == 0
    report = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    assert report[0].startswith("directory quality as of ")
    assert report[0].endswith(": 3 active entries")
    assert report[1].startswith("not verified in 12 months: ")
    assert "CWC-19-313" in report[1]
    assert report[2:] == [
        "without a phone: 0",
        "police stations without a covering SJPU: 0",
        "districts without a required body: 1",
        "  313: no JUVENILE_JUSTICE_BOARD, DISTRICT_CHILD_PROTECTION_UNIT",
    ]
