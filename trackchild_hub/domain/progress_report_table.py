"""The progress report as the downloads render it (``/reports/progress.{csv,xlsx,pdf}``): one ``ReportTable`` whose
first part is the institutions, with the children, the outcomes and the financial part as its sections.

A blank cell is never a zero: a blanked small count carries the note "fewer than 5: suppressed", a line the hub does
not record "not recorded" (on the whole row), and a financial part never entered says so in the section's notes.
"""

from __future__ import annotations

from decimal import Decimal

from .progress_financials import COMPONENT_LABELS, FinancialsVersion
from .progress_report import (
    NOT_RECORDED,
    OUTCOME_LABELS,
    TYPE_LABELS,
    GenderCounts,
    PhysicalPart,
    ProgressReport,
)
from .report_table import CellNote, ChartSpec, Column, ReportTable, Series, Value

SUPPRESSED = "suppressed: a count of 1-4 children, or hidden so that such a count cannot be worked out"
GENDERS = ("male", "female", "transgender", "unknown", "total")


def _gender_columns(prefix: str, label: str) -> tuple[Column, ...]:
    return tuple(Column(f"{prefix}_{g}", f"{label}: {g}", "int") for g in GENDERS)


def _gender_values(counts: GenderCounts | None) -> tuple[Value, ...]:
    if counts is None:
        return (None,) * len(GENDERS)
    return tuple(getattr(counts, g) for g in GENDERS)


def _blank_notes(rows: list[tuple[Value, ...]], columns: tuple[Column, ...], skip: set[int]) -> list[CellNote]:
    return [
        CellNote(r, column.key, SUPPRESSED)
        for r, row in enumerate(rows)
        if r not in skip
        for column, value in zip(columns, row, strict=True)
        if value is None and column.kind == "int"
    ]


def _institutions(
    report: ProgressReport, physical: PhysicalPart | None
) -> tuple[tuple[Column, ...], list[tuple[Value, ...]]]:
    columns = (
        Column("institution_type", "Institution type"),
        Column("category", "Children (JJ Act)"),
        Column("institutions", "Institutions", "int"),
        Column("capacity", "Capacity", "int"),
    )
    rows: list[tuple[Value, ...]] = []
    if physical is not None:
        rows = [(TYPE_LABELS[i.type], i.category.value, i.institutions, i.capacity) for i in physical.institutions]
        rows.append(
            (
                "Total",
                "",
                sum(i.institutions for i in physical.institutions),
                sum(i.capacity for i in physical.institutions),
            )
        )
    return columns, rows


def _children(report: ProgressReport, physical: PhysicalPart) -> ReportTable:
    columns = (
        Column("institution_type", "Institution type"),
        Column("category", "Children (JJ Act)"),
        *_gender_columns("in_care", "In care on " + physical.period_end.isoformat()),
        *_gender_columns("admitted", "Admitted"),
    )
    rows = [
        (TYPE_LABELS[c.type], c.category.value, *_gender_values(c.in_care), *_gender_values(c.admitted))
        for c in physical.children
    ]
    in_care = tuple(c.in_care.total for c in physical.children)
    chart = ChartSpec(
        kind="bar",
        title="Children in care by institution type",
        x_labels=tuple(TYPE_LABELS[c.type] for c in physical.children),
        series=(Series("In care", in_care),),
        y_label="children",
    )
    return ReportTable(
        title="Children in institutions",
        columns=columns,
        rows=tuple(rows),
        generated_at=report.generated_at,
        scope=report.state_name,
        subtitle=f"{physical.period_start.isoformat()} to {physical.period_end.isoformat()}",
        notes=(
            "A child's category is that of the home: observation and special homes and places of safety hold "
            "children in conflict with law (CCL); the others children in need of care and protection (CNCP).",
        ),
        cell_notes=tuple(_blank_notes(rows, columns, set())),
        charts=(chart,) if any(v is not None for v in in_care) else (),
    )


