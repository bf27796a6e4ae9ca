"""initial store

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:33:52.283178
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "children",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("gender", sa.String(length=12), nullable=False),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column("age_reported_on", sa.Date(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("birth_estimate", sa.Date(), nullable=True),
        sa.Column("height_cm", sa.Integer(), nullable=True),
        sa.Column("complexion", sa.String(length=50), nullable=True),
        sa.Column("identifying_marks", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("clothing", sa.Text(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_children_birth_estimate"), ["birth_estimate"], unique=False)

    op.create_table(
        "reference_counters",
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("state_code", "year", name=op.f("pk_reference_counters")),
    )
    op.create_table(
        "states",
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("abbreviation", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_states")),
        sa.UniqueConstraint("abbreviation", name=op.f("uq_states_abbreviation")),
    )
    op.create_table(
        "child_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_child_aliases_child_id_children"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_aliases")),
    )
    with op.batch_alter_table("child_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_aliases_child_id"), ["child_id"], unique=False)

    op.create_table(
        "districts",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_districts_state_code_states")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_districts")),
    )
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_districts_state_code"), ["state_code"], unique=False)

    op.create_table(
        "guardians",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_guardians_child_id_children"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardians")),
    )
    with op.batch_alter_table("guardians", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardians_child_id"), ["child_id"], unique=False)

    op.create_table(
        "institutions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("registration_number", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("run_by", sa.String(length=20), nullable=False),
        sa.Column("gender_served", sa.String(length=10), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("pin_code", sa.String(length=6), nullable=True),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_code"], ["districts.code"], name=op.f("fk_institutions_district_code_districts")
        ),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_institutions_state_code_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("registration_number", name=op.f("uq_institutions_registration_number")),
    )
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institutions_district_code"), ["district_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_institutions_state_code"), ["state_code"], unique=False)

    op.create_table(
        "directory_entries",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("state_code", sa.String(length=4), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("pin_code", sa.String(length=6), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("hours", sa.String(length=100), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("institution_id", sa.String(length=32), nullable=True),
        sa.Column("last_verified_on", sa.Date(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_code"], ["districts.code"], name=op.f("fk_directory_entries_district_code_districts")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_directory_entries_institution_id_institutions")
        ),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_directory_entries_state_code_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_entries")),
    )
    with op.batch_alter_table("directory_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directory_entries_pin_code"), ["pin_code"], unique=False)
        batch_op.create_index("ix_directory_kind_place", ["kind", "state_code", "district_code"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("state_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("police_station_id", sa.String(length=60), nullable=True),
        sa.Column("place_text", sa.String(length=500), nullable=True),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closure_reason", sa.Text(), nullable=True),
        sa.Column("publication_consent", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"], name=op.f("fk_cases_child_id_children")),
        sa.ForeignKeyConstraint(["district_code"], ["districts.code"], name=op.f("fk_cases_district_code_districts")),
        sa.ForeignKeyConstraint(
            ["police_station_id"], ["directory_entries.id"], name=op.f("fk_cases_police_station_id_directory_entries")
        ),
        sa.ForeignKeyConstraint(["state_code"], ["states.code"], name=op.f("fk_cases_state_code_states")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
        sa.UniqueConstraint("source", "external_id", name="uq_cases_source_external_id"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_event_date"), ["event_date"], unique=False)
        batch_op.create_index("ix_cases_place", ["state_code", "district_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_police_station_id"), ["police_station_id"], unique=False)
        batch_op.create_index("ix_cases_reported_at_id", ["reported_at", "id"], unique=False)

    op.create_table(
        "care_cases",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("institution_id", sa.String(length=32), nullable=False),
        sa.Column("admission_order_number", sa.String(length=60), nullable=True),
        sa.Column("admission_order_date", sa.Date(), nullable=True),
        sa.Column("admission_date", sa.Date(), nullable=False),
        sa.Column("exit_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_care_cases_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_care_cases_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_care_cases")),
    )
    with op.batch_alter_table("care_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_cases_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "found_cases",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("found_by", sa.String(length=200), nullable=True),
        sa.Column("found_by_contact", sa.String(length=16), nullable=True),
        sa.Column("current_placement", sa.String(length=500), nullable=True),
        sa.Column("institution_id", sa.String(length=32), nullable=True),
        sa.Column("missing_since", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_found_cases_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_found_cases_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_found_cases")),
    )
    with op.batch_alter_table("found_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_found_cases_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "missing_cases",
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("fir_number", sa.String(length=50), nullable=False),
        sa.Column("fir_date", sa.Date(), nullable=False),
        sa.Column("last_seen_time", sa.String(length=5), nullable=True),
        sa.Column("circumstances", sa.Text(), nullable=True),
        sa.Column("reporter_name", sa.String(length=200), nullable=True),
        sa.Column("reporter_relation", sa.String(length=50), nullable=True),
        sa.Column("reporter_phone", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_missing_cases_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_missing_cases")),
    )


def downgrade() -> None:

    op.drop_table("missing_cases")
    with op.batch_alter_table("found_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_found_cases_institution_id"))

    op.drop_table("found_cases")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("care_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_cases_institution_id"))

    op.drop_table("care_cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_reported_at_id")
        batch_op.drop_index(batch_op.f("ix_cases_police_station_id"))
        batch_op.drop_index("ix_cases_place")
        batch_op.drop_index(batch_op.f("ix_cases_event_date"))
        batch_op.drop_index(batch_op.f("ix_cases_child_id"))

    op.drop_table("cases")
    with op.batch_alter_table("directory_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_directory_kind_place")
        batch_op.drop_index(batch_op.f("ix_directory_entries_pin_code"))

    op.drop_table("directory_entries")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institutions_state_code"))
        batch_op.drop_index(batch_op.f("ix_institutions_district_code"))

    op.drop_table("institutions")
    with op.batch_alter_table("guardians", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardians_child_id"))

    op.drop_table("guardians")
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_districts_state_code"))

    op.drop_table("districts")
    with op.batch_alter_table("child_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_aliases_child_id"))

    op.drop_table("child_aliases")
    op.drop_table("states")
    op.drop_table("reference_counters")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_birth_estimate"))

    op.drop_table("children")
