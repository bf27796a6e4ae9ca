"""Bulk cases straight into the store: the matching benchmark's synthetic children, written with Core executemany.

Cases are written in batches that share one ``updated_at``, as ``import cases`` and ``sync`` write them, which is
what made the old ``updated_at >= since`` refresh re-read a whole batch on every round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.matching.generator import generate
from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.domain.geography import Geography
from trackchild_hub.matching.records import MatchRecord
from trackchild_hub.resolvers.context import Services
from trackchild_hub.store.cases import search_text
from trackchild_hub.store.models import (
    CaseRow,
    ChildAliasRow,
    ChildRow,
    FoundCaseRow,
    GuardianRow,
    MissingCaseRow,
)

BATCH = 2000


def synthetic(total: int, *, seed: int = 3) -> list[MatchRecord]:
    """``total`` records, 60 % missing reports and 40 % found children, many of them the same child seen again."""
    found = total * 2 // 5
    data = generate(total - found, found, seed=seed)
    return [*data.missing, *(q.record for q in data.queries)]


async def write_cases(
    services: Services,
    records: Sequence[MatchRecord],
    *,
    prefix: str = "bulk",
    at: datetime | None = None,
    batch: int = BATCH,
) -> list[str]:
    """Store ``records`` as open cases (ids ``<prefix>-<n>``); each batch of ``batch`` shares one ``updated_at``."""
    now = at or datetime.now(UTC)
    ids: list[str] = []
    for start in range(0, len(records), batch):
        moment = now + timedelta(microseconds=start)
        rows = _rows(records[start : start + batch], prefix, start, moment, services.geography)
        async with services.engine.begin() as conn:
            for table, values in rows.items():
                if values:
                    await conn.execute(insert(table), values)
        ids += [case["id"] for case in rows[CaseRow.__table__]]
    return ids


def _rows(
    records: Sequence[MatchRecord], prefix: str, offset: int, now: datetime, geography: Geography
) -> dict[Any, list[Any]]:
    tables: dict[Any, list[Any]] = {
        t.__table__: [] for t in (ChildRow, GuardianRow, ChildAliasRow, CaseRow, MissingCaseRow, FoundCaseRow)
    }
    for n, record in enumerate(records, start=offset):
        case_id, child_id = f"{prefix}-{n}", f"{prefix}-child-{n}"
        district = record.district if record.district and geography.district(record.district) else None
        tables[ChildRow.__table__].append(
            {
                "id": child_id,
                "name": record.name,
                "search_text": search_text(record.name, *record.aliases),
                "gender": record.gender.value,
                "age_years": record.age_years,
                "age_reported_on": record.event_date,
                "date_of_birth": record.date_of_birth,
                "birth_estimate": None,
                "height_cm": record.height_cm,
                "complexion": None,
                "identifying_marks": list(record.identifying_marks),
                "languages": list(record.languages),
                "clothing": record.clothing,
                "confidential": False,
                "created_at": now,
            }
        )
        for position, name in enumerate(record.guardian_names):
            relation = "FATHER" if position == 0 else "MOTHER"
            tables[GuardianRow.__table__].append(
                {"child_id": child_id, "position": position, "relation": relation, "name": name, "phone": None}
            )
        for position, alias in enumerate(record.aliases):
            tables[ChildAliasRow.__table__].append({"child_id": child_id, "position": position, "alias": alias})
        tables[CaseRow.__table__].append(
            {
                "id": case_id,
                "kind": record.kind.value if record.kind is not CaseKind.CARE else CaseKind.FOUND.value,
                "reference": f"{prefix.upper()}/{n}",
                "status": "OPEN",
                "version": 1,
                "child_id": child_id,
                "source": prefix,
                "external_id": case_id,
                "state_code": record.state,
                "district_code": district,
                "police_station_id": None,
                "place_text": None,
                "latitude": record.latitude,
                "longitude": record.longitude,
                "event_date": record.event_date,
                "reported_at": now,
                "closure_reason": None,
                "publication_consent": False,
                "extra": {},
                "created_at": now,
                "updated_at": now,
            }
        )
        if record.kind is CaseKind.MISSING:
            tables[MissingCaseRow.__table__].append(
                {"case_id": case_id, "fir_number": f"{n}/2026", "fir_date": record.event_date}
            )
        else:
            tables[FoundCaseRow.__table__].append({"case_id": case_id, "missing_since": record.missing_since})
    return tables
