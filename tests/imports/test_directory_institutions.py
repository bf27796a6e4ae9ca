"""``import directory`` and the institution registry, on both databases: a CCI row registers its institution from
the row's institution columns or links the registered one; a directory exported from a demo hub imports into a
freshly migrated database and exports as the same file; bad rows name their line and field and write nothing."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import POSTGRES_URL
from tests.factories import seed_catalogue
from trackchild_hub import cli
from trackchild_hub.app import build_services
from trackchild_hub.directories.csv_layout import COLUMNS
from trackchild_hub.imports.directory import export_directory, import_directory
from trackchild_hub.resolvers.context import Services
from trackchild_hub.sandbox.seed import seed_demo
from trackchild_hub.settings import Settings
from trackchild_hub.store.engine import create_engine
from trackchild_hub.store.migrate import upgrade
from trackchild_hub.store.models import DirectoryEntryRow, InstitutionRow

HEADER = ",".join(COLUMNS)
_REGISTRY = (
    "type",
    "run_by",
    "gender_served",
    "capacity",
    "state_code",
    "district_code",
    "pin_code",
    "phone",
    "email",
    "address",
    "latitude",
    "longitude",
)


def cci(entry_id: str, registration: str, details: str = "CHILDRENS_HOME,NGO,FEMALE,40", kind: str = "CCI") -> str:
    """A row in the layout's column order: 21 directory columns, then the four institution columns."""
    return (
        f'{entry_id},{kind},"Asha Home, Howrah",,19,313,"12 GT Road, Howrah",711101,22.59,88.31,033 2641 2345;1098,'
        f"asha.home@gmail.com,24x7,bn,{registration},2026-10-01,,,,,Superintendent|M Pal||,{details}"
    )


def _lines(rows: list[str]) -> list[str]:
    return [r + "\n" for r in [HEADER, *rows]]


async def _export(services: Services) -> str:
    out = io.StringIO()
    await export_directory(services.sessions, out)
    return out.getvalue()


async def _count(services: Services, model: type[DirectoryEntryRow] | type[InstitutionRow]) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _registry(services: Services) -> dict[str, tuple[object, ...]]:
    async with services.sessions() as session:
        rows = await session.scalars(select(InstitutionRow))
        return {r.registration_number: (r.name, *(getattr(r, c) for c in _REGISTRY)) for r in rows}


@pytest.fixture
async def fresh(migrated: Services, tmp_path: Path) -> AsyncIterator[Services]:
    """A newly created, migrated and never used database on ``migrated``'s backend (a new SQLite file; on
    PostgreSQL a new schema), not the session's emptied one."""
    postgres = migrated.engine.dialect.name == "postgresql"
    schema = f"hub_fresh_{os.getpid()}" if postgres else None
    url = POSTGRES_URL if postgres else f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    if schema:
        await _ddl(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
    services = build_services(Settings(database_url=url, database_schema=schema, data_dir=tmp_path / "data"))
    await upgrade(services.engine, services.geography)
    yield services
    await services.engine.dispose()
    if schema:
        await _ddl(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


async def _ddl(*statements: str) -> None:
    engine = create_engine(POSTGRES_URL)
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))
    await engine.dispose()


async def test_a_demo_directory_round_trips_through_a_freshly_migrated_hub(store: Services, fresh: Services) -> None:
    await seed_demo(store.sessions, store.geography, cases=0)  # the directory and institutions; no cases needed
    exported = await _export(store)
    rows = list(csv.DictReader(io.StringIO(exported)))
    listings = [r for r in rows if r["kind"] == "CHILD_CARE_INSTITUTION"]
    assert len(listings) == 25
    assert all(r["institution"] and r["institution_type"] and r["capacity"] for r in listings)
    assert not any(r["capacity"] for r in rows if r["kind"] != "CHILD_CARE_INSTITUTION")
    assert (await _count(fresh, DirectoryEntryRow), await _count(fresh, InstitutionRow)) == (0, 0)

    report = await import_directory(fresh.sessions, io.StringIO(exported), fresh.geography)
    assert [str(e) for e in report.errors] == []
    assert (report.created, report.updated, report.unchanged, report.registered) == (len(rows), 0, 0, 25)
    assert await _export(fresh) == exported  # byte for byte
    assert await _registry(fresh) == await _registry(store)  # the registry's own columns came across too

    again = await import_directory(fresh.sessions, io.StringIO(exported), fresh.geography)
    assert (again.created, again.updated, again.unchanged, again.registered) == (0, 0, len(rows), 0)
    assert await _count(fresh, InstitutionRow) == 25


