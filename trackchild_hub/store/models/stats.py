"""The statistics' summary table: one narrow row per counted thing, refreshed incrementally (``store.stats``).

``stats`` groups these rows instead of joining cases, children, events, e-file entries and institutions on every
question: each row already carries the case's place, the child's gender and age band on the row's date, the month,
and what it counts (``measure``: a missing case, a child in care, a restoration, a repatriation, a transfer). No
foreign key: the rows are derived and rebuilt per case (deleted and inserted again whenever the case changes).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

TRACED = "measure = 'MISSING' AND status = 'RESOLVED' AND days IS NOT NULL"
IN_CARE = "measure = 'IN_CARE'"


class StatsFactRow(Base):
    __tablename__ = "stats_facts"
    __table_args__ = (
        Index("ix_stats_facts_case_id", "case_id"),  # a changed case's rows, deleted before they are rebuilt
        Index("ix_stats_facts_on_date", "on_date"),  # a national reader's period
        Index("ix_stats_facts_place_on_date", "state_code", "district_code", "on_date"),  # a state's, a district's
        # the medians' rows (traced missing children) and the children in care, read from the index alone
        Index(
            "ix_stats_facts_traced",
            "on_date",
            "state_code",
            "district_code",
            "days",
            postgresql_include=["police_station_id", "month", "gender", "age_band"],
            postgresql_where=text(TRACED),
            sqlite_where=text(TRACED),
        ),
        Index(  # the same rows for a state's or a district's reader: one range of the place
            "ix_stats_facts_traced_place",
            "state_code",
            "district_code",
            "on_date",
            "days",
            postgresql_include=["police_station_id", "month", "gender", "age_band"],
            postgresql_where=text(TRACED),
            sqlite_where=text(TRACED),
        ),
        Index(
            "ix_stats_facts_in_care",
            "state_code",
            "district_code",
            "on_date",
            "institution_type",
            postgresql_where=text(IN_CARE),
            sqlite_where=text(IN_CARE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(12))  # store.stats.Fact
    on_date: Mapped[date]  # the day the row is counted on (report, admission, release, transfer)
    month: Mapped[str] = mapped_column(String(7))  # on_date's YYYY-MM, grouped without a date function
    state_code: Mapped[str] = mapped_column(String(4))
    district_code: Mapped[str | None] = mapped_column(String(6))
    police_station_id: Mapped[str | None] = mapped_column(String(60))
    gender: Mapped[str] = mapped_column(String(12))
    age_band: Mapped[str] = mapped_column(String(8))  # domain.stats.AgeBand's value
    status: Mapped[str] = mapped_column(String(12))  # the case's status when the row was built
    days: Mapped[int | None]  # MISSING and RESOLVED: days from the report to the trace
    institution_type: Mapped[str | None] = mapped_column(String(40))  # IN_CARE: the institution's type


class StatsByPlaceRow(Base):
    """``stats_facts`` counted per month, place and measure (a missing case's status too): what ``stats`` reads
    when it groups by state, district and month over whole months. No NULL in a key ('' for no district), so an
    upsert finds its cell."""

    __tablename__ = "stats_by_place"

    # key in this order: a state's or a district's cells are one range of the primary key
    state_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    measure: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)  # '' but for MISSING
    n: Mapped[int]


class StatsByChildRow(Base):
    """``stats_facts`` counted per month, state, gender, age band and measure: ``stats`` by gender and age band."""

    __tablename__ = "stats_by_child"

    state_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    gender: Mapped[str] = mapped_column(String(12), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(8), primary_key=True)
    measure: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    n: Mapped[int]


class StatsTracedDaysRow(Base):
    """Traced missing children counted per State, month and days to trace: the medians of whole-month questions by
    State and month read these (a few tens of thousands of cells a year) instead of every traced child."""

    __tablename__ = "stats_traced_days"

    state_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int]
