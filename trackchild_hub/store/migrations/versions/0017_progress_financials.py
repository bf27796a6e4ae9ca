"""progress financials

A State's Mission Vatsalya financial statement per financial year (issue 15), one row per version, never updated;
see store/models/progress.py.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "progress_financials",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_agency", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_progress_financials_state_code_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_financials")),
        sa.UniqueConstraint("state_code", "financial_year", "version", name="uq_progress_financials_version"),
    )


def downgrade() -> None:
    op.drop_table("progress_financials")
