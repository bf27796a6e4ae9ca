"""Child Care Institutions: registration, capacity and live occupancy."""

from __future__ import annotations

import strawberry

from ..domain import enums
from ..resolvers.context import Info
from ..services import catalogue
from ..store.case_records import InstitutionRecord
from ..store.models import InstitutionRow
from .access import public_type
from .enums import GenderServed, InstitutionType, RunBy
from .geography import District, State


@public_type
@strawberry.federation.type(keys=["id"], description="A Child Care Institution registered under JJ Act s.41.")
class Institution:
    id: strawberry.ID = strawberry.field(description="The hub's id of the institution.")
    registration_number: str = strawberry.field(description="Registration number under the JJ Act.")
    name: str = strawberry.field(description="Name.")
    type: InstitutionType = strawberry.field(description="Children's home, observation home, ...")
    run_by: RunBy = strawberry.field(description="Government or NGO.")
    gender_served: GenderServed = strawberry.field(description="Boys, girls or any.")
    capacity: int = strawberry.field(description="Sanctioned capacity.")
    address: str | None = strawberry.field(description="Postal address.")
    pin_code: str | None = strawberry.field(description="PIN code.")
    phone: str | None = strawberry.field(description="Office phone, E.164.")
    email: str | None = strawberry.field(description="Office e-mail.")
    latitude: float | None = strawberry.field(description="WGS 84 latitude.")
    longitude: float | None = strawberry.field(description="WGS 84 longitude.")
    _row: strawberry.Private[InstitutionRow | InstitutionRecord]

    @strawberry.field(description="Children living there now (open care cases without an exit date).")
    async def occupancy(self, info: Info) -> int:
        return await info.context.loaders.occupancy_by_institution_id.one(self.id) or 0

    @strawberry.field(description="State or UT.")
    def state(self, info: Info) -> State:
        state = info.context.geography.state(self._row.state_code)
        assert state is not None
        return State.of(state)

    @strawberry.field(description="District.")
    def district(self, info: Info) -> District | None:
        code = self._row.district_code
        district = info.context.geography.district(code) if code else None
        return District.of(district) if district else None

    @classmethod
    def of(cls, row: InstitutionRow | InstitutionRecord) -> Institution:
        return cls(
            id=strawberry.ID(row.id),
            registration_number=row.registration_number,
            name=row.name,
            type=enums.InstitutionType(row.type),
            run_by=enums.RunBy(row.run_by),
            gender_served=enums.GenderServed(row.gender_served),
            capacity=row.capacity,
            address=row.address,
            pin_code=row.pin_code,
            phone=row.phone,
            email=row.email,
            latitude=row.latitude,
            longitude=row.longitude,
            _row=row,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Institution:
        """``_entities`` and ``institution(id:)`` alike: an unknown id is NOT_FOUND (institutions are public)."""
        return cls.of(await catalogue.institution(info.context, str(id)))
