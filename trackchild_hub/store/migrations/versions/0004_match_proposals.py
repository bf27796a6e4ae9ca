"""match proposals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_proposals",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("missing_case_id", sa.String(length=32), nullable=False),
        sa.Column("other_case_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sa.String(length=12), nullable=True),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["missing_case_id"], ["cases.id"], name=op.f("fk_match_proposals_missing_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["other_case_id"], ["cases.id"], name=op.f("fk_match_proposals_other_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposals")),
        sa.UniqueConstraint("missing_case_id", "other_case_id", name=op.f("uq_match_proposals_missing_case_id")),
    )
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_proposals_missing_case_id"), ["missing_case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_proposals_other_case_id"), ["other_case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_proposals_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("match_proposals")
