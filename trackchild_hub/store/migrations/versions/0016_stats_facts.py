"""stats facts: the statistics' summary table (one narrow row per counted thing, rebuilt per changed case), see
store/models/stats.py and store/stats.py (Y's 0017 follows this one); its monthly counts per place
(stats_by_place) and per gender and age band (stats_by_child), and traced children per days to trace
(stats_traced_days), kept in step with it

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACED = "measure = 'MISSING' AND status = 'RESOLVED' AND days IS NOT NULL"  # store.models.stats
IN_CARE = "measure = 'IN_CARE'"


def upgrade() -> None:
    op.create_table(
        "stats_facts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("police_station_id", sa.String(length=60), nullable=True),
        sa.Column("gender", sa.String(length=12), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("institution_type", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_facts")),
    )
    op.create_index("ix_stats_facts_case_id", "stats_facts", ["case_id"])
    op.create_index("ix_stats_facts_on_date", "stats_facts", ["on_date"])
    op.create_index("ix_stats_facts_place_on_date", "stats_facts", ["state_code", "district_code", "on_date"])
    op.create_index(
        "ix_stats_facts_traced",
        "stats_facts",
        ["on_date", "state_code", "district_code", "days"],
        postgresql_include=["police_station_id", "month", "gender", "age_band"],
        postgresql_where=sa.text(TRACED),
        sqlite_where=sa.text(TRACED),
    )
    op.create_index(
        "ix_stats_facts_traced_place",
        "stats_facts",
        ["state_code", "district_code", "on_date", "days"],
        postgresql_include=["police_station_id", "month", "gender", "age_band"],
        postgresql_where=sa.text(TRACED),
        sqlite_where=sa.text(TRACED),
    )
    op.create_index(
        "ix_stats_facts_in_care",
        "stats_facts",
        ["state_code", "district_code", "on_date", "institution_type"],
        postgresql_where=sa.text(IN_CARE),
        sqlite_where=sa.text(IN_CARE),
    )
    op.create_table(
        "stats_by_place",
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "state_code", "district_code", "month", "measure", "status", name=op.f("pk_stats_by_place")
        ),
    )
    op.create_table(
        "stats_by_child",
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("gender", sa.String(length=12), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "state_code", "month", "gender", "age_band", "measure", "status", name=op.f("pk_stats_by_child")
        ),
    )

    op.create_table(
        "stats_traced_days",
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("days", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("state_code", "month", "days", name=op.f("pk_stats_traced_days")),
    )


def downgrade() -> None:
    op.drop_table("stats_traced_days")
    op.drop_table("stats_by_child")
    op.drop_table("stats_by_place")
    op.drop_table("stats_facts")
