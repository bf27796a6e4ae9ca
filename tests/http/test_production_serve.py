"""``serve`` in production mode (``TRACKCHILD_ENV=production``), in a real process, over HTTP.

What production changes (README, settings): no GraphiQL (a browser asking ``/graphql`` for HTML gets no IDE, and the
IDE's files are not served), no embedded dev issuer (tokens come from the external OpenID provider), internal errors
masked (the code stays, the message goes: it may quote SQL or a child's data), and introspection only for callers
with an agency token. Startup needs ``TRACKCHILD_OIDC_ISSUER`` and ``TRACKCHILD_AUDIT_KEYS``.
"""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.oidc.harness import OidcProvider
from tests.serve.served import hub_env, serving, upgraded

SCHEMA = "{ __schema { queryType { name } } }"
INSTITUTIONS = "{ institutions(first: 5) { edges { node { name } } } }"
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}

pytestmark = pytest.mark.slow


def test_production_over_http_hides_the_ide_masks_internal_errors_and_guards_introspection(
    tmp_path: Path, oidc_provider: OidcProvider
) -> None:
    env = hub_env(
        tmp_path,
        ENV="production",
        OIDC_ISSUER=oidc_provider.issuer,
        AUDIENCE=oidc_provider.audience,
        AUDIT_KEYS="prod-1:" + base64.b64encode(b"p" * 32).decode(),
    )
    upgraded(env, tmp_path)
    token = oidc_provider.token("ext-police")
    with serving(tmp_path, env, "--workers", "1") as hub:
        # No IDE: neither the page a browser asks for, nor its files; and no embedded issuer.
        page = httpx.get(f"{hub.base}/graphql", headers=HTML, timeout=30)
        assert not page.headers.get("content-type", "").startswith("text/html"), page.headers
        assert "graphiql" not in page.text.lower()
        for path in ("/graphiql/graphiql.min.js", "/oauth/token", "/.well-known/openid-configuration"):
            assert httpx.get(f"{hub.base}{path}", timeout=30).status_code in (404, 405), path

        # Introspection for agency tokens only.
        anonymous = hub.graphql(SCHEMA)
        assert [e["extensions"]["code"] for e in anonymous["errors"]] == ["FORBIDDEN"], anonymous
        assert hub.graphql(SCHEMA, token)["data"] == {"__schema": {"queryType": {"name": "Query"}}}

        # An internal failure (here: a table gone from under the hub) keeps its code and loses its message.
        assert "errors" not in hub.graphql(INSTITUTIONS)
        with sqlite3.connect(tmp_path / "hub.db") as db:
            db.execute("ALTER TABLE institutions RENAME TO institutions_away")
        for caller in (None, token):
            failed = hub.graphql(INSTITUTIONS, caller)
            assert [(e["message"], e["extensions"]["code"]) for e in failed["errors"]] == [
                ("Internal server error", "INTERNAL_SERVER_ERROR")
            ], failed
            shown = str(failed).lower()
            assert "no such table" not in shown
            assert "sqlite" not in shown
            assert "traceback" not in shown
    log = hub.text()
    assert hub.process.returncode == 0, log[-3000:]
    assert "internal error at ['institutions']: OperationalError" in log, log[-3000:]  # the operator still sees what
