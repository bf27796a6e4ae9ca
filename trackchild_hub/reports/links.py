"""Download links for a report: ``/reports/stats.csv?state=19&groupBy=DISTRICT,MONTH``.

The GraphQL answer of ``stats`` and ``progressReport`` carries one link per format, built from the very arguments
of the query, so a reader gets the same numbers as a file. The convention, read back by ``http/reports.py``:

- one query parameter per argument, named as in GraphQL (camelCase); an input object's fields (``stats``' filter)
  are spelled at the top level by their own GraphQL names, not nested;
- a list is one parameter with comma-separated values (``groupBy=STATE,MONTH``); an enum is its GraphQL name;
  a date is ISO 8601; a bool is ``true``/``false``; an argument that is ``None`` (or an empty list) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Literal, TypeAlias
from urllib.parse import urlencode

ReportName = Literal["stats", "progress"]
Format = Literal["csv", "xlsx", "pdf"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "pdf")
PREFIX = "/reports/"

Scalar: TypeAlias = str | int | bool | date | Enum
Param: TypeAlias = Scalar | Sequence[Scalar] | None


@dataclass(frozen=True, slots=True)
class ReportLinks:
    """The paths of one report's downloads, relative to the hub (the same bearer token opens them)."""

    csv: str
    xlsx: str
    pdf: str


def _text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def query_string(params: Mapping[str, Param]) -> str:
    """``params`` encoded by the convention above, in the order given."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, Sequence) and not isinstance(value, str):
            if not value:
                continue
            pairs.append((name, ",".join(_text(item) for item in value)))
        else:
            pairs.append((name, _text(value)))
    return urlencode(pairs, safe=",")


def report_path(report: ReportName, fmt: Format, params: Mapping[str, Param]) -> str:
    """The path and query of one download, e.g. ``/reports/progress.xlsx?state=19&financialYear=2026-27``."""
    query = query_string(params)
    return f"{PREFIX}{report}.{fmt}" + (f"?{query}" if query else "")


def report_links(report: ReportName, params: Mapping[str, Param]) -> ReportLinks:
    """The CSV, XLSX and PDF paths of ``report`` for the GraphQL arguments ``params``."""
    csv, xlsx, pdf = (report_path(report, fmt, params) for fmt in FORMATS)
    return ReportLinks(csv=csv, xlsx=xlsx, pdf=pdf)


def split_list(value: str) -> tuple[str, ...]:
    """A comma-separated parameter read back (``"STATE, MONTH"`` -> ``("STATE", "MONTH")``); empty items dropped."""
    return tuple(item.strip() for item in value.split(",") if item.strip())
