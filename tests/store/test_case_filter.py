"""The case filter exists once (``domain.case_conditions``): the store's statement and a live record held in memory
pass the same cases, for every filter field and the caller's record scope, over many combinations, on each backend.

The same exchange records are imported into the store and turned into live records (as a state system's answer
is: references resolved leniently from the store's directory); each filter is then run as the store's page and
tested on the live records, and on the stored records the page was read into.
"""

from __future__ import annotations

import json
import random
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.factories import BIHAR, HOWRAH, KOLKATA, PATNA, WB, exchange_record, seed_catalogue, today
from trackchild_hub.domain.case_conditions import case_matches
from trackchild_hub.domain.enums import CaseKind, CaseStatus, Gender
from trackchild_hub.domain.exchange import parse_exchange_record
from trackchild_hub.domain.filters import CaseFilter, RecordScope
from trackchild_hub.domain.records import CaseData
from trackchild_hub.imports.cases import import_cases
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.case_records import CaseRecord, ChildRecord
from trackchild_hub.store.cases import CaseRepository, Joins
from trackchild_hub.store.live_records import LiveRecords, live_records
from trackchild_hub.store.named_records import named_records, named_refs

NAMES = ["Rahul Kumar", "Raju Das", "Priya Devi", "Ahmed Khan", "Rani Das", "Élodie Kumari"]
KINDS = ["MISSING", "FOUND", "CARE"]
Key = tuple[str, str]  # (source, external id): a record's identity in the store and live alike


