"""The directory CSV layout (what ``import directory`` reads and ``export directory`` writes), README "Directory CSV".

One row per entry, UTF-8, a header row naming the columns below (any order; unknown columns ignored). Lists are
separated by ``;``; a functionary is ``designation|name|phones (space separated)|email``. A state IT team's own
headers are mapped onto these with ``--columns name=PS_NAME,pin_code=Pincode``. The last four columns carry a CCI
listing's institution registry entry (``directories.registry``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from ..domain.enums import DirectoryKind
from ..domain.errors import BadUserInput
from .entries import KIND_CODES, EntryData, FunctionaryData
from .registry import REGISTRY_COLUMNS, RegistryDetails, details_from_cells

COLUMNS = (
    "id",
    "kind",
    "name",
    "code",
    "state",
    "district",
    "address",
    "pin_code",
    "latitude",
    "longitude",
    "phones",
    "email",
    "hours",
    "languages",
    "institution",
    "last_verified_on",
    "covers_districts",
    "covers_pin_codes",
    "sjpu",
    "ahtu",
    "functionaries",
    *REGISTRY_COLUMNS,
)
REQUIRED = ("kind", "name")
_KINDS = {k.value: k for k in DirectoryKind} | {code: k for k, code in KIND_CODES.items()}


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``"name=PS_NAME,pin_code=Pincode"`` -> {column: header in the file}."""
    mapping: dict[str, str] = {}
    for pair in (spec or "").split(","):
        if not pair.strip():
            continue
        column, sep, header = pair.partition("=")
        column, header = column.strip(), header.strip()
        if not sep or not header:
            raise BadUserInput("columns", f"{pair.strip()!r} is not COLUMN=HEADER")
        if column not in COLUMNS:
            raise BadUserInput("columns", f"{column!r} is not a column of the layout ({', '.join(COLUMNS)})")
        mapping[column] = header
    return mapping


def check_header(header: list[str], mapping: Mapping[str, str]) -> None:
    missing = [c for c in REQUIRED if mapping.get(c, c) not in header]
    if missing:
        names = ", ".join(mapping.get(c, c) for c in missing)
        raise BadUserInput("header", f"the file has no column {names}", suggestion="map yours with --columns")


def entry_from_row(row: Mapping[str, str | None], mapping: Mapping[str, str]) -> EntryData:
    """The row as an entry, not yet validated (``validate_entry`` does that); raises on unreadable values."""
    cell = _reader(row, mapping)
    kind_text = cell("kind") or ""
    kind = _KINDS.get(kind_text.upper().replace(" ", "_"))
    if kind is None:
        raise BadUserInput("kind", f"{kind_text!r} is not a directory kind", suggestion="POLICE_STATION or PS, CWC")
    return EntryData(
        id=cell("id"),
        kind=kind,
        name=cell("name") or "",
        code=cell("code"),
        state=cell("state"),
        district=cell("district"),
        address=cell("address"),
        pin_code=cell("pin_code"),
        latitude=_float("latitude", cell("latitude")),
        longitude=_float("longitude", cell("longitude")),
        phones=_list(cell("phones")),
        email=cell("email"),
        hours=cell("hours"),
        languages=_list(cell("languages")),
        institution=cell("institution"),
        last_verified_on=_date("last_verified_on", cell("last_verified_on")),
        covers_districts=_list(cell("covers_districts")),
        covers_pin_codes=_list(cell("covers_pin_codes")),
        sjpu=cell("sjpu"),
        ahtu=cell("ahtu"),
        functionaries=tuple(_functionary(i, text) for i, text in enumerate(_list(cell("functionaries")))),
    )


def details_from_row(row: Mapping[str, str | None], mapping: Mapping[str, str]) -> RegistryDetails | None:
    """The row's institution registry columns (``directories.registry``); None when it has none."""
    return details_from_cells(_reader(row, mapping))


def row_from_entry(entry: EntryData, details: RegistryDetails | None = None) -> dict[str, str]:
    """The entry (and its institution's registry details) in the layout's columns: what ``entry_from_row`` and
    ``details_from_row`` read back unchanged."""
    people = [
        "|".join([f.designation, f.name, " ".join(f.phones), f.email or ""]).rstrip("|") for f in entry.functionaries
    ]
    values: dict[str, object] = {
        "id": entry.id,
        "kind": entry.kind.value,
        "name": entry.name,
        "code": entry.code,
        "state": entry.state,
        "district": entry.district,
        "address": entry.address,
        "pin_code": entry.pin_code,
        "latitude": repr(entry.latitude) if entry.latitude is not None else None,
        "longitude": repr(entry.longitude) if entry.longitude is not None else None,
        "phones": ";".join(entry.phones),
        "email": entry.email,
        "hours": entry.hours,
        "languages": ";".join(entry.languages),
        "institution": entry.institution,
        "last_verified_on": entry.last_verified_on.isoformat() if entry.last_verified_on else None,
        "covers_districts": ";".join(entry.covers_districts),
        "covers_pin_codes": ";".join(entry.covers_pin_codes),
        "sjpu": entry.sjpu,
        "ahtu": entry.ahtu,
        "functionaries": ";".join(people),
        "institution_type": details.type.value if details else None,
        "run_by": details.run_by.value if details else None,
        "gender_served": details.gender_served.value if details else None,
        "capacity": details.capacity if details else None,
    }
    return {c: "" if values[c] is None else str(values[c]) for c in COLUMNS}


def _reader(row: Mapping[str, str | None], mapping: Mapping[str, str]) -> Callable[[str], str | None]:
    def cell(column: str) -> str | None:
        value = row.get(mapping.get(column, column))
        return value.strip() or None if value is not None else None

    return cell


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(";") if part.strip())


def _float(column: str, text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadUserInput(column, f"{text!r} is not a number") from None


def _date(column: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadUserInput(column, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _functionary(i: int, text: str) -> FunctionaryData:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 2 or len(parts) > 4:
        raise BadUserInput(f"functionaries.{i}", "is not designation|name|phones|email")
    parts += [""] * (4 - len(parts))
    return FunctionaryData(designation=parts[0], name=parts[1], phones=tuple(parts[2].split()), email=parts[3] or None)
