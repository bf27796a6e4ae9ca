"""Filter inputs of the list queries."""

from __future__ import annotations

from datetime import date

import strawberry

from ..domain.filters import CaseFilter, DirectoryFilter, InstitutionFilter
from .enums import CaseKind, CaseStatus, DirectoryKind, Gender


@strawberry.input(description="Narrow a case list; all given conditions must hold.")
class CaseFilterInput:
    kinds: list[CaseKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    statuses: list[CaseStatus] | None = strawberry.field(default=None, description="Any of these statuses.")
    state: str | None = strawberry.field(default=None, description="LGD state code.")
    district: str | None = strawberry.field(default=None, description="LGD district code.")
    police_station: str | None = strawberry.field(default=None, description="Police station id.")
    institution: strawberry.ID | None = strawberry.field(default=None, description="Institution id.")
    gender: Gender | None = strawberry.field(default=None, description="Gender.")
    min_age: int | None = strawberry.field(default=None, description="Current age at least.")
    max_age: int | None = strawberry.field(default=None, description="Current age at most.")
    event_from: date | None = strawberry.field(default=None, description="Event date on or after.")
    event_to: date | None = strawberry.field(default=None, description="Event date on or before.")
    name: str | None = strawberry.field(default=None, description="Words of the name or an alias (child:identity).")

    def to_domain(self) -> CaseFilter:
        return CaseFilter(
            kinds=tuple(self.kinds or ()),
            statuses=tuple(self.statuses or ()),
            state=self.state,
            district=self.district,
            police_station=self.police_station,
            institution=str(self.institution) if self.institution else None,
            gender=self.gender,
            min_age=self.min_age,
            max_age=self.max_age,
            event_from=self.event_from,
            event_to=self.event_to,
            name=self.name,
        )


@strawberry.input(description="Narrow the institution list.")
class InstitutionFilterInput:
    state: str | None = strawberry.field(default=None, description="LGD state code.")
    district: str | None = strawberry.field(default=None, description="LGD district code.")
    name: str | None = strawberry.field(default=None, description="Words of the name.")

    def to_domain(self) -> InstitutionFilter:
        return InstitutionFilter(state=self.state, district=self.district, name=self.name)


@strawberry.input(description="Narrow the directory.")
class DirectoryFilterInput:
    kinds: list[DirectoryKind] | None = strawberry.field(default=None, description="Any of these kinds.")
    state: str | None = strawberry.field(default=None, description="LGD state code.")
    district: str | None = strawberry.field(default=None, description="LGD district code.")
    pin_code: str | None = strawberry.field(default=None, description="PIN code.")
    text: str | None = strawberry.field(default=None, description="Words of the name or address.")

    def to_domain(self) -> DirectoryFilter:
        return DirectoryFilter(
            kinds=tuple(self.kinds or ()),
            state=self.state,
            district=self.district,
            pin_code=self.pin_code,
            text=self.text,
        )
