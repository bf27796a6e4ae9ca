"""GraphiQL from files the package ships (``static/``), never a CDN: it must work on an offline network.

The page lives at ``/graphql`` (for a browser asking for HTML, development only) and loads its scripts and styles
by relative URLs from ``/graphiql/``, so it also works behind a proxy that serves the hub under a path prefix.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
ASSETS_PATH = "/graphiql"

# Scripts from this origin only (start.js is a file for this reason); GraphiQL and CodeMirror set inline styles,
# and its fonts are data: URLs inside the stylesheet.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


@cache
def _page() -> str:
    return (STATIC / "graphiql.html").read_text(encoding="utf-8")


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(_page(), headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


def graphiql_routes() -> list[BaseRoute]:
    """The page's scripts and styles (``/graphiql/…``)."""
    return [Mount(ASSETS_PATH, app=StaticFiles(directory=STATIC / "graphiql"), name="graphiql")]
