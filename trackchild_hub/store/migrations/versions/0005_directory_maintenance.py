"""directory maintenance: coverage, functionaries, change history, covering SJPU/AHTU, nearest index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("directory_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sjpu_id", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("ahtu_id", sa.String(length=60), nullable=True))
        batch_op.create_index("ix_directory_kind_latitude", ["kind", "latitude", "longitude"], unique=False)

    op.create_table(
        "directory_coverage",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=60), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("pin_code", sa.String(length=6), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["directory_entries.id"],
            name=op.f("fk_directory_coverage_entry_id_directory_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_coverage")),
    )
    with op.batch_alter_table("directory_coverage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_coverage_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_directory_coverage_district_code"), ["district_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_directory_coverage_pin_code"), ["pin_code"], unique=False)

    op.create_table(
        "directory_functionaries",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("entry_id", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("designation", sa.String(length=200), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["directory_entries.id"],
            name=op.f("fk_directory_functionaries_entry_id_directory_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_functionaries")),
    )
    with op.batch_alter_table("directory_functionaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_functionaries_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "directory_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_changes")),
    )
    with op.batch_alter_table("directory_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_changes_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    op.drop_table("directory_changes")
    op.drop_table("directory_functionaries")
    op.drop_table("directory_coverage")
    with op.batch_alter_table("directory_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_kind_latitude")
        batch_op.drop_column("ahtu_id")
        batch_op.drop_column("sjpu_id")
