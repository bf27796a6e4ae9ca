"""citizen reports and sightings, waiting for triage at the police station covering their place

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 11:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citizen_reports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("code_salt", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("contact_phone", sa.String(length=16), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("declares_no_sexual_offence", sa.Boolean(), nullable=False),
        sa.Column("needs_help", sa.Boolean(), nullable=False),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("place_text", sa.String(length=500), nullable=True),
        sa.Column("police_station_id", sa.String(length=60), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("child_name", sa.String(length=200), nullable=True),
        sa.Column("gender", sa.String(length=12), nullable=True),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column("height_cm", sa.Integer(), nullable=True),
        sa.Column("complexion", sa.String(length=50), nullable=True),
        sa.Column("identifying_marks", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("clothing", sa.String(length=500), nullable=True),
        sa.Column("circumstances", sa.Text(), nullable=True),
        sa.Column("reporter_name", sa.String(length=200), nullable=True),
        sa.Column("reporter_relation", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("triage_status", sa.String(length=12), nullable=False),
        sa.Column("triage_decision", sa.String(length=20), nullable=True),
        sa.Column("triaged_by", sa.String(length=200), nullable=True),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("linked_case_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_code"], ["districts.code"], name=op.f("fk_citizen_reports_district_code_districts")
        ),
        sa.ForeignKeyConstraint(
            ["linked_case_id"],
            ["cases.id"],
            name=op.f("fk_citizen_reports_linked_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["police_station_id"],
            ["directory_entries.id"],
            name=op.f("fk_citizen_reports_police_station_id_directory_entries"),
        ),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_citizen_reports_state_code_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_reports")),
        sa.UniqueConstraint("reference", name=op.f("uq_citizen_reports_reference")),
    )
    with op.batch_alter_table("citizen_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_citizen_reports_station_triage", ["police_station_id", "triage_status", "created_at"], unique=False
        )
        batch_op.create_index("ix_citizen_reports_phone_created", ["contact_phone", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_citizen_reports_linked_case_id"), ["linked_case_id"], unique=False)
    op.create_table(
        "citizen_report_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["citizen_reports.id"],
            name=op.f("fk_citizen_report_events_report_id_citizen_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_report_events")),
    )
    with op.batch_alter_table("citizen_report_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citizen_report_events_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("citizen_report_events")
    op.drop_table("citizen_reports")
