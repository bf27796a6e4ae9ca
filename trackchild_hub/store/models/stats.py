"""The statistics' summary table: one narrow row per counted thing, refreshed incrementally (``store.stats``).

``stats`` groups these rows instead of joining cases, children, events, e-file entries and institutions on every
question: each row already carries the case's place, the child's gender and age band on the row's date, the month,
and what it counts (``measure``: a missing case, a child in care, a restoration, a repatriation, a transfer). No
foreign key: the rows are derived and rebuilt per case (deleted and inserted again whenever the case changes).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class StatsFactRow(Base):
    __tablename__ = "stats_facts"
    __table_args__ = (
        Index("ix_stats_facts_case_id", "case_id"),  # a changed case's rows, deleted before they are rebuilt
        Index("ix_stats_facts_on_date", "on_date"),  # a national reader's period
        Index("ix_stats_facts_place_on_date", "state_code", "district_code", "on_date"),  # a state's, a district's
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
