"""match weights

The matcher's m and u probabilities learned by ``trackchild-hub match train`` (issue 16), one row per training run;
see store/models/match_weights.py.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_weights",
        sa.Column("number", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_match_weights")),
        sa.UniqueConstraint("version", name=op.f("uq_match_weights_version")),
    )


def downgrade() -> None:
    op.drop_table("match_weights")
