"""Row values for a new case and its child, as plain dicts for Core executemany (and for sync's comparisons)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain.age import estimated_birth_date
from ..domain.enums import CaseKind
from ..domain.records import CaseData, ChildData
from .cases import search_text

Rows = dict[str, list[dict[str, Any]]]


def child_rows(rows: Rows, child_id: str, child: ChildData, on: date, now: datetime) -> None:
    rows["children"].append(
        {
            "id": child_id,
            "name": child.name,
            "search_text": search_text(child.name, *child.aliases),
            "gender": child.gender.value,
            "age_years": child.age_years,
            "age_reported_on": on,
            "date_of_birth": child.date_of_birth,
            "birth_estimate": estimated_birth_date(child.date_of_birth, child.age_years, on),
            "height_cm": child.height_cm,
            "complexion": child.complexion,
            "identifying_marks": child.identifying_marks,
            "languages": child.languages,
            "clothing": child.clothing,
            "confidential": child.confidential,
            "created_at": now,
        }
    )
    for position, g in enumerate(child.guardians):
        rows["guardians"].append(
            {
                "child_id": child_id,
                "position": position,
                "relation": g.relation.value,
                "name": g.name,
                "phone": g.phone,
            }
        )
    for position, alias in enumerate(child.aliases):
        rows["aliases"].append({"child_id": child_id, "position": position, "alias": alias})


def case_row(
    case: CaseData, case_id: str, child_id: str, reference: str, resolved: dict[str, Any], now: datetime
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": case_id,
        "kind": case.kind.value,
        "reference": reference,
        "status": case.status.value,
        "version": 1,
        "child_id": child_id,
        "source": case.source,
        "external_id": case.external_id or case_id,
        "state_code": case.place.state,
        "district_code": resolved["district_code"],
        "police_station_id": resolved["police_station_id"],
        "place_text": case.place.text,
        "latitude": case.place.latitude,
        "longitude": case.place.longitude,
        "event_date": case.event_date,
        "reported_at": case.reported_at,
        "closure_reason": None,
        "publication_consent": False,
        "extra": {**case.extra, "unresolved": resolved["unresolved"]} if resolved.get("unresolved") else case.extra,
        "created_at": now,
        "updated_at": now,
        "case_id": case_id,
    }
    if case.missing is not None:
        fir = case.missing.fir
        assert fir is not None  # validated before
        row.update(
            fir_number=fir.number,
            fir_date=fir.date,
            last_seen_time=case.missing.last_seen_time,
            circumstances=case.missing.circumstances,
            reporter_name=case.missing.reporter_name,
            reporter_relation=case.missing.reporter_relation,
            reporter_phone=case.missing.reporter_phone,
        )
    elif case.kind is CaseKind.FOUND:
        found = case.found
        row.update(
            found_by=found and found.found_by,
            found_by_contact=found and found.found_by_contact,
            current_placement=found and found.current_placement,
            institution_id=resolved["institution_id"],
            missing_since=found and found.missing_since,
        )
    elif case.care is not None:
        row.update(
            institution_id=resolved["institution_id"],
            admission_order_number=case.care.admission_order_number,
            admission_order_date=case.care.admission_order_date,
            admission_date=case.care.admission_date or case.event_date,
            exit_date=case.care.exit_date,
        )
    return row
