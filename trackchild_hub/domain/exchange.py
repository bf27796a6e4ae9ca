"""The exchange record (CONTRACT.md): one case as JSON, for imports and connector payloads.

``parse_exchange_record`` turns a decoded JSON object into ``CaseData``; every shape error is a ``BadUserInput``
naming the field. Fields the hub does not know are kept in ``CaseData.extra``, not dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

from .enums import CaseKind, CaseStatus, Gender, GuardianRelation
from .errors import BadUserInput
from .records import (
    CareDetails,
    CaseData,
    ChildData,
    FirData,
    FoundDetails,
    GuardianData,
    MissingDetails,
    PlaceData,
)

E = TypeVar("E", bound=Enum)

KNOWN_FIELDS = frozenset(
    {
        "kind",
        "source",
        "external_id",
        "reference",
        "reported_at",
        "status",
        "fir",
        "child",
        "place",
        "event_date",
    }
    | {"missing", "found", "care"}
)


def parse_exchange_record(raw: object) -> CaseData:
    obj = _object("record", raw)
    kind = _enum("kind", obj.get("kind"), CaseKind)
    source = _str("source", obj.get("source"), required=True)
    external_id = _str("external_id", obj.get("external_id"), required=True)
    child = _child(_object("child", obj.get("child")))
    place = _place(_object("place", obj.get("place")))
    event_date = _date("event_date", obj.get("event_date"), required=True)
    assert event_date is not None
    assert source is not None
    case = CaseData(
        kind=kind,
        child=child,
        place=place,
        event_date=event_date,
        reported_at=_datetime("reported_at", obj.get("reported_at")),
        status=_enum("status", obj.get("status") or "OPEN", CaseStatus),
        source=source,
        external_id=external_id,
        reference=_str("reference", obj.get("reference")),
        extra={k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )
    if kind is CaseKind.MISSING:
        case.missing = _missing(obj.get("missing"), obj.get("fir"))
    elif kind is CaseKind.FOUND:
        case.found = _found(obj.get("found"))
    else:
        case.care = _care(_object("care", obj.get("care")))
    return case


def _child(obj: Mapping[str, Any]) -> ChildData:
    guardians_raw = obj.get("guardians") or []
    if not isinstance(guardians_raw, list):
        raise BadUserInput("child.guardians", "must be a list")
    guardians = []
    for i, g in enumerate(guardians_raw):
        g = _object(f"child.guardians.{i}", g)
        guardians.append(
            GuardianData(
                relation=_enum(f"child.guardians.{i}.relation", g.get("relation") or "GUARDIAN", GuardianRelation),
                name=_str(f"child.guardians.{i}.name", g.get("name")),
                phone=_str(f"child.guardians.{i}.phone", g.get("phone")),
            )
        )
    return ChildData(
        gender=_enum("child.gender", obj.get("gender") or "UNKNOWN", Gender),
        name=_str("child.name", obj.get("name")),
        aliases=_str_list("child.aliases", obj.get("aliases")),
        age_years=_int("child.age_years", obj.get("age_years")),
        date_of_birth=_date("child.date_of_birth", obj.get("date_of_birth")),
        height_cm=_int("child.height_cm", obj.get("height_cm")),
        complexion=_str("child.complexion", obj.get("complexion")),
        identifying_marks=_str_list("child.identifying_marks", obj.get("identifying_marks")),
        languages=_str_list("child.languages", obj.get("languages")),
        clothing=_str("child.clothing", obj.get("clothing")),
        guardians=guardians,
        confidential=bool(obj.get("confidential", False)),
    )


def _place(obj: Mapping[str, Any]) -> PlaceData:
    state = _str("place.state", obj.get("state"), required=True)
    assert state is not None
    return PlaceData(
        state=state,
        district=_str("place.district", obj.get("district")),
        police_station=_str("place.police_station", obj.get("police_station")),
        text=_str("place.text", obj.get("text")),
        latitude=_float("place.latitude", obj.get("latitude")),
        longitude=_float("place.longitude", obj.get("longitude")),
    )


def _missing(raw: object, fir_raw: object) -> MissingDetails:
    obj = _object("missing", raw) if raw is not None else {}
    reporter = _object("missing.reporter", obj.get("reporter")) if obj.get("reporter") is not None else {}
    fir = None
    if fir_raw is not None:
        fir_obj = _object("fir", fir_raw)
        number = _str("fir.number", fir_obj.get("number"), required=True)
        fir_date = _date("fir.date", fir_obj.get("date"), required=True)
        assert number is not None
        assert fir_date is not None
        fir = FirData(number=number, date=fir_date)
    return MissingDetails(
        fir=fir,
        last_seen_time=_str("missing.last_seen_time", obj.get("last_seen_time")),
        circumstances=_str("missing.circumstances", obj.get("circumstances")),
        reporter_name=_str("missing.reporter.name", reporter.get("name")),
        reporter_relation=_str("missing.reporter.relation", reporter.get("relation")),
        reporter_phone=_str("missing.reporter.phone", reporter.get("phone")),
    )


def _found(raw: object) -> FoundDetails:
    if raw is None:
        return FoundDetails()
    obj = _object("found", raw)
    return FoundDetails(
        found_by=_str("found.found_by", obj.get("found_by")),
        found_by_contact=_str("found.found_by_contact", obj.get("found_by_contact")),
        current_placement=_str("found.current_placement", obj.get("current_placement")),
        institution=_str("found.institution", obj.get("institution")),
        missing_since=_date("found.missing_since", obj.get("missing_since")),
    )


def _care(obj: Mapping[str, Any]) -> CareDetails:
    order = _object("care.admission_order", obj["admission_order"]) if obj.get("admission_order") else {}
    institution = _str("care.institution", obj.get("institution"), required=True)
    assert institution is not None
    return CareDetails(
        institution=institution,
        admission_order_number=_str("care.admission_order.number", order.get("number")),
        admission_order_date=_date("care.admission_order.date", order.get("date")),
        admission_date=_date("care.admission_date", obj.get("admission_date")),
        exit_date=_date("care.exit_date", obj.get("exit_date")),
    )


def _object(field: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BadUserInput(field, "must be an object")
    return value


def _str(field: str, value: object, *, required: bool = False) -> str | None:
    if isinstance(value, str):
        text = value.strip()
        if text:
            return text
    elif value is not None:
        raise BadUserInput(field, "must be a string")
    if required:
        raise BadUserInput(field, "is required")
    return None


def _str_list(field: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadUserInput(field, "must be a list of strings")
    return list(value)


def _int(field: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadUserInput(field, "must be a whole number")
    return value


def _float(field: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadUserInput(field, "must be a number")
    return float(value)


def _enum(field: str, value: object, enum: type[E]) -> E:
    # The members by value, without Enum.__call__'s machinery (a tenth of a record's parse time went there).
    try:
        member = enum._value2member_map_.get(value)
    except TypeError:  # unhashable: a list or an object where a name belongs
        member = None
    if member is None:
        allowed = ", ".join(m.value for m in enum)
        raise BadUserInput(field, f"{value!r} is not one of {allowed}") from None
    return member  # type: ignore[return-value]


def _date(field: str, value: object, *, required: bool = False) -> date | None:
    text = _str(field, value, required=required)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadUserInput(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _datetime(field: str, value: object) -> datetime:
    text = _str(field, value, required=True)
    assert text is not None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadUserInput(field, f"{text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise BadUserInput(field, "needs a UTC offset, e.g. +05:30")
    return moment.astimezone(UTC)
