"""photos

Children's photos attached to cases or sent with a citizen's report or sighting: one row per stored (re-encoded,
metadata-free) file, named by its random id; the bytes live in the photo file store (a local folder by default),
never in the database.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=True),
        sa.Column("citizen_report_id", sa.String(length=32), nullable=True),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("publish", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_photos_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["citizen_report_id"],
            ["citizen_reports.id"],
            name=op.f("fk_photos_citizen_report_id_citizen_reports"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("case_id IS NOT NULL OR citizen_report_id IS NOT NULL", name=op.f("ck_photos_owned")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index("ix_photos_case_id_created_at", ["case_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_citizen_report_id"), ["citizen_report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("photos")
