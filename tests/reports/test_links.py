"""Download links carry the GraphQL arguments as query parameters, and read back the same."""

from __future__ import annotations

from datetime import date
from enum import Enum
from urllib.parse import parse_qsl, urlsplit

from trackchild_hub.reports.links import report_links, report_path, split_list


class Dimension(Enum):
    STATE = "state"
    MONTH = "month"


def test_links_for_each_format_with_the_arguments() -> None:
    links = report_links(
        "stats",
        {"state": "19", "district": None, "from": date(2026, 4, 1), "groupBy": [Dimension.STATE, Dimension.MONTH]},
    )
    assert links.csv == "/reports/stats.csv?state=19&from=2026-04-01&groupBy=STATE,MONTH"
    assert links.xlsx.startswith("/reports/stats.xlsx?")
    assert links.pdf.startswith("/reports/stats.pdf?")


def test_values_are_escaped_and_read_back() -> None:
    path = report_path("progress", "pdf", {"state": "19", "text": "a&b c=d", "flag": True, "empty": []})
    split = urlsplit(path)
    assert split.path == "/reports/progress.pdf"
    assert dict(parse_qsl(split.query)) == {"state": "19", "text": "a&b c=d", "flag": "true"}


def test_no_arguments_no_query() -> None:
    assert report_path("progress", "csv", {"state": None}) == "/reports/progress.csv"


def test_split_list() -> None:
    assert split_list("STATE, MONTH,,") == ("STATE", "MONTH")
    assert split_list("") == ()
