"""Reading and writing Child Care Institutions; occupancy counted from open care cases."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..directories.entries import EntryData
from ..directories.registry import RegistryDetails
from ..domain.enums import CaseStatus, GenderServed, InstitutionType, RunBy
from ..domain.filters import InstitutionFilter
from .cases import search_tokens
from .models import CareCaseRow, InstitutionRow
from .models.base import new_id, utcnow
from .pagination import Page, decode_cursor, encode_cursor


class InstitutionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_ids(self, ids: Sequence[str]) -> dict[str, InstitutionRow]:
        rows = await self.session.scalars(select(InstitutionRow).where(InstitutionRow.id.in_(ids)))
        return {row.id: row for row in rows}

    async def by_reference(self, reference: str) -> InstitutionRow | None:
        """By id or by registration number."""
        result = await self.session.scalars(
            select(InstitutionRow).where(
                or_(InstitutionRow.id == reference, InstitutionRow.registration_number == reference)
            )
        )
        return result.first()

    async def registry_details(self, registrations: Collection[str]) -> dict[str, RegistryDetails]:
        """By registration number, what the directory CSV writes of each registered institution."""
        rows = await self.session.execute(
            select(
                InstitutionRow.registration_number,
                InstitutionRow.type,
                InstitutionRow.run_by,
                InstitutionRow.gender_served,
                InstitutionRow.capacity,
            ).where(InstitutionRow.registration_number.in_(list(registrations)))
        )
        return {
            number: RegistryDetails(InstitutionType(kind), RunBy(run_by), GenderServed(gender), capacity)
            for number, kind, run_by, gender, capacity in rows
        }

    async def register(self, listings: Sequence[tuple[EntryData, RegistryDetails]]) -> list[str]:
        """Register the institutions of CCI listings (validated, registration number set) that the registry lacks,
        from the listing's name, place, address, first phone, e-mail and coordinates; the first listing of a number
        wins and registered ones are left as they are. Returns the numbers registered, in listing order."""
        wanted: dict[str, tuple[EntryData, RegistryDetails]] = {}
        for e, d in listings:
            if e.institution:
                wanted.setdefault(e.institution, (e, d))
        known = set(
            await self.session.scalars(
                select(InstitutionRow.registration_number).where(InstitutionRow.registration_number.in_(list(wanted)))
            )
        )
        new = [(number, e, d) for number, (e, d) in wanted.items() if number not in known]
        rows = [
            {
                "id": new_id(),
                "registration_number": number,
                "name": e.name,
                "type": d.type.value,
                "run_by": d.run_by.value,
                "gender_served": d.gender_served.value,
                "capacity": d.capacity,
                "address": e.address,
                "state_code": e.state,
                "district_code": e.district,
                "pin_code": e.pin_code,
                "phone": e.phones[0] if e.phones else None,
                "email": e.email,
                "latitude": e.latitude,
                "longitude": e.longitude,
                "created_at": utcnow(),
            }
            for number, e, d in new
        ]
        if rows:
            await self.session.execute(insert(InstitutionRow).execution_options(render_nulls=True), rows)
        return [number for number, _, _ in new]

    async def occupancy(self, ids: Sequence[str]) -> dict[str, int]:
        """Children living in each institution now: open care cases without an exit date."""
        rows = await self.session.execute(
            select(CareCaseRow.institution_id, func.count())
            .where(
                CareCaseRow.institution_id.in_(ids),
                CareCaseRow.status == CaseStatus.OPEN.value,
                CareCaseRow.exit_date.is_(None),
            )
            .group_by(CareCaseRow.institution_id)
        )
        counts = {key: value for key, value in rows}  # noqa: C416 - dict(Result) reads it as a mapping
        return {i: int(counts.get(i, 0)) for i in ids}

    async def page(self, where: InstitutionFilter, first: int, after: str | None) -> Page[InstitutionRow]:
        stmt = select(InstitutionRow)
        if where.state:
            stmt = stmt.where(InstitutionRow.state_code == where.state)
        if where.district:
            stmt = stmt.where(InstitutionRow.district_code == where.district)
        for token in search_tokens(where.name or ""):
            stmt = stmt.where(func.lower(InstitutionRow.name).contains(token, autoescape=True))
        if after is not None:
            name, last_id = decode_cursor(after, 2)
            stmt = stmt.where(
                or_(InstitutionRow.name > name, and_(InstitutionRow.name == name, InstitutionRow.id > last_id))
            )
        rows = list(await self.session.scalars(stmt.order_by(InstitutionRow.name, InstitutionRow.id).limit(first + 1)))
        rows, has_next = rows[:first], len(rows) > first
        return Page(rows, has_next, [encode_cursor(r.name, r.id) for r in rows])
