"""The connectors file: valid tables load, secrets come from the environment, every mistake names its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackchild_hub.connectors.config import (
    ApiKeyAuth,
    ClientCredentialsAuth,
    ConnectorConfig,
    ConnectorKind,
    ConnectorType,
    load_connectors,
)
from trackchild_hub.domain.errors import BadUserInput
from trackchild_hub.domain.geography import load_geography
from trackchild_hub.sandbox.simulator import GRAPHQL_TEMPLATES

GOOD = """
[[connector]]
id = "police-19"
kind = "police"
state = "19"
type = "rest"
base_url = "http://127.0.0.1:9101/"
timeout_ms = 1500
auth = { type = "api_key", header = "X-Api-Key", secret_env = "POLICE_19_KEY" }

[[connector]]
id = "wcd-27"
kind = "wcd"
state = "27"
base_url = "https://wcd.mh.example"
[connector.auth]
type = "client_credentials"
token_url = "https://wcd.mh.example/oauth/token"
client_id = "hub"
secret_env = "WCD_27_SECRET"
[connector.mapping]
fields = { "external_id" = "ref_no" }
"""
HUB = 'client_id = "hub"'
ENV = {"POLICE_19_KEY": "k-19", "WCD_27_SECRET": "s-27"}


def _load(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list[ConnectorConfig]:
    path = tmp_path / "connectors.toml"
    path.write_text(text, encoding="utf-8")
    return list(load_connectors(path, ENV if env is None else env, load_geography()))


def test_a_good_file_loads(tmp_path: Path) -> None:
    police, wcd = _load(tmp_path, GOOD)
    assert police.id == "police-19"
    assert police.kind is ConnectorKind.POLICE
    assert police.base_url == "http://127.0.0.1:9101"
    assert police.auth == ApiKeyAuth(header="X-Api-Key", secret="k-19")
    assert wcd.type is ConnectorType.REST
    assert isinstance(wcd.auth, ClientCredentialsAuth)
    assert wcd.mapping.fields == {"external_id": "ref_no"}
    assert "s-27" not in repr(wcd)  # secrets stay out of logs


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('state = "19"', 'state = "99"'), "connector police-19.state"),
        (('kind = "police"', 'kind = "army"'), "connector police-19.kind"),
        (('base_url = "http://127.0.0.1:9101/"', 'base_url = "ftp://x"'), "connector police-19.base_url"),
        (("timeout_ms = 1500", "timeout_ms = -1"), "connector police-19.timeout_ms"),
        (('secret_env = "POLICE_19_KEY"', 'secret = "plain"'), "connector police-19.auth.secret"),
        (('id = "wcd-27"', 'id = "police-19"'), "connector police-19"),
        (("timeout_ms = 1500", "timeout = 1500"), "connector police-19"),
    ],
)
def test_mistakes_name_their_place(tmp_path: Path, change: tuple[str, str], field: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        _load(tmp_path, GOOD.replace(*change, 1))
    assert caught.value.field == field


def test_a_missing_secret_names_the_variable_not_a_value(tmp_path: Path) -> None:
    with pytest.raises(BadUserInput, match="POLICE_19_KEY is not set"):
        _load(tmp_path, GOOD, env={"WCD_27_SECRET": "s"})


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(BadUserInput, match="cannot read"):
        _load(tmp_path, "[[connector]\nbroken")


def test_client_credentials_renew_30_s_ahead_unless_told(tmp_path: Path) -> None:
    _, default = _load(tmp_path, GOOD)
    _, told = _load(tmp_path, GOOD.replace(HUB, f"{HUB}\nrenew_before_s = 5", 1))
    _, never = _load(tmp_path, GOOD.replace(HUB, f"{HUB}\nrenew_before_s = 0", 1))
    assert isinstance(default.auth, ClientCredentialsAuth)
    assert isinstance(told.auth, ClientCredentialsAuth)
    assert isinstance(never.auth, ClientCredentialsAuth)
    assert (default.auth.renew_before_s, told.auth.renew_before_s, never.auth.renew_before_s) == (30.0, 5.0, 0.0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ((HUB, f"{HUB}\nrenew_before_s = -1"), "connector wcd-27.auth.renew_before_s"),
        ((HUB, f'{HUB}\nrenew_before_s = "soon"'), "connector wcd-27.auth.renew_before_s"),
        ((HUB, f"{HUB}\nrenew_before_s = true"), "connector wcd-27.auth.renew_before_s"),
        ((HUB, f"{HUB}\nrenew_before_s = nan"), "connector wcd-27.auth.renew_before_s"),
        ((HUB, f"{HUB}\nrenew_before_s = inf"), "connector wcd-27.auth.renew_before_s"),
        ((HUB, f"{HUB}\nrenew_before = 10"), "connector wcd-27.auth"),  # a misspelt key is not silently ignored
        ((HUB, f'{HUB}\nheader = "X-Api-Key"'), "connector wcd-27.auth"),  # an api_key key, for client_credentials
        (("https://wcd.mh.example/oauth/token", "ftp://x/token"), "connector wcd-27.auth.token_url"),
    ],
)
def test_client_credentials_mistakes_name_their_place(tmp_path: Path, change: tuple[str, str], field: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        _load(tmp_path, GOOD.replace(*change, 1))
    assert caught.value.field == field


def _graphql_file(table: dict[str, str], *, connector_type: str = "graphql") -> str:
    lines = [f"{key} = {json.dumps(value)}" for key, value in table.items()]
    return f"""
