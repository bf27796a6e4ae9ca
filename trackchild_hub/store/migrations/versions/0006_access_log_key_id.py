"""access log: the id of the HMAC key each row's link is computed with

Rows already there keep ``key_id`` NULL and their unkeyed SHA-256 links: the chain is not rewritten (nobody holds a
key inside a migration, and rewriting history is what the log must never do). They verify with the old scheme, only
as the beginning of the chain; the first keyed row's MAC covers the last of them (see audit/chain.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_column("key_id")
