"""The case page's read model: records read as rows carry what the ORM rows carry, for every kind and relation."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import select

from tests.factories import exchange_record, seed_catalogue, today
from trackchild_hub.domain.filters import CaseFilter
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.case_records import (
    KIND_RECORDS,
    CaseRecord,
    ChildRecord,
    DirectoryEntryRecord,
    InstitutionRecord,
    table_of,
)
from trackchild_hub.store.cases import CaseRepository, Joins
from trackchild_hub.store.models import (
    CareCaseRow,
    CaseRow,
    ChildRow,
    DirectoryEntryRow,
    FoundCaseRow,
    InstitutionRow,
    MissingCaseRow,
)

ALL = Joins(child=True, police_station=True, institution=True)
# Not shown by any case field: the import's own bookkeeping, the workflow job's mark (services/workflow.py), and the
# detail tables' key (the case's id).
NOT_READ = {
    "cases": {"extra"},
    "missing_cases": {"case_id", "workflow_state"},
    "found_cases": {"case_id"},
    "care_cases": {"case_id"},
}


def _names(record: type[Any]) -> set[str]:
    return {f.name for f in fields(record)}


def test_each_record_holds_every_column_of_its_tables() -> None:
    pairs: list[tuple[type[Any], type[Any]]] = [
        (CaseRecord, CaseRow),
        (ChildRecord, ChildRow),
        (DirectoryEntryRecord, DirectoryEntryRow),
        (InstitutionRecord, InstitutionRow),
    ]
    for record, orm in pairs:
        table = table_of(orm)
        assert set(table.c.keys()) - NOT_READ.get(table.name, set()) == _names(record), record.__name__
    details = {"MISSING": MissingCaseRow, "FOUND": FoundCaseRow, "CARE": CareCaseRow}
    for kind, record in KIND_RECORDS.items():
        table = table_of(details[kind])
        assert set(table.c.keys()) - NOT_READ[table.name] == _names(record) - _names(CaseRecord), kind


def _orm_values(row: Any, record: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in asdict(record)}


async def test_a_page_of_records_equals_the_orm_rows(store: Services) -> None:
    await seed_catalogue(store)
    kinds = ["MISSING", "FOUND", "CARE"]
    lines = [json.dumps(exchange_record(n, kinds[n % 3])) for n in range(12)]
    report = await import_cases(store.sessions, lines, store.geography, today())
    assert report.created == 12
    async with store.sessions() as session:
        read = await CaseRepository(session).page(CaseFilter(), 12, None, today(), ALL)
        records = list(read.page.rows)
        assert {r.kind for r in records} == set(kinds)
        orm = {r.id: r for r in (await session.scalars(select(CaseRow))).all()}
        for record in records:
            assert type(record) is KIND_RECORDS[record.kind]
            assert asdict(record) == _orm_values(orm[record.id], record)
        children = {c.id: c for c in (await session.scalars(select(ChildRow))).all()}
        assert set(read.related.children) == {r.child_id for r in records}
        for child in read.related.children.values():
            assert asdict(child) == _orm_values(children[child.id], child)
        stations = {r.police_station_id for r in records} - {None}
        assert stations
        assert set(read.related.police_stations) == stations
        for station in read.related.police_stations.values():
            assert asdict(station) == _orm_values(await session.get(DirectoryEntryRow, station.id), station)
        placed = {getattr(r, "institution_id", None) for r in records} - {None}
        assert placed
        assert set(read.related.institutions) == placed
        for institution in read.related.institutions.values():
            assert asdict(institution) == _orm_values(await session.get(InstitutionRow, institution.id), institution)


async def test_pages_follow_on_and_filter_as_before(store: Services) -> None:
    await seed_catalogue(store)
    lines = [json.dumps(exchange_record(n, "FOUND" if n % 2 else "MISSING")) for n in range(9)]
    assert (await import_cases(store.sessions, lines, store.geography, today())).created == 9
    async with store.sessions() as session:
        repository = CaseRepository(session)
        first = await repository.page(CaseFilter(), 4, None, today())
        assert first.page.has_next
        assert len(first.page.rows) == 4
        rest = await repository.page(CaseFilter(), 10, first.page.cursors[-1], today())
        assert not rest.page.has_next
        assert len(rest.page.rows) == 5
        seen = [r.id for r in (*first.page.rows, *rest.page.rows)]
        newest_first = await session.scalars(select(CaseRow.id).order_by(CaseRow.reported_at.desc(), CaseRow.id.desc()))
        assert seen == list(newest_first)
        assert not first.related.children  # nothing joined unless asked
