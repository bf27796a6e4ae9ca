"""The reports' statistics: ``stats(filter, groupBy)`` and ``districtDigest(district, date)`` (reports:read), one line
each over ``services.stats``. What each measure counts: ``domain.stats``; small cells: ``domain.stats_suppression``."""

from __future__ import annotations

from datetime import date

import strawberry

from ..auth.scopes import Scope
from ..domain.enums import Gender, InstitutionType
from ..domain.stats import AgeBand, StatsDimension, StatsFilter, StatsMeasure, StatsRow, StatsTable
from ..reports.links import report_links
from ..resolvers.context import Info
from ..services import stats as service
from .access import any_of, operation, public_type

strawberry.enum(StatsDimension, description="What `stats` may group by (at most three at once).")
strawberry.enum(AgeBand, description="Age band: years completed on the counted day (0-5, 6-11, 12-14, 15-17, 18+).")
strawberry.enum(StatsMeasure, description="A measure of `stats` (named when a cell is suppressed).")


@strawberry.input(description="Which place and period `stats` counts; absent: the reader's whole jurisdiction.")
class StatsFilterInput:
    state: str | None = strawberry.field(default=None, description="LGD state code (inside your jurisdiction).")
    district: str | None = strawberry.field(default=None, description="LGD district code (inside it too).")
    from_: date | None = strawberry.field(
        default=None, name="from", description="First day (IST); default: the first of the month 11 months before."
    )
    to: date | None = strawberry.field(default=None, description="Last day (IST), included; default: today.")


@public_type
@strawberry.type(description="One group of `stats`: its place on each grouped dimension and every measure.")
class StatsGroup:
    state: str | None = strawberry.field(description="LGD state code (grouped by STATE).")
    state_name: str | None
    district: str | None = strawberry.field(description="LGD district code (grouped by DISTRICT).")
    district_name: str | None
    police_station: str | None = strawberry.field(description="Police station id (grouped by POLICE_STATION).")
    police_station_name: str | None
    month: str | None = strawberry.field(description="YYYY-MM (grouped by MONTH).")
    gender: Gender | None = strawberry.field(description="Grouped by GENDER.")
    age_band: AgeBand | None = strawberry.field(description="Grouped by AGE_BAND.")
    missing: int | None = strawberry.field(description="Children reported missing in the period.")
    traced: int | None = strawberry.field(description="Of them, traced by now (RESOLVED).")
    pending: int | None = strawberry.field(description="Of them, still missing (OPEN).")
    trace_rate: float | None = strawberry.field(description="traced / missing (0..1).")
    median_days_to_trace: float | None = strawberry.field(description="Median days from report to trace.")
    in_care: int | None = strawberry.field(description="Children in care today, admitted by the period's end.")
    restored: int | None = strawberry.field(description="Releases from care to a family in the period.")
    repatriated: int | None = strawberry.field(description="Of them, inter-state repatriations.")
    transfers: int | None = strawberry.field(description="Cases transferred (TRANSFERRED events) in the period.")
    suppressed: bool = strawberry.field(description="Some measure of this group is hidden (null) for your role.")
    suppressed_measures: list[StatsMeasure] = strawberry.field(description="Which ones.")

    @classmethod
    def of(cls, row: StatsRow, names: dict[str, str]) -> StatsGroup:
        k = row.key
        return cls(
            state=k.state,
            state_name=names.get(f"state:{k.state}") if k.state else None,
            district=k.district,
            district_name=names.get(f"district:{k.district}") if k.district else None,
            police_station=k.police_station,
            police_station_name=names.get(k.police_station) if k.police_station else None,
            month=k.month,
            gender=k.gender,
            age_band=k.age_band,
            missing=row.missing,
            traced=row.traced,
            pending=row.pending,
            trace_rate=row.trace_rate,
            median_days_to_trace=row.median_days_to_trace,
            in_care=row.in_care,
            restored=row.restored,
            repatriated=row.repatriated,
            transfers=row.transfers,
            suppressed=bool(row.suppressed),
            suppressed_measures=sorted(row.suppressed, key=lambda m: m.name),
        )


