"""The institution registry columns of a CCI listing: what a directory import needs to register the institution.

A Child Care Institution listing names its institution by registration number (``institution``). When that number is
not in the hub's registry yet, the row's ``institution_type``, ``run_by``, ``gender_served`` and ``capacity`` (with
the listing's own name, place, address, first phone, e-mail and coordinates) register it; ``export directory`` writes
them from the registry, so a directory moves between hubs with its institutions. An institution already registered
is linked as it stands: the columns never change it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from ..domain.enums import DirectoryKind, GenderServed, InstitutionType, RunBy
from ..domain.errors import BadUserInput
from .entries import EntryData

REGISTRY_COLUMNS = ("institution_type", "run_by", "gender_served", "capacity")
MAX_CAPACITY = 10_000
# The registry's key: at most 60 characters (the column's width), "WB/CCI/2020/0002" and the like.
_REGISTRATION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9/._\- ]{0,58}[A-Za-z0-9])?$")
_E = TypeVar("_E", bound=Enum)


@dataclass(frozen=True, slots=True)
class RegistryDetails:
    """What the registry holds of an institution beyond its directory listing."""

    type: InstitutionType
    run_by: RunBy
    gender_served: GenderServed
    capacity: int


def details_from_cells(cell: Callable[[str], str | None]) -> RegistryDetails | None:
    """The four columns read through ``cell`` (column -> trimmed text or None); None when all are empty.

    Raises ``BadUserInput`` naming the column that is missing (some given, not all) or unreadable."""
    given = {c: cell(c) for c in REGISTRY_COLUMNS}
    if not any(given.values()):
        return None
    missing = [c for c, value in given.items() if not value]
    if missing:
        others = ", ".join(REGISTRY_COLUMNS)
        raise BadUserInput(missing[0], f"is required with the other institution columns ({others})")
    return RegistryDetails(
        type=_member("institution_type", given["institution_type"] or "", InstitutionType),
        run_by=_member("run_by", given["run_by"] or "", RunBy),
        gender_served=_member("gender_served", given["gender_served"] or "", GenderServed),
        capacity=_capacity(given["capacity"] or ""),
    )


def check_details(entry: EntryData, details: RegistryDetails | None) -> RegistryDetails | None:
    """The details of a validated entry, checked against it: only a CCI listing with a well-formed registration
    number carries them."""
    if details is None:
        return None
    if entry.kind is not DirectoryKind.CHILD_CARE_INSTITUTION:
        raise BadUserInput("institution_type", "only Child Care Institution listings carry institution columns")
    if not entry.institution:
        raise BadUserInput("institution", "is required: the registration number of the institution to register")
    if not _REGISTRATION.match(entry.institution):
        raise BadUserInput(
            "institution",
            f"{entry.institution!r} is not a registration number (letters, digits, spaces, '/', '.', '_', '-'; "
            "at most 60)",
            suggestion="WB/CCI/2020/0002",
        )
    return details


def _member(column: str, text: str, enum: type[_E]) -> _E:
    value = text.upper().replace(" ", "_")
    for member in enum:
        if member.value == value:
            return member
    choices = ", ".join(str(m.value) for m in enum)
    raise BadUserInput(column, f"{text!r} is not one of {choices}")


def _capacity(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_CAPACITY:
        raise BadUserInput("capacity", f"{text!r} is not a number of places (1-{MAX_CAPACITY})")
    return int(text)
