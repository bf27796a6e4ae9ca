"""How the simulator words its records: ``standard`` (the exchange record as is) or ``legacy`` (a CCTNS-style shape).

Only the record shape differs between dialects: URL paths, query parameters (``kind=MISSING``, ``gender=MALE``,
``updated_since`` as ISO 8601, ``cursor``, ``limit``), error bodies and ``/_sim/*`` bodies (always the exchange record)
are the profile's in both.

The ``legacy`` dialect. Every key below is always present; a value is ``null`` where the exchange record has none
(or the case kind does not use it). Dates are ``DD/MM/YYYY`` (strptime ``%d/%m/%Y``); date-times are India Standard
Time with no offset written (``+05:30``). Phones are ten digits without ``+91`` when the exchange record holds
``+91`` and ten digits, otherwise verbatim. LGD codes stay strings, as in the exchange record.

legacy field                     exchange record field          format
-------------------------------  -----------------------------  ------------------------------------------------
case_type                        kind                           MISSING_CHILD | FOUND_CHILD | CHILD_IN_CCI
                                                                (= MISSING | FOUND | CARE)
ref_no                           external_id                    string
src                              source                         string
hub_ref                          reference                      string
date_reported                    reported_at                    DD/MM/YYYY HH:MM, IST (seconds dropped)
case_status                      status                         PENDING | TRACED | CLOSED
                                                                (= OPEN | RESOLVED | CLOSED)
fir_no                           fir.number                     string
fir_dt                           fir.date                       DD/MM/YYYY
incident_date                    event_date                     DD/MM/YYYY
last_modified                    updated_at                     DD/MM/YYYY HH:MM:SS, IST
juvenile.full_name               child.name                     string
juvenile.nick_names              child.aliases                  list of strings
juvenile.sex                     child.gender                   M | F | T | U
                                                                (= MALE | FEMALE | TRANSGENDER | UNKNOWN)
juvenile.age                     child.age_years                integer
juvenile.dob                     child.date_of_birth            DD/MM/YYYY
juvenile.height_cms              child.height_cm                integer
juvenile.complexion              child.complexion               string
juvenile.id_marks                child.identifying_marks        list of strings
juvenile.languages_known         child.languages                list of strings (ISO 639-1)
juvenile.dress                   child.clothing                 string
juvenile.is_confidential         child.confidential             boolean (false when absent)
juvenile.parents[].rel           child.guardians[].relation     F | M | G | R | O
                                                                (= FATHER | MOTHER | GUARDIAN | RELATIVE | OTHER)
juvenile.parents[].pname         child.guardians[].name         string
juvenile.parents[].mobile_no     child.guardians[].phone        phone
last_seen.state_lgd              place.state                    string, LGD code (the place of the event
                                                                for every case type, not only MISSING)
last_seen.district_lgd           place.district                 string, LGD code
last_seen.ps_code                place.police_station           string
last_seen.location               place.text                     string
last_seen.lat                    place.latitude                 number
last_seen.lng                    place.longitude                number
brief_facts                      missing.circumstances          string (MISSING_CHILD)
time_last_seen                   missing.last_seen_time         HH:MM string, unchanged (MISSING_CHILD)
complainant                      missing.reporter               object, null when there is no reporter
complainant.name                 missing.reporter.name          string
complainant.relation             missing.reporter.relation      free text, unchanged ("mother")
complainant.mobile_no            missing.reporter.phone         phone
recovered_by                     found.found_by                 string (FOUND_CHILD)
recovered_by_phone               found.found_by_contact         phone (FOUND_CHILD)
placed_at                        found.current_placement        string (FOUND_CHILD)
handed_over_cci                  found.institution              string, CCI code (FOUND_CHILD)
missing_since_dt                 found.missing_since            DD/MM/YYYY (FOUND_CHILD)
cci_code                         care.institution               string, CCI code (CHILD_IN_CCI)
cwc_order_no                     care.admission_order.number    string (CHILD_IN_CCI)
cwc_order_dt                     care.admission_order.date      DD/MM/YYYY (CHILD_IN_CCI)
admission_dt                     care.admission_date            DD/MM/YYYY (CHILD_IN_CCI)
exit_dt                          care.exit_date                 DD/MM/YYYY (CHILD_IN_CCI)

Any other top-level field of the exchange record (``demo_truth``, fields posted to ``/_sim/records``) is passed
through under its own name; unknown fields inside ``child``, ``place`` or the kind sections are not carried.
``LEGACY_MAPPING`` below is this table as a connector file's ``[connector.mapping]`` declares it.

Corrupted records (``malformed_rate``): ``standard`` drops ``child``, sets ``event_date`` to ``"not-a-date"`` or
``kind`` to ``"BOGUS"``; ``legacy`` drops ``juvenile``, sets ``incident_date`` to ``"not-a-date"`` or ``case_type``
to ``"BOGUS"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

IST = timezone(timedelta(hours=5, minutes=30), "IST")
DATE = "%d/%m/%Y"
REPORTED = "%d/%m/%Y %H:%M"
MODIFIED = "%d/%m/%Y %H:%M:%S"

CASE_TYPES = {"MISSING": "MISSING_CHILD", "FOUND": "FOUND_CHILD", "CARE": "CHILD_IN_CCI"}
STATUSES = {"OPEN": "PENDING", "RESOLVED": "TRACED", "CLOSED": "CLOSED"}
SEXES = {"MALE": "M", "FEMALE": "F", "TRANSGENDER": "T", "UNKNOWN": "U"}
RELATIONS = {"FATHER": "F", "MOTHER": "M", "GUARDIAN": "G", "RELATIVE": "R", "OTHER": "O"}

# exchange-record path = legacy path, as in [connector.mapping] fields
LEGACY_FIELDS = {
    "kind": "case_type",
    "external_id": "ref_no",
    "source": "src",
    "reference": "hub_ref",
    "reported_at": "date_reported",
    "status": "case_status",
    "fir.number": "fir_no",
    "fir.date": "fir_dt",
    "event_date": "incident_date",
    "updated_at": "last_modified",
    "demo_truth": "demo_truth",
    "child.name": "juvenile.full_name",
    "child.aliases": "juvenile.nick_names",
    "child.gender": "juvenile.sex",
    "child.age_years": "juvenile.age",
    "child.date_of_birth": "juvenile.dob",
    "child.height_cm": "juvenile.height_cms",
    "child.complexion": "juvenile.complexion",
    "child.identifying_marks": "juvenile.id_marks",
    "child.languages": "juvenile.languages_known",
    "child.clothing": "juvenile.dress",
    "child.confidential": "juvenile.is_confidential",
    "child.guardians[].relation": "juvenile.parents[].rel",
    "child.guardians[].name": "juvenile.parents[].pname",
    "child.guardians[].phone": "juvenile.parents[].mobile_no",
    "place.state": "last_seen.state_lgd",
    "place.district": "last_seen.district_lgd",
    "place.police_station": "last_seen.ps_code",
    "place.text": "last_seen.location",
    "place.latitude": "last_seen.lat",
    "place.longitude": "last_seen.lng",
    "missing.circumstances": "brief_facts",
    "missing.last_seen_time": "time_last_seen",
    "missing.reporter.name": "complainant.name",
    "missing.reporter.relation": "complainant.relation",
    "missing.reporter.phone": "complainant.mobile_no",
    "found.found_by": "recovered_by",
    "found.found_by_contact": "recovered_by_phone",
    "found.current_placement": "placed_at",
    "found.institution": "handed_over_cci",
    "found.missing_since": "missing_since_dt",
    "care.institution": "cci_code",
    "care.admission_order.number": "cwc_order_no",
    "care.admission_order.date": "cwc_order_dt",
    "care.admission_date": "admission_dt",
    "care.exit_date": "exit_dt",
}
LEGACY_MAPPING: dict[str, Any] = {
    "fields": LEGACY_FIELDS,
    "enums": {
        "kind": {v: k for k, v in CASE_TYPES.items()},
        "status": {v: k for k, v in STATUSES.items()},
        "child.gender": {v: k for k, v in SEXES.items()},
        "child.guardians.relation": {v: k for k, v in RELATIONS.items()},  # list paths are keyed without "[]"
    },
    "dates": {
        "reported_at": REPORTED,
        "updated_at": MODIFIED,
        **dict.fromkeys(("fir.date", "event_date", "child.date_of_birth", "found.missing_since"), DATE),
        **dict.fromkeys(("care.admission_order.date", "care.admission_date", "care.exit_date"), DATE),
    },
    "utc_offset": "+05:30",
}
_RENAMED = {"kind", "source", "external_id", "reference", "reported_at", "status", "fir", "event_date", "updated_at"}
_RENAMED |= {"child", "place", "missing", "found", "care"}


def _obj(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _date(value: object) -> str | None:
    return date.fromisoformat(value).strftime(DATE) if isinstance(value, str) and value else None


def _moment(value: object, layout: str) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value).astimezone(IST).strftime(layout)


def _phone(value: object) -> object:
    if isinstance(value, str) and value.startswith("+91") and len(value) == 13 and value[3:].isdigit():
        return value[3:]
    return value


def _enum(table: Mapping[str, str], value: object) -> object:
    return table.get(value, value) if isinstance(value, str) else value


def to_legacy(record: Mapping[str, Any]) -> dict[str, Any]:
    """The exchange record ``record`` in the legacy dialect (see the module docstring)."""
    child, place, fir = _obj(record.get("child")), _obj(record.get("place")), _obj(record.get("fir"))
    missing, found, care = _obj(record.get("missing")), _obj(record.get("found")), _obj(record.get("care"))
    reporter, order = _obj(missing.get("reporter")), _obj(care.get("admission_order"))
    out: dict[str, Any] = {
        "case_type": _enum(CASE_TYPES, record.get("kind")),
        "ref_no": record.get("external_id"),
        "src": record.get("source"),
        "hub_ref": record.get("reference"),
        "date_reported": _moment(record.get("reported_at"), REPORTED),
        "case_status": _enum(STATUSES, record.get("status") or "OPEN"),
        "fir_no": fir.get("number"),
        "fir_dt": _date(fir.get("date")),
        "incident_date": _date(record.get("event_date")),
        "last_modified": _moment(record.get("updated_at"), MODIFIED),
        "juvenile": {
            "full_name": child.get("name"),
            "nick_names": list(child.get("aliases") or []),
            "sex": _enum(SEXES, child.get("gender") or "UNKNOWN"),
            "age": child.get("age_years"),
            "dob": _date(child.get("date_of_birth")),
            "height_cms": child.get("height_cm"),
            "complexion": child.get("complexion"),
            "id_marks": list(child.get("identifying_marks") or []),
            "languages_known": list(child.get("languages") or []),
            "dress": child.get("clothing"),
            "is_confidential": bool(child.get("confidential", False)),
            "parents": [
                {
                    "rel": _enum(RELATIONS, g.get("relation")),
                    "pname": g.get("name"),
                    "mobile_no": _phone(g.get("phone")),
                }
                for g in map(_obj, child.get("guardians") or [])
            ],
        },
        "last_seen": {
            "state_lgd": place.get("state"),
            "district_lgd": place.get("district"),
            "ps_code": place.get("police_station"),
            "location": place.get("text"),
            "lat": place.get("latitude"),
            "lng": place.get("longitude"),
        },
        "brief_facts": missing.get("circumstances"),
        "time_last_seen": missing.get("last_seen_time"),
        "complainant": (
            {
                "name": reporter.get("name"),
                "relation": reporter.get("relation"),
                "mobile_no": _phone(reporter.get("phone")),
            }
            if reporter
            else None
        ),
        "recovered_by": found.get("found_by"),
        "recovered_by_phone": _phone(found.get("found_by_contact")),
        "placed_at": found.get("current_placement"),
        "handed_over_cci": found.get("institution"),
        "missing_since_dt": _date(found.get("missing_since")),
        "cci_code": care.get("institution"),
        "cwc_order_no": order.get("number"),
        "cwc_order_dt": _date(order.get("date")),
        "admission_dt": _date(care.get("admission_date")),
        "exit_dt": _date(care.get("exit_date")),
    }
    out.update((k, v) for k, v in record.items() if k not in _RENAMED)
    return out


def to_standard(record: Mapping[str, Any]) -> dict[str, Any]:
    return dict(record)


# dialect name -> (render, {corruption: (field to change, value or None to drop it)})
Corruptions = Mapping[str, tuple[str, str | None]]
DIALECTS: dict[str, tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Corruptions]] = {
    "standard": (to_standard, {"drop_child": ("child", None), "bad_date": ("event_date", "not-a-date"),
                               "bad_kind": ("kind", "BOGUS")}),
    "legacy": (to_legacy, {"drop_child": ("juvenile", None), "bad_date": ("incident_date", "not-a-date"),
                           "bad_kind": ("case_type", "BOGUS")}),
}  # fmt: skip


def render(dialect: str, record: Mapping[str, Any], corrupt: str | None = None) -> dict[str, Any]:
    """``record`` in ``dialect``, corrupted the named way when ``corrupt`` is given."""
    to_dialect, corruptions = DIALECTS[dialect]
    out = to_dialect(record)
    if corrupt is not None:
        name, value = corruptions[corrupt]
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out