async def test_a_cci_row_links_the_registered_institution_without_a_second_one(store: Services) -> None:
    await seed_catalogue(store, stations=0, institutions=2)  # WB/CCI/2020/0001 and 0002, capacity 50
    before = await _registry(store)
    rows = [
        cci("CCI-19-313-1", "WB/CCI/2020/0001", "OBSERVATION_HOME,GOVERNMENT,MALE,99"),
        cci("CCI-19-313-2", "WB/CCI/2020/0002", ",,,"),
    ]
    report = await import_directory(store.sessions, _lines(rows), store.geography)
    assert (report.created, report.registered, report.errors) == (2, 0, [])
    assert await _registry(store) == before  # linked as registered: the row's columns change nothing
    async with store.sessions() as session:
        linked = dict((await session.execute(select(DirectoryEntryRow.id, DirectoryEntryRow.institution_id))).all())
        ids = dict((await session.execute(select(InstitutionRow.registration_number, InstitutionRow.id))).all())
    assert linked == {"CCI-19-313-1": ids["WB/CCI/2020/0001"], "CCI-19-313-2": ids["WB/CCI/2020/0002"]}
    exported = list(csv.DictReader(io.StringIO(await _export(store))))
    assert [(r["institution"], r["institution_type"], r["capacity"]) for r in exported] == [
        ("WB/CCI/2020/0001", "CHILDRENS_HOME", "50"),
        ("WB/CCI/2020/0002", "CHILDRENS_HOME", "50"),
    ]


async def test_two_rows_naming_one_new_institution_register_it_once(store: Services) -> None:
    rows = [
        cci("CCI-A", "WB/CCI/2024/0100", "CHILDRENS_HOME,NGO,FEMALE,40"),
        cci("CCI-B", "WB/CCI/2024/0100", "SPECIAL_HOME,NGO,MALE,70"),
    ]
    report = await import_directory(store.sessions, _lines(rows), store.geography)
    assert (report.created, report.registered, report.errors) == (2, 1, [])
    registry = await _registry(store)
    assert registry == {
        "WB/CCI/2024/0100": (
            "Asha Home, Howrah",
            "CHILDRENS_HOME",
            "NGO",
            "FEMALE",
            40,
            "19",
            "313",
            "711101",
            "+913326412345",
            "asha.home@gmail.com",
            "12 GT Road, Howrah",
            22.59,
            88.31,
        )
    }  # the first row's columns; the listing's first phone


