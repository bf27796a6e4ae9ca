"""A directory entry as plain data, and the rules every entry obeys whichever door it came in by (GraphQL, CSV).

``validate_entry`` raises ``BadUserInput`` naming the field by its CSV column (``pin_code``, ``phones.1``,
``functionaries.0.email``); the GraphQL edge renders the same path in camelCase under ``input``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date

from ..domain.coordinates import check_point
from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from ..domain.languages import language_codes
from ..domain.phone import normalise_phone
from ..domain.pin_code import normalise_pin_code
from ..domain.text import clean_text, required_text

K = DirectoryKind
# Bodies the JJ Act or the police set up per district: they must name their district, and they are the bodies
# that cover a place (``coveringBodies``).
DISTRICT_BODIES = (
    K.POLICE_STATION,
    K.CHILD_WELFARE_COMMITTEE,
    K.JUVENILE_JUSTICE_BOARD,
    K.DISTRICT_CHILD_PROTECTION_UNIT,
    K.SPECIAL_JUVENILE_POLICE_UNIT,
)
DISTRICT_LEVEL = frozenset(DISTRICT_BODIES)
# Only these may be national (no state): CHILDLINE 1098, NALSA.
NATIONAL_ALLOWED = frozenset({K.HELPLINE, K.LEGAL_SERVICES_AUTHORITY})
KIND_CODES: dict[DirectoryKind, str] = {
    K.POLICE_STATION: "PS",
    K.CHILD_CARE_INSTITUTION: "CCI",
    K.CHILD_WELFARE_COMMITTEE: "CWC",
    K.JUVENILE_JUSTICE_BOARD: "JJB",
    K.DISTRICT_CHILD_PROTECTION_UNIT: "DCPU",
    K.STATE_CHILD_PROTECTION_SOCIETY: "SCPS",
    K.SPECIAL_JUVENILE_POLICE_UNIT: "SJPU",
    K.ANTI_HUMAN_TRAFFICKING_UNIT: "AHTU",
    K.HELPLINE: "HELP",
    K.HOSPITAL: "HOSP",
    K.LEGAL_SERVICES_AUTHORITY: "LSA",
}

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,59}$")
_SHORT_CODE = re.compile(r"^1\d{2,4}$", re.ASCII)  # 1098, 112, 181: national short codes (ASCII: \d takes any script)
_LIST_SEPARATORS = re.compile(r"[;|]")  # they delimit lists in the CSV layout


@dataclass(frozen=True, slots=True)
class FunctionaryData:
    designation: str
    name: str
    phones: tuple[str, ...] = ()
    email: str | None = None


@dataclass(frozen=True, slots=True)
class EntryData:
    kind: DirectoryKind
    name: str
    id: str | None = None  # None: derived from kind, place and code or name (see ``derive_id``)
    code: str | None = None
    state: str | None = None
    district: str | None = None
    address: str | None = None
    pin_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    hours: str | None = None
    languages: tuple[str, ...] = ()
    institution: str | None = None  # CCI registration number
    last_verified_on: date | None = None
    covers_districts: tuple[str, ...] = ()
    covers_pin_codes: tuple[str, ...] = ()
    sjpu: str | None = None
    ahtu: str | None = None
    functionaries: tuple[FunctionaryData, ...] = field(default_factory=tuple)


def derive_id(entry: EntryData) -> str:
    """A stable id for an entry listed without one: the same row imported twice gets the same id."""
    key = "|".join([entry.kind.value, entry.state or "", entry.district or "", entry.code or entry.name.casefold()])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12].upper()
    return f"DIR-{KIND_CODES[entry.kind]}-{entry.state or 'IN'}-{digest}"


def validate_entry(entry: EntryData, geography: Geography, today: date) -> EntryData:
    """The entry checked and normalised (phones to E.164, text trimmed, id filled in)."""
    name = required_text("name", entry.name, 200)
    state, district = _place(entry, geography)
    check_point("latitude", entry.latitude, entry.longitude, suggestion="WGS 84 degrees: 22.58, 88.34")
    if entry.last_verified_on is not None and entry.last_verified_on > today:
        raise BadUserInput("last_verified_on", f"{entry.last_verified_on} is in the future")
    if entry.sjpu and entry.kind is not K.POLICE_STATION:
        raise BadUserInput("sjpu", "only police stations name a covering SJPU")
    if entry.ahtu and entry.kind is not K.POLICE_STATION:
        raise BadUserInput("ahtu", "only police stations name a covering AHTU")
    if entry.institution and entry.kind is not K.CHILD_CARE_INSTITUTION:
        raise BadUserInput("institution", "only Child Care Institution listings link an institution")
    for i, code in enumerate(entry.covers_districts):
        if geography.district(code) is None:
            raise BadUserInput(f"covers_districts.{i}", f"{code!r} is not a known LGD district code")
    checked = replace(
        entry,
        name=name,
        code=clean_text("code", entry.code, 40),
        state=state,
        district=district,
        address=clean_text("address", entry.address, 500),
        pin_code=_pin("pin_code", entry.pin_code),
        phones=_phones("phones", entry.phones),
        email=_email("email", entry.email),
        hours=clean_text("hours", entry.hours, 100),
        languages=_languages(entry.languages),
        institution=clean_text("institution", entry.institution, 100),
        covers_districts=tuple(dict.fromkeys(entry.covers_districts)),
        covers_pin_codes=tuple(
            dict.fromkeys(_pin(f"covers_pin_codes.{i}", p) or "" for i, p in enumerate(entry.covers_pin_codes))
        ),
        sjpu=clean_text("sjpu", entry.sjpu, 60),
        ahtu=clean_text("ahtu", entry.ahtu, 60),
        functionaries=tuple(_functionary(i, f) for i, f in enumerate(entry.functionaries)),
    )
    if checked.id is None:
        return replace(checked, id=derive_id(checked))
    if not _ID.match(checked.id):
        raise BadUserInput("id", "letters, digits, '.', '_' and '-' only, at most 60", suggestion="PS-19-313-001")
    return checked


def _place(entry: EntryData, geography: Geography) -> tuple[str | None, str | None]:
    state = entry.state.strip() if entry.state else None
    district = entry.district.strip() if entry.district else None
    if state is None:
        if entry.kind not in NATIONAL_ALLOWED:
            raise BadUserInput("state", "is required for this kind (only helplines and NALSA are national)")
        if district is not None:
            raise BadUserInput("state", "is required when a district is given")
        return None, None
    known = geography.state(state)
    if known is None:
        raise BadUserInput("state", f"{state!r} is not an LGD state code")
    if district is None:
        if entry.kind in DISTRICT_LEVEL:
            raise BadUserInput("district", "is required for this kind")
        return state, None
    found = geography.district(district)
    if found is None:
        raise BadUserInput("district", f"{district!r} is not a known LGD district code")
    if found.state_code != state:
        raise BadUserInput("district", f"{found.name} ({found.code}) is not in {known.name}")
    return state, district


def _pin(name: str, value: str | None) -> str | None:
    if not value or not value.replace(" ", ""):
        return None
    pin_code = normalise_pin_code(value)
    if pin_code is None:
        raise BadUserInput(name, f"{value!r} is not a PIN code (six digits, not starting with 0)")
    return pin_code


def _phones(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for i, value in enumerate(values):
        text = value.strip()
        if not text:
            continue
        phone = text if _SHORT_CODE.match(text) else normalise_phone(text)
        if phone is None:
            raise BadUserInput(f"{name}.{i}", "is not an Indian phone number", suggestion="+913326412345 or 1098")
        out.append(phone)
    return tuple(dict.fromkeys(out))


def _email(name: str, value: str | None) -> str | None:
    text = value.strip() if value else ""
    if not text:
        return None
    if len(text) > 200 or not _EMAIL.match(text):
        raise BadUserInput(name, "is not an e-mail address")
    return text


def _languages(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(language_codes("languages", values)))


def _functionary(i: int, person: FunctionaryData) -> FunctionaryData:
    prefix = f"functionaries.{i}"
    name = required_text(f"{prefix}.name", person.name, 200)
    designation = required_text(f"{prefix}.designation", person.designation, 200)
    for label, text in (("name", name), ("designation", designation)):
        if _LIST_SEPARATORS.search(text):
            raise BadUserInput(f"{prefix}.{label}", "must not contain ';' or '|'")
    return FunctionaryData(
        designation=designation,
        name=name,
        phones=_phones(f"{prefix}.phones", person.phones),
        email=_email(f"{prefix}.email", person.email),
    )