[[connector]]
id = "police-19"
kind = "police"
state = "19"
type = "{connector_type}"
base_url = "http://127.0.0.1:9101"
[connector.graphql]
{chr(10).join(lines)}
"""


def test_a_graphql_connector_loads_its_templates(tmp_path: Path) -> None:
    (police,) = _load(tmp_path, _graphql_file(GRAPHQL_TEMPLATES))
    assert police.type is ConnectorType.GRAPHQL
    assert police.graphql is not None
    assert police.graphql.search == GRAPHQL_TEMPLATES["search"]
    assert (police.graphql.items_path, police.graphql.path) == ("page.items", "/graphql")
    assert police.graphql.declared["changes"] == {"cursor", "limit"}
    assert police.graphql.declared["health"] == frozenset()
    assert police.graphql.variables("changes", {"cursor": None, "limit": 5, "name": "x"}) == {"limit": 5}


@pytest.mark.parametrize(
    ("key", "value", "field", "reason"),
    [
        ("search", None, "connector police-19.graphql.search", "is required"),
        ("get", "query { case(", "connector police-19.graphql.get", "not a GraphQL document"),
        ("changes", "mutation { forget }", "connector police-19.graphql.changes", "exactly one query"),
        ("search", "query($foo: String) { s(n: $foo) { items } }", "connector police-19.graphql.search", "$foo"),
        ("health", "query($limit: Int) { health { status } }", "connector police-19.graphql.health", "$limit"),
        ("items_path", "page[0].items", "connector police-19.graphql.items_path", "dotted path"),
        ("record_path", None, "connector police-19.graphql.record_path", "is required"),
        ("path", "graphql", "connector police-19.graphql.path", "starting with /"),
        ("timeout", "1", "connector police-19.graphql", "unknown keys"),
    ],
)
def test_graphql_mistakes_name_their_place(
    tmp_path: Path, key: str, value: str | None, field: str, reason: str
) -> None:
    table = {k: v for k, v in {**GRAPHQL_TEMPLATES, key: value}.items() if v is not None}
    with pytest.raises(BadUserInput) as caught:
        _load(tmp_path, _graphql_file(table))
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_the_graphql_table_goes_with_type_graphql(tmp_path: Path) -> None:
    no_table = _graphql_file({}).replace("[connector.graphql]\n", "")
    with pytest.raises(BadUserInput) as missing:
        _load(tmp_path, no_table)
    with pytest.raises(BadUserInput) as misplaced:
        _load(tmp_path, _graphql_file(GRAPHQL_TEMPLATES, connector_type="rest"))
    assert missing.value.field == misplaced.value.field == "connector police-19.graphql"
    assert "is required" in missing.value.reason
    assert "only for" in misplaced.value.reason


def test_breaker_settings_load_and_reach_the_connector(tmp_path: Path) -> None:
    import httpx

    from trackchild_hub.connectors.rest import RestConnector

    text = GOOD.replace("timeout_ms = 1500\n", "timeout_ms = 1500\nbreaker_failures = 2\nbreaker_open_ms = 500\n")
    police, wcd = _load(tmp_path, text)
    assert (police.breaker_failures, police.breaker_open_ms) == (2, 500)
    assert (wcd.breaker_failures, wcd.breaker_open_ms) == (5, 10_000)
    breaker = RestConnector(police, httpx.AsyncClient(), load_geography()).resilience.breaker
    assert (breaker.failure_threshold, breaker.open_seconds) == (2, 0.5)
    with pytest.raises(BadUserInput) as caught:
        _load(tmp_path, GOOD.replace("timeout_ms = 1500\n", "breaker_failures = 0\n"))
    assert caught.value.field == "connector police-19.breaker_failures"
