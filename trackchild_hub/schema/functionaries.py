"""Functionaries of directory bodies and the areas a body covers.

Who holds a post (name, designation) is public, as on district websites; how to reach that person (phones,
e-mail) is for authenticated agencies only. Every agency role holds ``cases:read`` (CONTRACT.md), and directory
maintainers hold ``directory:write``: either lets the field through, the public gets null and
UNAUTHORIZED_FIELD_OR_TYPE, and each read is written to the access log like any protected field.
"""

from __future__ import annotations

import strawberry

from ..auth.scopes import Scope
from ..resolvers.context import Info
from ..store.models import DirectoryCoverageRow, FunctionaryRow
from .access import protected, public
from .geography import District

AGENCIES = [[Scope.CASES_READ.value], [Scope.DIRECTORY_WRITE.value]]


@strawberry.type(description="A person at a directory body: SHO, Child Welfare Police Officer, CWC chairperson, ...")
class Functionary:
    id: strawberry.ID = public("Stable id (entry id and position).")
    designation: str = public("The post held.")
    name: str = public("Name of the person holding it.")
    phones: list[str] | None = protected(AGENCIES, "Phone numbers, E.164 (authenticated agencies only).")
    email: str | None = protected(AGENCIES, "E-mail (authenticated agencies only).")

    @classmethod
    def of(cls, row: FunctionaryRow) -> Functionary:
        return cls(
            id=strawberry.ID(row.id),
            designation=row.designation,
            name=row.name,
            phones=list(row.phones),
            email=row.email,
        )


def _districts(root: Coverage, info: Info) -> list[District]:
    found = (info.context.geography.district(code) for code in root._district_codes)
    return [District.of(d) for d in found if d is not None]


@strawberry.type(
    description="The areas an entry covers. Both lists empty: its own district (a police station: its own PIN code)."
)
class Coverage:
    pin_codes: list[str] = public("PIN codes covered.")
    districts: list[District] = public("Districts covered.", resolver=_districts)
    _district_codes: strawberry.Private[list[str]]

    @classmethod
    def of(cls, areas: list[DirectoryCoverageRow]) -> Coverage:
        return cls(
            pin_codes=[a.pin_code for a in areas if a.pin_code],
            _district_codes=[a.district_code for a in areas if a.district_code],
        )
