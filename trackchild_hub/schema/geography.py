"""States/UTs and districts by LGD code: public reference data."""

from __future__ import annotations

import strawberry

from ..domain import geography as geo
from .access import public_type


@public_type
@strawberry.type(description="A district, by its Local Government Directory (LGD) code.")
class District:
    code: str = strawberry.field(description="LGD district code.")
    name: str = strawberry.field(description="District name.")
    state_code: str = strawberry.field(description="LGD code of the district's state.")

    @classmethod
    def of(cls, d: geo.District) -> District:
        return cls(code=d.code, name=d.name, state_code=d.state_code)


@public_type
@strawberry.type(description="A State or Union Territory, by its LGD code.")
class State:
    code: str = strawberry.field(description="LGD state code.")
    name: str = strawberry.field(description="State or UT name.")
    abbreviation: str = strawberry.field(description="Two-letter code used in case references (WB, DL, ...).")
    union_territory: bool = strawberry.field(description="True for a Union Territory.")
    _districts: strawberry.Private[tuple[geo.District, ...]]

    @strawberry.field(description="Its districts (the hub's reference data may not list every state's yet).")
    def districts(self) -> list[District]:
        return [District.of(d) for d in self._districts]

    @classmethod
    def of(cls, s: geo.State) -> State:
        return cls(
            code=s.code,
            name=s.name,
            abbreviation=s.abbreviation,
            union_territory=s.kind is geo.StateKind.UNION_TERRITORY,
            _districts=s.districts,
        )
