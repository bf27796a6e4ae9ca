"""sync cursors; a synced care case may name an institution the registry does not know yet

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_cursors",
        sa.Column("connector_id", sa.String(length=100), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", name=op.f("pk_sync_cursors")),
    )
    with op.batch_alter_table("care_cases", schema=None) as batch_op:
        batch_op.alter_column("institution_id", existing_type=sa.String(length=32), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("care_cases", schema=None) as batch_op:
        batch_op.alter_column("institution_id", existing_type=sa.String(length=32), nullable=False)
    op.drop_table("sync_cursors")
