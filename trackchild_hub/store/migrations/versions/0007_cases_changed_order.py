"""cases in the order they changed: the match index's refresh cursor

The match index reads the cases changed after its ``(updated_at, id)`` cursor every few seconds; without this index
that is a scan of the whole table each time.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_updated_at_id", ["updated_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_updated_at_id")