async def test_bad_or_missing_registration_numbers_are_reported_by_line_and_field(store: Services) -> None:
    await import_directory(store.sessions, _lines([cci("TAKEN", "", ",,,", kind="HOSP")]), store.geography)
    rows = [
        cci("CCI-1", ""),  # line 2: institution columns but no registration number
        cci("CCI-2", "WB#CCI#7"),  # 3
        cci("CCI-3", "WB/CCI/2024/0003", ",,,"),  # 4: not registered, nothing to register it with
        cci("CCI-4", "WB/CCI/2024/0004", "CHILDRENS_HOME,,,"),  # 5
        cci("CCI-5", "WB/CCI/2024/0005", "CHILDRENS_HOME,NGO,FEMALE,many"),  # 6
        cci("CCI-6", "WB/CCI/2024/0006", "ORPHANAGE,NGO,FEMALE,40"),  # 7
        cci("PS-19-313-9", "", kind="PS"),  # 8: a police station with institution columns
        cci("TAKEN", "WB/CCI/2024/0008"),  # 9: valid, but the id is a hospital's: nothing registered for it
        cci("CCI-9", "WB/CCI/2024/0009"),  # 10: good
    ]
    report = await import_directory(store.sessions, _lines(rows), store.geography)
    assert [str(e) for e in report.errors] == [
        "line 2: institution: is required: the registration number of the institution to register",
        "line 3: institution: 'WB#CCI#7' is not a registration number (letters, digits, spaces, '/', '.', '_', '-'; "
        "at most 60)",
        "line 4: institution: no institution with registration number 'WB/CCI/2024/0003'; give institution_type, "
        "run_by, gender_served, capacity to register it",
        "line 5: run_by: is required with the other institution columns (institution_type, run_by, gender_served, "
        "capacity)",
        "line 6: capacity: 'many' is not a number of places (1-10000)",
        "line 7: institution_type: 'ORPHANAGE' is not one of CHILDRENS_HOME, OBSERVATION_HOME, SPECIAL_HOME, "
        "PLACE_OF_SAFETY, SPECIALISED_ADOPTION_AGENCY, OPEN_SHELTER",
        "line 8: institution_type: only Child Care Institution listings carry institution columns",
        "line 9: kind: the entry is a HOSPITAL; retire it and add a new one instead",
    ]
    assert (report.created, report.registered) == (1, 1)
    assert list(await _registry(store)) == ["WB/CCI/2024/0009"]
    assert await _count(store, DirectoryEntryRow) == 2  # TAKEN (the hospital) and CCI-9


@pytest.mark.parametrize("migrated", ["sqlite"], indirect=True)
def test_cli_reports_registered_institutions_and_failed_rows(
    migrated: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    del migrated  # only to pick the backend; the CLI opens its own database below
    monkeypatch.setenv("TRACKCHILD_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = [cci("CCI-1", "WB/CCI/2024/0001"), cci("CCI-2", "WB/CCI/2024/0002", ",,,")]
    source.write_text("".join(_lines(rows)), encoding="utf-8")
    assert cli.main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert cli.main(["import", "directory", str(source)]) == 1
    printed = capsys.readouterr()
    assert printed.out == "2 rows: 1 created, 0 updated, 0 unchanged, 1 invalid; 1 institutions registered\n"
    assert printed.err == (
        "line 3: institution: no institution with registration number 'WB/CCI/2024/0002'; give institution_type, "
        "run_by, gender_served, capacity to register it\n"
    )
    assert cli.main(["export", "directory", str(out)]) == 0
    assert capsys.readouterr().out == f"1 entries written to {out}\n"
    exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [
        (r["id"], r["institution"], r["institution_type"], r["run_by"], r["gender_served"], r["capacity"])
        for r in exported
    ] == [("CCI-1", "WB/CCI/2024/0001", "CHILDRENS_HOME", "NGO", "FEMALE", "40")]


async def test_a_row_relying_on_a_failed_rows_registration_fails_too(store: Services) -> None:
    await import_directory(store.sessions, _lines([cci("TAKEN", "", ",,,", kind="HOSP")]), store.geography)
    rows = [cci("TAKEN", "WB/CCI/2024/0010"), cci("CCI-B", "WB/CCI/2024/0010", ",,,")]
    report = await import_directory(store.sessions, _lines(rows), store.geography)
    assert [str(e) for e in report.errors] == [
        "line 2: kind: the entry is a HOSPITAL; retire it and add a new one instead",
        "line 3: institution: no institution with registration number 'WB/CCI/2024/0010'; give institution_type, "
        "run_by, gender_served, capacity to register it",
    ]
    assert (report.created, report.registered) == (0, 0)
    assert await _count(store, DirectoryEntryRow) == 1  # the hospital only: no listing left without its institution
