"""Loading institutions and directory entries from plain records (demo seed, fixtures).

Records use the field names of the directory CSV layout; ``institution`` on a CCI listing is a registration number;
``functionaries`` is a list of {designation, name, phones, email}.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from .cases import search_text
from .models import DirectoryCoverageRow, DirectoryEntryRow, FunctionaryRow, InstitutionRow
from .models.base import new_id, utcnow


async def add_institutions(session: AsyncSession, records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Insert institutions; returns {registration number: id}."""
    rows = [
        {
            "id": new_id(),
            "registration_number": r["registration_number"],
            "name": r["name"],
            "type": r["type"],
            "run_by": r["run_by"],
            "gender_served": r["gender_served"],
            "capacity": int(r["capacity"]),
            "address": r.get("address"),
            "state_code": r["state"],
            "district_code": r.get("district"),
            "pin_code": r.get("pin_code"),
            "phone": r.get("phone"),
            "email": r.get("email"),
            "latitude": r.get("latitude"),
            "longitude": r.get("longitude"),
            "created_at": utcnow(),
        }
        for r in records
    ]
    if rows:
        await session.execute(insert(InstitutionRow).execution_options(render_nulls=True), rows)
    return {row["registration_number"]: row["id"] for row in rows}


async def add_directory_entries(
    session: AsyncSession, records: Sequence[Mapping[str, Any]], *, verified_on: date | None = None
) -> None:
    registrations = {r["institution"] for r in records if r.get("institution")}
    institution_ids: dict[str, str] = {}
    if registrations:
        result = await session.execute(
            select(InstitutionRow.registration_number, InstitutionRow.id).where(
                InstitutionRow.registration_number.in_(registrations)
            )
        )
        institution_ids = {key: value for key, value in result}  # noqa: C416 - dict(Result) reads it as a mapping
    rows = [
        {
            "id": r["id"],
            "kind": r["kind"],
            "name": r["name"],
            "search_text": search_text(r["name"], r.get("address")),
            "code": r.get("code"),
            "state_code": r.get("state"),
            "district_code": r.get("district"),
            "address": r.get("address"),
            "pin_code": r.get("pin_code"),
            "latitude": r.get("latitude"),
            "longitude": r.get("longitude"),
            "phones": list(r.get("phones") or []),
            "email": r.get("email"),
            "hours": r.get("hours"),
            "languages": list(r.get("languages") or []),
            "institution_id": institution_ids.get(r.get("institution") or ""),
            "sjpu_id": r.get("sjpu"),
            "ahtu_id": r.get("ahtu"),
            "last_verified_on": date.fromisoformat(r["last_verified_on"]) if r.get("last_verified_on") else verified_on,
            "retired_at": None,
            "updated_at": utcnow(),
        }
        for r in records
    ]
    if rows:
        await session.execute(insert(DirectoryEntryRow).execution_options(render_nulls=True), rows)
    areas = [
        {"entry_id": r["id"], "district_code": d, "pin_code": None}
        for r in records
        for d in r.get("covers_districts", [])
    ]
    areas += [
        {"entry_id": r["id"], "district_code": None, "pin_code": p}
        for r in records
        for p in r.get("covers_pin_codes", [])
    ]
    if areas:
        await session.execute(insert(DirectoryCoverageRow), areas)
    people = [
        {
            "id": f"{r['id']}~{i}",
            "entry_id": r["id"],
            "position": i,
            "name": f["name"],
            "designation": f["designation"],
            "phones": list(f.get("phones") or []),
            "email": f.get("email"),
        }
        for r in records
        for i, f in enumerate(r.get("functionaries") or [])
    ]
    if people:
        await session.execute(insert(FunctionaryRow).execution_options(render_nulls=True), people)
