"""The GraphQL-over-HTTP conformance audit (npm `graphql-http`, its `serverAudits`) against the served hub.

Every audit must pass: the MUSTs, and the SHOULDs and MAYs the hub chose to follow (61 of 61 when this test was
written). The runner (audit.mjs) prints one JSON line; each test prints the count and fails listing each failing
audit with its reason. Development is audited anonymously, as a scanner would; production with an agency token, and
anonymously, where only the audits that introspect are refused (introspection is for agency tokens there).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests import npm
from tests.live_server import serving
from tests.oidc.harness import OidcProvider
from trackchild_hub.app import build_services, create_app
from trackchild_hub.settings import Environment, Settings
from trackchild_hub.store.migrate import upgrade

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
EXPECTED_AUDITS = 61  # graphql-http 1.23.1's server audits
AUDIT_TIMEOUT_SECONDS = 120
# The audits whose variables go to `__type(name: $name)` (introspection).
INTROSPECTING_AUDITS = {"2EA1", "28B9", "D6D5", "6A70"}


async def migrated(settings: Settings) -> Settings:
    services = build_services(settings)
    try:
        await upgrade(services.engine, services.geography)
    finally:
        await services.engine.dispose()
    return settings


def development(folder: Path) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}", data_dir=folder / "data")


def production(folder: Path, issuer: str) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'hub.db'}",
        data_dir=folder / "data",
        env=Environment.PRODUCTION,
        oidc_issuer=issuer,
        audit_keys=(("audit-test", b"k" * 32),),
    )


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    with serving(create_app(settings)) as base:
        yield f"{base}/graphql"


def run_audit(url: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """graphql-http's server audits against `url` (each request carrying `headers`), one result per audit."""
    npm.ensure_node_modules(HERE)
    command = [npm.require_node(), "audit.mjs", url, json.dumps(headers or {})]
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=AUDIT_TIMEOUT_SECONDS, check=False)
    assert done.returncode == 0, f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
    results: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])["results"]
    print(
        f"\nGraphQL-over-HTTP audit (graphql-http {npm.installed_version(HERE, 'graphql-http')}) of {url}: "
        f"{sum(r['status'] == 'ok' for r in results)} of {len(results)} passed"
    )
    return results


def failures(results: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  [{r['status']}] {r['id']} {r['name']}: {r.get('reason')} (HTTP {r.get('status_code')}: {r.get('body')})"
        for r in results
        if r["status"] != "ok"
    )


def assert_all_pass(results: list[dict[str, Any]]) -> None:
    failing = [r for r in results if r["status"] != "ok"]
    assert not failing, f"{len(failing)} of {len(results)} audits failed:\n{failures(results)}"
    assert len(results) == EXPECTED_AUDITS, [r["id"] for r in results]


async def test_development_hub_passes_every_audit_anonymously(tmp_path: Path) -> None:
    with served(await migrated(development(tmp_path))) as url:
        assert_all_pass(run_audit(url))


async def test_production_hub_passes_every_audit_with_an_agency_token(
    tmp_path: Path, oidc_provider: OidcProvider
) -> None:
    token = oidc_provider.token("ext-police")
    with served(await migrated(production(tmp_path, oidc_provider.issuer))) as url:
        assert_all_pass(run_audit(url, {"Authorization": f"Bearer {token}"}))


async def test_production_hub_refuses_only_the_introspecting_audits_anonymously(tmp_path: Path) -> None:
    # Four audits send their variables to `__type(name: $name)`: production keeps introspection for agency tokens,
    # so an anonymous scanner gets FORBIDDEN there, and only there.
    with served(await migrated(production(tmp_path, "http://127.0.0.1:9/no-token-is-checked"))) as url:
        results = run_audit(url)
    failing = {r["id"]: r for r in results if r["status"] != "ok"}
    assert set(failing) == INTROSPECTING_AUDITS, failures(results)
    for result in failing.values():
        body = json.loads(result["body"])
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], result
        assert "introspection" in body["errors"][0]["message"], result
    assert len(results) == EXPECTED_AUDITS
