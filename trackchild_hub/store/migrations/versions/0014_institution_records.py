"""institution records

An institution's infrastructure and its inspections (issue 14), one row per version, never updated; see
store/models/institution_records.py.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "institution_infrastructure",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("dormitories", sa.Integer(), nullable=False),
        sa.Column("toilets", sa.Integer(), nullable=False),
        sa.Column("classrooms", sa.Integer(), nullable=False),
        sa.Column("medical_room", sa.Boolean(), nullable=False),
        sa.Column("kitchen", sa.Boolean(), nullable=False),
        sa.Column("cctv_cameras", sa.Integer(), nullable=False),
        sa.Column("staff", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_agency", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_institution_infrastructure_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_infrastructure")),
        sa.UniqueConstraint("institution_id", "version", name="uq_institution_infrastructure_version"),
    )
    op.create_table(
        "institution_inspections",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("inspection_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.String(length=32), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspecting_body", sa.String(length=200), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_agency", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_institution_inspections_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_inspections")),
        sa.UniqueConstraint("inspection_id", "version", name="uq_institution_inspections_version"),
    )
    with op.batch_alter_table("institution_inspections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_institution_inspections_institution", ["institution_id", "inspected_on"], unique=False
        )


def downgrade() -> None:
    op.drop_table("institution_inspections")
    op.drop_table("institution_infrastructure")
