"""The development GraphiQL page renders with nothing but the hub: jsdom runs its scripts against the served app.

jsdom is a DOM without a browser (no layout): enough to show every script loads from the hub, React mounts GraphiQL
and its three editors (query, variables, headers) appear, with no script error and no request to another host.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.live_server import serving
from tests.npm import ensure_node_modules, require_node
from trackchild_hub.app import create_app
from trackchild_hub.settings import Settings

RENDERER = Path(__file__).parent / "graphiql_render"


def test_graphiql_renders_from_the_hub_alone(tmp_path: Path) -> None:
    ensure_node_modules(RENDERER)
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", data_dir=tmp_path / "data")
    with serving(create_app(settings)) as base:
        done = subprocess.run(
            [require_node(), "render.cjs", f"{base}/graphql"],
            cwd=RENDERER,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)
    assert page["errors"] == []
    assert page["editors"] >= 3, page
    assert page["sessions"] == 1, page
    assert not page["loading"]
    assert all(url.startswith(f"{base}/") for url in page["requested"]), page["requested"]
    assert len(page["requested"]) == 9, page["requested"]  # the page, 3 stylesheets, 5 scripts
