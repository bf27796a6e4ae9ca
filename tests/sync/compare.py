"""What a synced store holds for a source, and what the upstream holds, in one comparable shape."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_polymorphic

from trackchild_hub.domain.records import CaseData
from trackchild_hub.store.models import (
    CareCaseRow,
    CaseRow,
    ChildAliasRow,
    ChildRow,
    FoundCaseRow,
    GuardianRow,
    MissingCaseRow,
)

Shape = dict[str, tuple[Any, ...]]


def upstream_shape(cases: list[CaseData]) -> Shape:
    out: Shape = {}
    for c in cases:
        assert c.external_id is not None
        child = c.child
        specific: tuple[Any, ...] = ()
        if c.missing is not None:
            fir = c.missing.fir
            specific = (fir and fir.number, fir and fir.date, c.missing.circumstances, c.missing.reporter_name)
        elif c.care is not None:
            specific = (c.care.admission_date or c.event_date, c.care.exit_date, c.care.admission_order_number)
        elif c.found is not None:
            specific = (c.found.found_by, c.found.current_placement, c.found.missing_since)
        out[c.external_id] = (
            c.kind.value,
            c.status.value,
            c.event_date,
            c.reported_at.astimezone(UTC),
            c.place.state,
            c.place.district,
            c.place.text,
            c.place.latitude,
            c.place.longitude,
            child.name,
            child.gender.value,
            child.age_years,
            child.date_of_birth,
            tuple(child.aliases),
            tuple((g.relation.value, g.name, g.phone) for g in child.guardians),
            tuple(child.identifying_marks),
            tuple(child.languages),
            child.clothing,
            specific,
        )
    return out


async def stored_shape(session: AsyncSession, source: str) -> Shape:
    any_case = with_polymorphic(CaseRow, [MissingCaseRow, FoundCaseRow, CareCaseRow])
    rows = list(await session.scalars(select(any_case).where(any_case.source == source)))
    out: Shape = {}
    for r in rows:
        child = await session.get(ChildRow, r.child_id)
        assert child is not None
        aliases = await session.scalars(
            select(ChildAliasRow.alias).where(ChildAliasRow.child_id == child.id).order_by(ChildAliasRow.position)
        )
        guardians = await session.execute(
            select(GuardianRow.relation, GuardianRow.name, GuardianRow.phone)
            .where(GuardianRow.child_id == child.id)
            .order_by(GuardianRow.position)
        )
        specific: tuple[Any, ...] = ()
        if isinstance(r, MissingCaseRow):
            specific = (r.fir_number, r.fir_date, r.circumstances, r.reporter_name)
        elif isinstance(r, CareCaseRow):
            specific = (r.admission_date, r.exit_date, r.admission_order_number)
        elif isinstance(r, FoundCaseRow):
            specific = (r.found_by, r.current_placement, r.missing_since)
        assert r.external_id not in out, f"{r.external_id} stored twice"
        out[r.external_id] = (
            r.kind,
            r.status,
            r.event_date,
            r.reported_at.astimezone(UTC),
            r.state_code,
            r.district_code,
            r.place_text,
            r.latitude,
            r.longitude,
            child.name,
            child.gender,
            child.age_years,
            child.date_of_birth,
            tuple(aliases),
            tuple(tuple(g) for g in guardians),
            tuple(child.identifying_marks),
            tuple(child.languages),
            child.clothing,
            specific,
        )
    return out
