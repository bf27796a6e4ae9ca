"""``/citizen-reports/{reference}``: the console page an overdue citizen report's alert links to
(``services.alert_jobs.report_link``), as ``case_page`` serves ``/cases/{reference}``.

Static HTML and scripts the package ships (``static/citizen_report.html``, ``static/console/token.js`` then
``static/console/citizen_report.js``), the same bytes for every reference: the server renders nothing of the report into
it. The scripts ask ``/graphql`` for ``citizenReport(reference:)`` with the officer's own token, so a report outside
their jurisdiction is "not found", as one that does not exist, and its identity fields need ``child:identity``. Served
in production too, with the case page's headers (``no-store``, a strict Content-Security-Policy, no Referer); its
scripts and style come from the case page's ``/console`` mount.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

from .case_page import HEADERS
from .graphiql import STATIC

PAGE_PATH = "/citizen-reports/{reference}"


@cache
def _page() -> str:
    return (STATIC / "citizen_report.html").read_text(encoding="utf-8")


async def citizen_report_page(_: Request) -> HTMLResponse:
    return HTMLResponse(_page(), headers=HEADERS)


def citizen_report_page_routes() -> list[BaseRoute]:
    """The page, for any reference (its assets are under ``case_page``'s ``/console`` mount)."""
    return [Route(PAGE_PATH, citizen_report_page, methods=["GET", "HEAD"])]
