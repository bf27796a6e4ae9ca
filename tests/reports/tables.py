"""Hand-made report tables for the renderer tests (the stats and progress adapters build theirs from the store)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from trackchild_hub.domain.report_table import CellNote, ChartSpec, Column, ReportTable, Series

GENERATED = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
MONTHS = tuple(f"2026-{m:02d}" for m in range(1, 7))
MISSING = (40, 52, 47, 3, 58, 71)
TRACED: tuple[int | None, ...] = (30, 41, 39, None, 52, 60)
HOWRAH_HI = "हावड़ा"  # Devanagari, with a nukta and a vowel sign
KOLKATA_BN = "কলকাতা"
SHAPED_BN = "পশ্চিমবঙ্গ"  # a conjunct (শ্চ) and a vowel sign written before its consonant
CHENNAI_TA = "சென்னை"
FORMULA = '=HYPERLINK("http://example.invalid","x")'


def stats_table(*, sections: tuple[ReportTable, ...] = ()) -> ReportTable:
    columns = (
        Column("district", "District"),
        Column("month", "Month", "date"),
        Column("missing", "Missing", "int"),
        Column("traced", "Traced", "int"),
        Column("trace_rate", "Trace rate", "percent"),
    )
    names = (HOWRAH_HI, f"{SHAPED_BN} {KOLKATA_BN}", FORMULA, "Howrah", "-1+2", CHENNAI_TA)
    rows = tuple(
        (name, date(2026, i + 1, 1), m, t, None if t is None else Decimal(t) / Decimal(m))
        for i, (name, m, t) in enumerate(zip(names, MISSING, TRACED, strict=True))
    )
    return ReportTable(
        title="Missing and traced children",
        subtitle="January to June 2026, by district and month",
        columns=columns,
        rows=rows,
        generated_at=GENERATED,
        scope="West Bengal (19)",
        notes=("Counts below 5 are suppressed so that no child can be singled out.",),
        cell_notes=(CellNote(3, "traced", "fewer than 5: suppressed"), CellNote(3, None, "partial month")),
        charts=(trend_chart(), district_chart()),
        sections=sections,
    )


def financial_table() -> ReportTable:
    return ReportTable(
        title="Financial part",
        columns=(Column("component", "Component"), Column("sanctioned", "Sanctioned (₹ lakh)", "decimal")),
        rows=(("Institutional care", Decimal("120.50")), (f"{KOLKATA_BN} aftercare", None)),
        generated_at=GENERATED,
        scope="West Bengal (19)",
        cell_notes=(CellNote(1, "sanctioned", "not recorded"),),
    )


def trend_chart() -> ChartSpec:
    return ChartSpec(
        "line",
        "Missing against traced, by month",
        MONTHS,
        (Series("Missing", MISSING), Series("Traced", TRACED)),
        y_label="children",
    )


def district_chart() -> ChartSpec:
    return ChartSpec(
        "bar",
        f"By district: {HOWRAH_HI}, {KOLKATA_BN}, {CHENNAI_TA}",
        (HOWRAH_HI, KOLKATA_BN, SHAPED_BN, CHENNAI_TA),
        (Series("Missing", (12, 30, 9, 22)), Series("Traced", (10, 21, 7, None))),
    )