def _records() -> list[dict[str, Any]]:
    """Cases over every value the filter reads: kinds, statuses, three districts of two states (with and without
    a police station), institutions, genders, ages and dates of birth, confidential children, names."""
    out = []
    for n in range(60):
        kind = KINDS[n % 3]
        record = exchange_record(n, kind, status=["OPEN", "RESOLVED", "CLOSED"][n // 3 % 3])
        child = record["child"]
        child["name"] = NAMES[n % len(NAMES)]
        child["aliases"] = [f"Nick{n % 7}"]
        child["confidential"] = n % 5 == 0
        if n % 4 == 0:
            child["date_of_birth"] = (today() - timedelta(days=365 * (3 + n % 14) + n)).isoformat()
            del child["age_years"]
        elif n % 11 == 0:
            del child["age_years"]  # no age at all: no age filter passes it
        if n % 7 == 4:  # Kolkata: no station of the catalogue
            record["place"] = {"state": WB, "district": KOLKATA, "text": "Sealdah"}
        elif n % 7 in (5, 6) and kind != "CARE":  # Bihar: neither station nor institution
            record["place"] = {"state": BIHAR, "district": PATNA, "text": "Patna Junction"}
            record.pop("found", None)
        out.append(record)
    return out


async def _both(store: Services) -> tuple[dict[Key, tuple[CaseRecord, ChildRecord]], dict[Key, LiveRecords]]:
    """The stored records (as the page reads them) and the live records, of the same cases."""
    await seed_catalogue(store)
    raw = _records()
    report = await import_cases(store.sessions, [json.dumps(r) for r in raw], store.geography, today())
    assert report.created == len(raw), report.errors
    cases: list[CaseData] = [parse_exchange_record(r) for r in raw]
    async with store.sessions() as session:
        page = await CaseRepository(session).page(CaseFilter(), 200, None, today(), Joins(child=True))
        named = await named_records(session, *named_refs(cases))
    stored = {(r.source, r.external_id): (r, page.related.children[r.child_id]) for r in page.page.rows}
    references, now = named.references(), datetime.now(UTC)
    live = {}
    for case in cases:
        assert case.external_id is not None
        case_id = f"remote:{case.source}:{case.external_id}"
        resolved = references.resolve(case, lenient=True)
        live[(case.source, case.external_id)] = live_records(case, case_id, f"{case_id}:child", resolved, now)
    assert set(stored) == set(live)
    for made in live.values():  # built straight into their __dict__ (``record_of``): exactly their fields
        for record in (made.case, made.child, *made.guardians):
            assert record == type(record)(**vars(record))  # the constructor takes exactly what it holds
    return stored, live


def _filters(seed: int, count: int, stored: dict[Key, tuple[CaseRecord, ChildRecord]]) -> list[CaseFilter]:
    """Random combinations of every field, with values the cases hold and values none holds."""
    rng = random.Random(seed)
    cases = [c for c, _ in stored.values()]
    stations = [*sorted({c.police_station_id for c in cases if c.police_station_id}), "PS-NONE"]
    institutions = [*sorted({i for c in cases if (i := getattr(c, "institution_id", None))}), "NO-SUCH-INSTITUTION"]
    dates = sorted({c.event_date for c in cases})
    scopes = [
        RecordScope(),
        RecordScope(confidential=False),
        RecordScope(WB),
        RecordScope(WB, HOWRAH, confidential=False),
        RecordScope(BIHAR, confidential=True),
        RecordScope(WB, KOLKATA),
    ]

    def some(values: list[Any]) -> Any:
        return rng.choice(values) if rng.random() < 0.35 else None

    out = []
    for _ in range(count):
        ages = sorted(rng.sample(range(18), 2))
        event = sorted(rng.sample(dates, 2))
        out.append(
            CaseFilter(
                kinds=tuple(rng.sample(list(CaseKind), rng.randint(1, 2))) if rng.random() < 0.35 else (),
                statuses=tuple(rng.sample(list(CaseStatus), rng.randint(1, 2))) if rng.random() < 0.35 else (),
                state=some([WB, BIHAR]),
                district=some([HOWRAH, KOLKATA, PATNA]),
                police_station=some(stations),
                institution=some(institutions),
                gender=some([Gender.MALE, Gender.FEMALE]),
                min_age=ages[0] if rng.random() < 0.3 else None,
                max_age=ages[1] if rng.random() < 0.3 else None,
                event_from=event[0] if rng.random() < 0.3 else None,
                event_to=event[1] if rng.random() < 0.3 else None,
                name=some(["rahul", "das", "RAJU das", "kumar", "nick3", "elodie", "élodie", "ra", "zz"]),
                scope=rng.choice(scopes),
            )
        )
    return out


async def _sql(store: Services, f: CaseFilter, on: date) -> set[Key]:
    async with store.sessions() as session:
        page = await CaseRepository(session).page(f, 200, None, on)
    return {(r.source, r.external_id) for r in page.page.rows}


async def test_the_store_and_live_records_pass_the_same_cases_for_every_filter(store: Services) -> None:
    stored, live = await _both(store)
    on = today()
    hits = 0
    for f in _filters(20261130, 150, stored):
        f.check()
        by_sql = await _sql(store, f, on)
        assert by_sql == {k for k, r in live.items() if case_matches(r.case, r.child, f, on)}, f
        assert by_sql == {k for k, (c, child) in stored.items() if case_matches(c, child, f, on)}, f
        hits += 0 < len(by_sql) < len(stored)
    assert hits > 40  # most filters keep some cases and drop others: the comparisons are not all empty or all


async def test_each_filter_field_alone_keeps_some_cases_and_drops_others_alike(store: Services) -> None:
    """One field at a time, so a field both sides ignored would fail here (it would keep every case)."""
    stored, live = await _both(store)
    on = today()
    institution = next(i for c, _ in stored.values() if (i := getattr(c, "institution_id", None)))
    station = next(c.police_station_id for c, _ in stored.values() if c.police_station_id)
    dates = sorted(c.event_date for c, _ in stored.values())
    single = {
        "kinds": (CaseKind.FOUND,),
        "statuses": (CaseStatus.RESOLVED,),
        "state": BIHAR,
        "district": KOLKATA,
        "police_station": station,
        "institution": institution,
        "gender": Gender.FEMALE,
        "min_age": 10,
        "max_age": 8,
        "event_from": dates[len(dates) // 2],
        "event_to": dates[len(dates) // 2],
        "name": "das",
        "scope": RecordScope(WB, HOWRAH, confidential=False),
    }
    assert set(single) == {f.name for f in fields(CaseFilter)}  # every field of the filter, none forgotten
    for name, value in single.items():
        f = replace(CaseFilter(), **{name: value})
        by_sql = await _sql(store, f, on)
        assert 0 < len(by_sql) < len(stored), name
        assert by_sql == {k for k, r in live.items() if case_matches(r.case, r.child, f, on)}, name