@public_type
@strawberry.type(description="Children in care today by the type of their institution.")
class InstitutionTypeCount:
    institution_type: InstitutionType | None = strawberry.field(description="Null: the institution is not known.")
    children: int | None
    suppressed: bool


@public_type
@strawberry.type(description="The statistics as files (same bearer token).")
class StatsDownloads:
    csv: str
    xlsx: str
    pdf: str


@public_type
@strawberry.type(description="MIS statistics: one group per combination present, and their total.")
class Stats:
    dimensions: list[StatsDimension]
    from_: date = strawberry.field(name="from")
    to: date
    state: str | None = strawberry.field(description="The state counted (null: every state you may read).")
    district: str | None
    groups: list[StatsGroup]
    total: StatsGroup
    in_care_by_institution_type: list[InstitutionTypeCount]
    suppressed: bool = strawberry.field(description="Some cell is hidden (null) for your role.")
    suppression: str | None = strawberry.field(description="What is hidden and how; null: nothing is, for you.")
    downloads: StatsDownloads

    @classmethod
    def of(cls, t: StatsTable, f: StatsFilterInput | None, group_by: list[StatsDimension]) -> Stats:
        params = {
            "state": f.state if f else None,
            "district": f.district if f else None,
            "from": f.from_ if f else None,
            "to": f.to if f else None,
            "groupBy": group_by,
        }
        links = report_links("stats", params)
        return cls(
            dimensions=[StatsDimension[d] for d in t.dimensions],
            from_=t.from_date,
            to=t.to_date,
            state=t.state,
            district=t.district,
            groups=[StatsGroup.of(r, t.names) for r in t.rows],
            total=StatsGroup.of(t.total, t.names),
            in_care_by_institution_type=[
                InstitutionTypeCount(
                    institution_type=InstitutionType(e.institution_type) if e.institution_type else None,
                    children=e.children,
                    suppressed=e.suppressed,
                )
                for e in t.in_care_by_type
            ],
            suppressed=t.suppressed,
            suppression=t.suppression,
            downloads=StatsDownloads(csv=links.csv, xlsx=links.xlsx, pdf=links.pdf),
        )


@public_type
@strawberry.type(description="A district's day in counts, as its daily alert digest says it.")
class DistrictDigest:
    state: str
    district: str
    date: date
    new: int | None = strawberry.field(description="Missing children's cases reported that day.")
    traced: int | None = strawberry.field(description="Missing children's cases resolved that day.")
    pending: int | None = strawberry.field(description="Missing children's cases open at the day's end.")
    overdue: int | None = strawberry.field(description="Citizen reports waiting for triage past the limit.")
    suppressed: list[str] = strawberry.field(description="Counts hidden (null) for your role.")


def to_filter(f: StatsFilterInput | None) -> StatsFilter:
    if f is None:
        return StatsFilter()
    return StatsFilter(state=f.state, district=f.district, from_date=f.from_, to_date=f.to)


async def _stats(info: Info, filter: StatsFilterInput | None = None, *, group_by: list[StatsDimension]) -> Stats:
    table = await service.stats(info.context, to_filter(filter), group_by)
    return Stats.of(table, filter, group_by)


async def _digest(info: Info, district: str, date: date) -> DistrictDigest:
    d = await service.district_digest(info.context, district, date)
    return DistrictDigest(
        state=d.state,
        district=d.district,
        date=d.day,
        new=d.new,
        traced=d.traced,
        pending=d.pending,
        overdue=d.overdue,
        suppressed=list(d.suppressed),
    )


STATS = operation(
    any_of(Scope.REPORTS_READ),
    "MIS statistics within your jurisdiction: missing, traced, pending, trace rate, median days to trace, "
    "children in care, restorations, repatriations, transfers; grouped by up to three dimensions. Small cells are "
    "suppressed for roles that do not work cases (reports:read).",
    resolver=_stats,
)
DISTRICT_DIGEST = operation(
    any_of(Scope.REPORTS_READ),
    "A district's daily digest (counts only) for an IST day, as the alert digest sends it (reports:read).",
    resolver=_digest,
)
