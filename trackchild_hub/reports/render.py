"""One entry point for the downloads: a ReportTable and a format in, the file's bytes and headers out.

Rendering is CPU work (a PDF with two charts takes a few hundred milliseconds), so the async caller awaits
:func:`render_in_thread`, which runs it on a worker thread and leaves the event loop serving other requests.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from ..domain.report_table import ReportTable
from .csv_file import render_csv
from .links import Format

MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class RenderedReport:
    """A download: its bytes, media type and file name (``Content-Disposition: attachment``)."""

    body: bytes
    media_type: str
    filename: str


def filename(stem: str, fmt: Format) -> str:
    """``stem`` reduced to ASCII letters, digits, dots, dashes (a header-safe name), with the extension."""
    safe = _UNSAFE.sub("-", stem).strip("-.") or "report"
    return f"{safe[:100]}.{fmt}"


def render(table: ReportTable, fmt: Format, stem: str) -> RenderedReport:
    """``table`` as a ``fmt`` file named ``stem.fmt``."""
    # openpyxl, fpdf2 and matplotlib are imported on the first XLSX or PDF (about a second and tens of MB): a hub
    # process that never serves one, and every CLI command, does without them.
    if fmt == "csv":
        body = render_csv(table)
    elif fmt == "xlsx":
        from .xlsx_file import render_xlsx

        body = render_xlsx(table)
    else:
        from .pdf_file import render_pdf

        body = render_pdf(table)
    return RenderedReport(body=body, media_type=MEDIA_TYPES[fmt], filename=filename(stem, fmt))


async def render_in_thread(table: ReportTable, fmt: Format, stem: str) -> RenderedReport:
    """:func:`render` on a worker thread, off the event loop."""
    return await asyncio.to_thread(render, table, fmt, stem)
