"""care entries

The CCI e-file (issue 14): one row per version of an entry (admission, SIR, care plan, check-up, education,
counselling, review, release, follow-up), never updated; see store/models/care.py.

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-30 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "care_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_agency", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_care_entries_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_entries")),
        sa.UniqueConstraint("entry_id", "version", name="uq_care_entries_entry_version"),
    )
    with op.batch_alter_table("care_entries", schema=None) as batch_op:
        batch_op.create_index("ix_care_entries_case_entry", ["case_id", "entry_id", "version"], unique=False)
        batch_op.create_index("ix_care_entries_kind_due", ["kind", "due_on"], unique=False)
        batch_op.create_index("ix_care_entries_recorded_at", ["recorded_at"], unique=False)


def downgrade() -> None:
    op.drop_table("care_entries")
