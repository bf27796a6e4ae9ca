"""missing-child workflow: risk assessments, AHTU escalations and progress reports, the investigation checklist, the
job's leases, and missing_cases.workflow_state with the partial index the untraced rule scans

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = "workflow_state IS NULL"
UNNOTED = "overdue_noted_on IS NULL OR overdue_noted_on < report_due_on"
RULES = ("escalate-trafficking", "escalate-untraced", "ahtu-report-overdue")  # domain.workflow_rules.WorkflowRule


def upgrade() -> None:
    with op.batch_alter_table("missing_cases") as batch:
        batch.add_column(sa.Column("workflow_state", sa.String(length=10), nullable=True))
    op.create_index(
        "ix_missing_cases_watched_fir",
        "missing_cases",
        ["fir_date"],
        postgresql_where=sa.text(WATCHED),
        sqlite_where=sa.text(WATCHED),
    )
    op.create_table(
        "risk_assessments",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=True),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column("urgency", sa.String(length=12), nullable=False),
        sa.Column("suspected_trafficking", sa.Boolean(), nullable=False),
        sa.Column("suspected_abduction", sa.Boolean(), nullable=False),
        sa.Column("vulnerabilities", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_risk_assessments_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_risk_assessments")),
    )
    op.create_index(
        "ix_risk_assessments_trafficking",
        "risk_assessments",
        ["case_id"],
        postgresql_where=sa.text("suspected_trafficking"),
        sqlite_where=sa.text("suspected_trafficking"),
    )
    op.create_table(
        "ahtu_escalations",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("ahtu_id", sa.String(length=60), nullable=False),
        sa.Column("rule", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("escalated_on", sa.Date(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_district_code", sa.String(length=6), nullable=True),
        sa.Column("from_station_id", sa.String(length=60), nullable=True),
        sa.Column("to_district_code", sa.String(length=6), nullable=True),
        sa.Column("to_station_id", sa.String(length=60), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=False),
        sa.Column("overdue_noted_on", sa.Date(), nullable=True),
        sa.Column("batch", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_ahtu_escalations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ahtu_id"], ["directory_entries.id"], name=op.f("fk_ahtu_escalations_ahtu_id_directory_entries")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_ahtu_escalations")),
    )
    op.create_index(
        "ix_ahtu_escalations_unnoted_due",
        "ahtu_escalations",
        ["report_due_on"],
        postgresql_where=sa.text(UNNOTED),
        sqlite_where=sa.text(UNNOTED),
    )
    op.create_index("ix_ahtu_escalations_ahtu_due", "ahtu_escalations", ["ahtu_id", "report_due_on"])
    op.create_index(op.f("ix_ahtu_escalations_batch"), "ahtu_escalations", ["batch"])
    op.create_table(
        "ahtu_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("ahtu_id", sa.String(length=60), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_ahtu_reports_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ahtu_reports")),
    )
    op.create_index(op.f("ix_ahtu_reports_case_id"), "ahtu_reports", ["case_id"])
    op.create_table(
        "checklist_ticks",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_checklist_ticks_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "item", name=op.f("pk_checklist_ticks")),
    )
    leases = op.create_table(
        "workflow_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_workflow_leases")),
    )
    # One row per rule from the start: a run takes and releases its lease by UPDATE, writing no new row.
    op.bulk_insert(leases, [{"name": name} for name in RULES])


def downgrade() -> None:
    op.drop_table("workflow_leases")
    op.drop_table("checklist_ticks")
    op.drop_index(op.f("ix_ahtu_reports_case_id"), table_name="ahtu_reports")
    op.drop_table("ahtu_reports")
    op.drop_index(op.f("ix_ahtu_escalations_batch"), table_name="ahtu_escalations")
    op.drop_index("ix_ahtu_escalations_ahtu_due", table_name="ahtu_escalations")
    op.drop_index("ix_ahtu_escalations_unnoted_due", table_name="ahtu_escalations")
    op.drop_table("ahtu_escalations")
    op.drop_index("ix_risk_assessments_trafficking", table_name="risk_assessments")
    op.drop_table("risk_assessments")
    op.drop_index("ix_missing_cases_watched_fir", table_name="missing_cases")
    with op.batch_alter_table("missing_cases") as batch:
        batch.drop_column("workflow_state")