def _outcomes(report: ProgressReport, physical: PhysicalPart) -> ReportTable:
    columns = (Column("outcome", "Outcome"), *_gender_columns("children", "Children"))
    rows = [(OUTCOME_LABELS[o.outcome], *_gender_values(o.children)) for o in physical.outcomes]
    unrecorded = {r for r, o in enumerate(physical.outcomes) if not o.recorded}
    notes = [CellNote(r, None, NOT_RECORDED) for r in sorted(unrecorded)]
    return ReportTable(
        title="Restorations and other outcomes",
        columns=columns,
        rows=tuple(rows),
        generated_at=report.generated_at,
        scope=report.state_name,
        subtitle="Releases recorded in the CCI e-file during the period",
        notes=("Adoption, foster care, sponsorship and aftercare are not recorded in TrackChild: blank, not zero.",),
        cell_notes=tuple(notes + _blank_notes(rows, columns, unrecorded)),
    )


def _financials(report: ProgressReport, current: FinancialsVersion | None) -> ReportTable:
    columns = (
        Column("component", "Component"),
        Column("sanctioned", "Sanctioned (INR lakh)", "decimal"),
        Column("released", "Released (INR lakh)", "decimal"),
        Column("utilised", "Utilised (INR lakh)", "decimal"),
        Column("opening_balance", "Opening balance (INR lakh)", "decimal"),
        Column("central_share", "Central share (INR lakh)", "decimal"),
        Column("state_share", "State share (INR lakh)", "decimal"),
        Column("utilisation", "Utilised of released", "percent"),
        Column("remarks", "Remarks"),
    )
    rows: list[tuple[Value, ...]] = []
    charts: tuple[ChartSpec, ...] = ()
    if current is None:
        notes: tuple[str, ...] = ("Not entered yet for this year (setProgressFinancials).",)
    else:
        for line in current.lines:
            share = line.utilised / line.released if line.released else None
            rows.append(
                (
                    COMPONENT_LABELS[line.component],
                    line.sanctioned,
                    line.released,
                    line.utilised,
                    line.opening_balance,
                    line.central_share,
                    line.state_share,
                    share,
                    line.remarks or "",
                )
            )
        total = [
            sum((getattr(line, k) for line in current.lines), Decimal(0))
            for k in ("sanctioned", "released", "utilised", "opening_balance")
        ]
        rows.append(("Total", *total, None, None, total[2] / total[1] if total[1] else None, ""))
        notes = (
            f"Version {current.version}, entered by {current.recorded_by} ({current.recorded_agency or 'unknown'}) "
            f"at {current.recorded_at.isoformat(timespec='minutes')}.",
            "Amounts in INR lakh, exact to the rupee.",
        )
        labels = tuple(COMPONENT_LABELS[line.component] for line in current.lines)
        charts = (
            ChartSpec(
                kind="bar",
                title="Sanctioned, released and utilised by component",
                x_labels=labels,
                series=tuple(
                    Series(name.capitalize(), tuple(getattr(line, name) for line in current.lines))
                    for name in ("sanctioned", "released", "utilised")
                ),
                y_label="INR lakh",
            ),
        )
    return ReportTable(
        title="Financial part",
        columns=columns,
        rows=tuple(rows),
        generated_at=report.generated_at,
        scope=report.state_name,
        subtitle=f"Financial year {report.financial_year.label}",
        notes=notes,
        charts=charts,
    )


def to_report_table(report: ProgressReport) -> ReportTable:
    """The whole report, ready for any renderer of ``domain.report_table``."""
    physical = report.physical
    columns, rows = _institutions(report, physical)
    notes = (
        [
            f"Physical part: {physical.period_start.isoformat()} to {physical.period_end.isoformat()}; "
            "institutions as registered in TrackChild now."
        ]
        if physical
        else ["The year has not begun: no physical part."]
    )
    if report.suppressed:
        notes.append("Counts of 1-4 children are blank for your role, so that no child can be singled out.")
    sections = [_children(report, physical), _outcomes(report, physical)] if physical else []
    sections.append(_financials(report, report.financials))
    return ReportTable(
        title=f"Mission Vatsalya progress report {report.financial_year.label}",
        columns=columns,
        rows=tuple(rows),
        generated_at=report.generated_at,
        scope=f"{report.state_name} ({report.state})",
        subtitle="Institutions by type",
        notes=tuple(notes),
        sections=tuple(sections),
    )
