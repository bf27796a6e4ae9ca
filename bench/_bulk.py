"""Seeding straight into the hub's tables, past the hub's code, for benchmarks that need millions of rows fast
(``bench.stats``, ``bench.workflow``): the column orders of their COPY (or INSERT) rows and the raw asyncpg
connection that copies them into the settings' schema."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from trackchild_hub.settings import Settings

CHILD_COLUMNS = [
    "id", "name", "search_text", "gender", "age_years", "age_reported_on", "date_of_birth", "birth_estimate",
    "height_cm", "complexion", "identifying_marks", "languages", "clothing", "confidential", "created_at",
]  # fmt: skip
CASE_COLUMNS = [
    "id", "kind", "reference", "status", "version", "child_id", "source", "external_id", "state_code",
    "district_code", "police_station_id", "place_text", "latitude", "longitude", "event_date", "reported_at",
    "closure_reason", "publication_consent", "extra", "created_at", "updated_at",
]  # fmt: skip
MISSING_COLUMNS = ["case_id", "fir_number", "fir_date", "last_seen_time", "circumstances", "reporter_name",
                   "reporter_relation", "reporter_phone", "workflow_state"]  # fmt: skip


async def copy_connection(settings: Settings) -> asyncpg.Connection:
    """A plain asyncpg connection to the settings' PostgreSQL database, its schema first on the search path."""
    url = make_url(settings.database_url).set(drivername="postgresql")
    return await asyncpg.connect(
        url.render_as_string(hide_password=False), server_settings={"search_path": settings.database_schema or ""}
    )
