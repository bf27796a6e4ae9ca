"""``/cases/{reference}``: the console page an alert's link opens (``services.alerts.case_link``).

Static HTML and scripts the package ships (``static/case.html``, ``static/console/``: ``token.js``, the token and
request part the citizen report page shares, then ``case.js``), the same bytes for every reference: the server
renders no child data into it. The script reads the reference from the address, takes the
officer's token (the one the GraphiQL console keeps in this browser, or one pasted into the page and kept in the
tab's session storage) and asks ``/graphql`` for ``case(reference:)`` with it, so the officer sees what their own
access allows: a case outside their jurisdiction is "not found", as one that does not exist.

The page is served in production too (unlike GraphiQL): it is how officers open alerts. ``no-store``, since the
address carries a case reference; a strict Content-Security-Policy (scripts, styles and requests from this origin
only, no inline script or style, no framing, no forms posted anywhere); no Referer sent on.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from .graphiql import STATIC

PAGE_PATH = "/cases/{reference}"
ASSETS_PATH = "/console"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@cache
def _page() -> str:
    return (STATIC / "case.html").read_text(encoding="utf-8")


async def case_page(_: Request) -> HTMLResponse:
    return HTMLResponse(_page(), headers=HEADERS)


def case_page_routes() -> list[BaseRoute]:
    """The page (any reference) and its script and style (``/console/…``)."""
    return [
        Route(PAGE_PATH, case_page, methods=["GET", "HEAD"]),
        Mount(ASSETS_PATH, app=StaticFiles(directory=STATIC / "console"), name="console"),
    ]
