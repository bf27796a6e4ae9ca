"""Apply Alembic migrations, then bring the LGD reference tables up to the packaged data."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from ..domain.geography import Geography
from .models import DistrictRow, StateRow

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, geography: Geography) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
        await conn.run_sync(lambda sync: _sync_reference_data(sync, geography))


def _sync_reference_data(conn: Connection, geography: Geography) -> None:
    """Insert or update every state and district of the packaged data; idempotent."""
    states = {row.code: row for row in conn.execute(select(StateRow.__table__))}
    districts = {row.code: row for row in conn.execute(select(DistrictRow.__table__))}
    state_table, district_table = cast("Table", StateRow.__table__), cast("Table", DistrictRow.__table__)
    values: dict[str, object]
    for s in geography.states:
        values = {"code": s.code, "name": s.name, "abbreviation": s.abbreviation, "kind": s.kind.value}
        if s.code not in states:
            conn.execute(state_table.insert().values(**values))
        elif tuple(states[s.code]) != tuple(values.values()):
            conn.execute(state_table.update().where(state_table.c.code == s.code).values(**values))
    for d in geography.all_districts():
        values = {
            "code": d.code,
            "state_code": d.state_code,
            "name": d.name,
            "latitude": d.latitude,
            "longitude": d.longitude,
        }
        if d.code not in districts:
            conn.execute(district_table.insert().values(**values))
        elif tuple(districts[d.code]) != tuple(values.values()):
            conn.execute(district_table.update().where(district_table.c.code == d.code).values(**values))
