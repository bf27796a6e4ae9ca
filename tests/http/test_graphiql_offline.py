"""GraphiQL works without a network: its page names only same-origin files, and the hub serves each of them."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.factories import hub_client
from trackchild_hub.settings import Environment, Settings

PAGE_URL = "http://hub.test/graphql"
HTML = {"Accept": "text/html"}


class Assets(HTMLParser):
    """Every URL the page makes the browser fetch: <script src>, <link href>, <img src>, <iframe src>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (tag, name) in {
                ("script", "src"),
                ("link", "href"),
                ("img", "src"),
                ("iframe", "src"),
            }:
                self.urls.append((tag, value))


def assets(page: str) -> list[tuple[str, str]]:
    parser = Assets()
    parser.feed(page)
    return parser.urls


async def test_the_page_loads_only_files_the_hub_serves(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", data_dir=tmp_path / "data")
    async with hub_client(settings) as client:
        page = await client.get("/graphql", headers=HTML)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert re.search(r"script-src 'self'(;|$)", page.headers["content-security-policy"])
        # No address of another host anywhere in the page (not even in a comment).
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}", page.text, re.IGNORECASE), page.text
        found = assets(page.text)
        scripts = [url for tag, url in found if tag == "script"]
        assert len(scripts) == 5, found  # react, react-dom, graphiql, the explorer plugin, the page's start.js
        assert len([u for t, u in found if t == "link" and u.endswith(".css")]) == 3, found
        for _, url in found:
            if url.startswith("data:"):
                continue
            absolute = urljoin(PAGE_URL, url)
            assert urlsplit(absolute).netloc == "hub.test", url
            served = await client.get(absolute)
            assert served.status_code == 200, (url, served.status_code)
            assert len(served.content) > 100, url
            expected = "javascript" if url.endswith(".js") else "css"
            assert expected in served.headers["content-type"], (url, served.headers["content-type"])


async def test_the_shipped_bundles_are_the_real_ones(tmp_path: Path) -> None:
    """Not placeholders: the globals the page's start.js uses are defined by the files it loads."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", data_dir=tmp_path / "data")
    async with hub_client(settings) as client:
        react = (await client.get("/graphiql/react.production.min.js")).text
        graphiql = (await client.get("/graphiql/graphiql.min.js")).text
        explorer = (await client.get("/graphiql/plugin-explorer.umd.js")).text
        start = (await client.get("/graphiql/start.js")).text
    assert "React v18.2.0" in react or "18.2.0" in react
    assert "window.GraphiQL" in graphiql
    assert len(graphiql) > 1_000_000
    assert "GraphiQLPluginExplorer" in explorer
    assert "GraphiQL.createFetcher" in start
    assert "sourceMappingURL" not in graphiql  # the maps are not shipped: no 404s in the browser's console


async def test_production_serves_no_ide(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", data_dir=tmp_path / "data")
    production = replace(
        settings,
        env=Environment.PRODUCTION,
        oidc_issuer="http://127.0.0.1:9/unused",  # never called: no request here carries a token
        audit_keys=(("k1", b"0" * 32),),
    )
    async with hub_client(production) as client:
        page = await client.get("/graphql", headers=HTML)
        bundle = await client.get("/graphiql/graphiql.min.js")
    assert "text/html" not in page.headers.get("content-type", "")
    assert bundle.status_code == 404
