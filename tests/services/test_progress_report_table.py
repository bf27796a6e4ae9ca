"""The progress report as the downloads render it: services.progress_report over the hand-counted data set of
tests/schema/test_progress_report.py, turned into a ReportTable (domain.progress_report_table) and written as XLSX
and CSV by the reports package; the cells read back are the hand counts, blanks carry their reason."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.factories import WB, run
from tests.schema.test_progress_report import CPSU, SET, WB_SCPS, WB_SLSA, YEAR, entry, line, seed
from trackchild_hub.auth.principal import Principal
from trackchild_hub.domain.progress_report_table import NOT_RECORDED, SUPPRESSED, to_report_table
from trackchild_hub.domain.report_table import ReportTable
from trackchild_hub.reports.render import render
from trackchild_hub.resolvers.context import Services
from trackchild_hub.services.progress_report import progress_report
from trackchild_hub.services.unit import Unit


async def _table(store: Services, principal: Principal) -> ReportTable:
    async with Unit.opened(store, principal) as unit:
        return to_report_table(await progress_report(unit, WB, YEAR))


async def test_xlsx_holds_the_hand_counts_and_the_financial_part(store: Services) -> None:
    await seed(store)
    lines = [
        line(centralShare="120", stateShare="80"),
        line("CHILD_HELPLINE", sanctioned="10", released="5", utilised="5"),
    ]
    await run(store, SET, entry(lines), WB_SCPS)
    table = await _table(store, CPSU)
    assert [part.title for part in table.parts()] == [
        "Mission Vatsalya progress report 2025-26",
        "Children in institutions",
        "Restorations and other outcomes",
        "Financial part",
    ]
    book = load_workbook(io.BytesIO(render(table, "xlsx", "progress").body))
    cells = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    flat = [tuple(c for c in row if c is not None) for row in cells]
    assert ("Children's homes", "CNCP", 2, 80) in flat
    assert ("Total", 4, 110) in flat  # blank category cell dropped above
    children = table.sections[0]
    homes = children.rows[0]
    assert homes[:2] == ("Children's homes", "CNCP")
    assert homes[2:7] == (0, 2, 1, 0, 3)  # in care: male, female, transgender, unknown, total
    outcomes = table.sections[1]
    assert outcomes.rows[0][1:] == (1, 1, 0, 0, 2)  # restored
    adopted = outcomes.rows[3]
    assert adopted[1:] == (None,) * 5
    assert outcomes.notes_for(3)[0].text == NOT_RECORDED
    money = table.sections[2]
    assert [str(v) for v in money.rows[0][1:4]] == ["250.50", "200.00", "180.25"]
    assert money.rows[-1][0] == "Total"
    assert str(money.rows[-1][1]) == "260.50"
    assert "Version 1, entered by scps-wb-1 (scps)" in money.notes[0]
    text = render(table, "csv", "progress").body.decode("utf-8-sig")
    assert "Institutional care (Child Care Institutions)" in text
    assert any(row[:2] == ["Children's homes", "CNCP"] for row in csv.reader(io.StringIO(text)))


async def test_blank_cells_say_why(store: Services) -> None:
    await seed(store)
    table = await _table(store, WB_SLSA)
    children = table.sections[0]
    assert children.rows[0][2:7] == (0, None, None, 0, None)
    assert {n.text for n in children.notes_for(0, "in_care_female")} == {SUPPRESSED}
    assert any("blank for your role" in note for note in table.notes)
    assert table.sections[2].notes == ("Not entered yet for this year (setProgressFinancials).",)
