"""The Mission Vatsalya progress report as the API shows it (``progressReport``) and its financial part's entry
(``setProgressFinancials``); services/progress_report.py decides who and counts, domain/progress_*.py says what."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from ..auth.scopes import Scope
from ..domain import progress_financials as money
from ..domain import progress_report as report
from ..reports.links import report_links
from ..resolvers.context import Info
from ..services import progress_report as service
from .access import any_of, operation, public_type
from .enums import InstitutionType

strawberry.enum(money.Component, name="MissionVatsalyaComponent", description="Mission Vatsalya's components.")
strawberry.enum(report.ChildCategory, description="CNCP: in need of care and protection; CCL: in conflict with law.")
strawberry.enum(report.Outcome, name="ProgressOutcome", description="What became of children in care.")


@public_type  # gated where served: progressReport (reports:read)
@strawberry.type(description="Children by gender; a null count is 1-4 children blanked for your role.")
class GenderCounts:
    male: int | None = strawberry.field(description="Boys.")
    female: int | None = strawberry.field(description="Girls.")
    transgender: int | None = strawberry.field(description="Transgender children.")
    unknown: int | None = strawberry.field(description="Gender not recorded.")
    total: int | None = strawberry.field(description="All of them.")

    @classmethod
    def of(cls, c: report.GenderCounts) -> GenderCounts:
        return cls(male=c.male, female=c.female, transgender=c.transgender, unknown=c.unknown, total=c.total)


@public_type
@strawberry.type(description="Institutions of one type registered in the State now.")
class ProgressInstitutionLine:
    institution_type: InstitutionType = strawberry.field(description="The type of Child Care Institution.")
    label: str = strawberry.field(description="The type as the report names it.")
    category: report.ChildCategory = strawberry.field(description="The children it holds (JJ Act).")
    institutions: int = strawberry.field(description="Registered in the State now.")
    capacity: int = strawberry.field(description="Their capacity added up.")


@public_type
@strawberry.type(description="Children in institutions of one type.")
class ProgressChildrenLine:
    institution_type: InstitutionType = strawberry.field(description="The type of Child Care Institution.")
    label: str = strawberry.field(description="The type as the report names it.")
    category: report.ChildCategory = strawberry.field(description="The children it holds (JJ Act).")
    in_care: GenderCounts = strawberry.field(description="In care on the period's last day.")
    admitted: GenderCounts = strawberry.field(description="Admitted during the period.")


@public_type
@strawberry.type(description="Children released during the period, by how; or a line the hub does not record.")
class ProgressOutcomeLine:
    outcome: report.Outcome = strawberry.field(description="What became of the children.")
    label: str = strawberry.field(description="The line as the report names it, with what it is counted from.")
    recorded: bool = strawberry.field(description="False: the hub keeps no record of this (never read it as 0).")
    children: GenderCounts | None = strawberry.field(description="Null when not recorded.")
    note: str | None = strawberry.field(description="Why a line is empty.")


@public_type
@strawberry.type(description="The physical part, counted from the hub's data.")
class ProgressPhysical:
    period_start: date = strawberry.field(description="1 April of the year.")
    period_end: date = strawberry.field(description="31 March, or today while the year runs.")
    institutions: list[ProgressInstitutionLine] = strawberry.field(description="Institutions by type.")
    children: list[ProgressChildrenLine] = strawberry.field(description="Children by institution type and gender.")
    outcomes: list[ProgressOutcomeLine] = strawberry.field(description="Restorations and the other outcomes.")

    @classmethod
    def of(cls, p: report.PhysicalPart) -> ProgressPhysical:
        return cls(
            period_start=p.period_start,
            period_end=p.period_end,
            institutions=[
                ProgressInstitutionLine(
                    institution_type=i.type,
                    label=report.TYPE_LABELS[i.type],
                    category=i.category,
                    institutions=i.institutions,
                    capacity=i.capacity,
                )
                for i in p.institutions
            ],
            children=[
                ProgressChildrenLine(
                    institution_type=c.type,
                    label=report.TYPE_LABELS[c.type],
                    category=c.category,
                    in_care=GenderCounts.of(c.in_care),
                    admitted=GenderCounts.of(c.admitted),
                )
                for c in p.children
            ],
            outcomes=[
                ProgressOutcomeLine(
                    outcome=o.outcome,
                    label=report.OUTCOME_LABELS[o.outcome],
                    recorded=o.recorded,
                    children=GenderCounts.of(o.children) if o.children else None,
                    note=None if o.recorded else report.NOT_RECORDED,
                )
                for o in p.outcomes
            ],
        )


@public_type
@strawberry.type(description="One component's amounts for the year, in INR lakh (exact to the rupee).")
class ProgressFinancialLine:
    component: money.Component = strawberry.field(description="The scheme's component.")
    label: str = strawberry.field(description="The component as the report names it.")
    sanctioned: Decimal = strawberry.field(description="Sanctioned for the year.")
    released: Decimal = strawberry.field(description="Released so far.")
    utilised: Decimal = strawberry.field(description="Spent.")
    opening_balance: Decimal = strawberry.field(description="Unspent balance brought forward from earlier years.")
    central_share: Decimal | None = strawberry.field(description="The Centre's share of the amount released.")
    state_share: Decimal | None = strawberry.field(description="The State's share of the amount released.")
    remarks: str | None = strawberry.field(description="The writer's remarks.")


@public_type
@strawberry.type(description="One version of the financial part: who entered it and when.")
class ProgressFinancials:
    version: int = strawberry.field(description="1 for the first entry, then one more per change.")
    lines: list[ProgressFinancialLine] = strawberry.field(description="One per component entered, in scheme order.")
    recorded_by: str = strawberry.field(description="Who entered this version (the token's subject).")
    recorded_agency: str | None = strawberry.field(description="Their agency role (scps or cpsu).")
    recorded_at: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, v: money.FinancialsVersion) -> ProgressFinancials:
        return cls(
            version=v.version,
            lines=[
                ProgressFinancialLine(
                    component=line.component,
                    label=money.COMPONENT_LABELS[line.component],
                    sanctioned=line.sanctioned,
                    released=line.released,
                    utilised=line.utilised,
                    opening_balance=line.opening_balance,
                    central_share=line.central_share,
                    state_share=line.state_share,
                    remarks=line.remarks,
                )
                for line in v.lines
            ],
            recorded_by=v.recorded_by,
            recorded_agency=v.recorded_agency,
            recorded_at=v.recorded_at,
        )


@public_type
@strawberry.type(description="The report as files, opened with the same bearer token.")
class ProgressReportDownloads:
    csv: str = strawberry.field(description="Path of the CSV download.")
    xlsx: str = strawberry.field(description="Path of the XLSX download (a sheet per part).")
    pdf: str = strawberry.field(description="Path of the PDF download, with charts.")


@public_type
@strawberry.type(description="A State's Mission Vatsalya (ICPS) progress report for a financial year.")
class ProgressReport:
    state: str = strawberry.field(description="LGD state code.")
    state_name: str = strawberry.field(description="The State's name.")
    financial_year: str = strawberry.field(description="Like 2026-27 (April to March).")
    generated_at: datetime = strawberry.field(description="When the report was counted.")
    physical: ProgressPhysical | None = strawberry.field(description="Null for a year not begun.")
    financials: ProgressFinancials | None = strawberry.field(description="The current version; null: not entered.")
    financials_version: int = strawberry.field(
        description="The current version (0: none): send it as expectedVersion to setProgressFinancials."
    )
    financial_history: list[ProgressFinancials] = strawberry.field(description="Every version, newest first.")
    suppressed: bool = strawberry.field(description="Children's counts of 1-4 are blank (null) for your role.")
    downloads: ProgressReportDownloads = strawberry.field(description="The same report as files.")

    @classmethod
    def of(cls, r: report.ProgressReport) -> ProgressReport:
        links = report_links("progress", {"state": r.state, "financialYear": r.financial_year.label})
        return cls(
            state=r.state,
            state_name=r.state_name,
            financial_year=r.financial_year.label,
            generated_at=r.generated_at,
            physical=ProgressPhysical.of(r.physical) if r.physical else None,
            financials=ProgressFinancials.of(r.financials) if r.financials else None,
            financials_version=r.financials.version if r.financials else 0,
            financial_history=[ProgressFinancials.of(v) for v in r.history],
            suppressed=r.suppressed,
            downloads=ProgressReportDownloads(csv=links.csv, xlsx=links.xlsx, pdf=links.pdf),
        )


@strawberry.input(description="One component's amounts, in INR lakh (at most 5 decimal places: exact to the rupee).")
class ProgressFinancialLineInput:
    component: money.Component = strawberry.field(description="The scheme's component (each at most once).")
    sanctioned: Decimal = strawberry.field(description="Sanctioned for the year (the plan's approval).")
    released: Decimal = strawberry.field(description="Released so far; at most the amount sanctioned.")
    utilised: Decimal = strawberry.field(description="Spent; at most released plus the opening balance.")
    opening_balance: Decimal = strawberry.field(
        default=Decimal(0), description="Unspent balance brought forward from earlier years."
    )
    central_share: Decimal | None = strawberry.field(
        default=None, description="The Centre's share of the amount released (with stateShare: they add up to it)."
    )
    state_share: Decimal | None = strawberry.field(default=None, description="The State's share of it.")
    remarks: str | None = strawberry.field(default=None, description="At most 500 characters.")

    def to_domain(self) -> money.FinancialLine:
        return money.FinancialLine(
            self.component,
            self.sanctioned,
            self.released,
            self.utilised,
            self.opening_balance,
            self.central_share,
            self.state_share,
            self.remarks,
        )


@strawberry.input(description="A State's financial part for a year: a new version on top of the one you read.")
class SetProgressFinancialsInput:
    state: str = strawberry.field(description="LGD state code.")
    financial_year: str = strawberry.field(description="Like 2026-27.")
    expected_version: int = strawberry.field(description="The version you read (progressReport.financialsVersion).")
    lines: list[ProgressFinancialLineInput] = strawberry.field(description="Each component at most once.")


async def _progress_report(info: Info, state: str, financial_year: str) -> ProgressReport:
    return ProgressReport.of(await service.progress_report(info.context, state, financial_year))


async def _set_financials(info: Info, input: SetProgressFinancialsInput) -> ProgressFinancials:
    version = await service.set_progress_financials(
        info.context,
        input.state,
        input.financial_year,
        [line.to_domain() for line in input.lines],
        input.expected_version,
    )
    return ProgressFinancials.of(version)


PROGRESS_REPORT = operation(
    any_of(Scope.REPORTS_READ),
    "A State's Mission Vatsalya (ICPS) progress report for a financial year (April-March, like 2026-27): the "
    "physical part from the hub's data, the financial part as the State entered it, and download links "
    "(reports:read; your State only, any for a national reader).",
    resolver=_progress_report,
)
SET_PROGRESS_FINANCIALS = operation(
    [[Scope.REPORTS_READ.value, Scope.INSTITUTIONS_WRITE.value]],
    "Enter a State's financial part (amounts per component, INR lakh) for a financial year: a new version on top of "
    "the one you read, CONFLICT on an older one. The State's SCPS or the CPSU only; others FORBIDDEN.",
    resolver=_set_financials,
)
