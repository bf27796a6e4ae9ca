"""The connectors file (``TRACKCHILD_CONNECTORS``): one ``[[connector]]`` table per state system.

Secrets never sit in the file: an auth table names the environment variable that holds them (``secret_env``), and the
composition root passes the environment in. Every problem is a ``BadUserInput`` naming the connector and the key.
A ``type = "graphql"`` connector also has a ``[connector.graphql]`` table (see ``graphql_templates``).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from ..domain.errors import BadUserInput
from ..domain.geography import Geography
from .graphql_templates import GraphQLTemplates
from .mapping import RecordMapping

E = TypeVar("E", bound=Enum)


class ConnectorKind(Enum):
    POLICE = "police"
    WCD = "wcd"


class ConnectorType(Enum):
    REST = "rest"
    GRAPHQL = "graphql"


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    header: str
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ClientCredentialsAuth:
    token_url: str
    client_id: str
    secret: str = field(repr=False)
    scope: str | None = None
    renew_before_s: float = 30.0  # renew this long before expiry, at most half the token's lifetime


@dataclass(frozen=True, slots=True)
class ConnectorConfig:
    id: str
    kind: ConnectorKind
    state: str
    type: ConnectorType
    base_url: str
    timeout_ms: int = 2000
    retries: int = 2
    max_concurrency: int = 8
    breaker_failures: int = 5  # failed calls in a row that open the circuit
    breaker_open_ms: int = 10_000  # how long it stays open before one probe is let through
    auth: ApiKeyAuth | ClientCredentialsAuth | None = None
    mapping: RecordMapping = field(default_factory=RecordMapping)
    graphql: GraphQLTemplates | None = None  # for type = "graphql": the [connector.graphql] table


_KEYS = {
    *("id", "kind", "state", "type", "base_url", "timeout_ms", "retries", "max_concurrency"),
    *("breaker_failures", "breaker_open_ms"),
    *("auth", "mapping", "graphql"),
}
_AUTH_KEYS = {
    "api_key": {"type", "header", "secret_env"},
    "client_credentials": {"type", "token_url", "client_id", "secret_env", "scope", "renew_before_s"},
}


def load_connectors(path: Path, environ: Mapping[str, str], geography: Geography) -> list[ConnectorConfig]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadUserInput("TRACKCHILD_CONNECTORS", f"cannot read {path}: {exc}") from None
    tables = document.get("connector", [])
    if not isinstance(tables, list):
        raise BadUserInput("connector", "use [[connector]] tables")
    configs = [_connector(t, i, environ, geography) for i, t in enumerate(tables)]
    seen: set[str] = set()
    for config in configs:
        if config.id in seen:
            raise BadUserInput(f"connector {config.id}", "the id is used twice")
        seen.add(config.id)
    return configs


def _connector(raw: Any, index: int, environ: Mapping[str, str], geography: Geography) -> ConnectorConfig:
    where = f"connector[{index}]"
    if not isinstance(raw, dict):
        raise BadUserInput(where, "must be a table")
    where = f"connector {raw.get('id', index)}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise BadUserInput(where, f"unknown keys {sorted(unknown)}")
    connector_id = _text(raw, "id", where)
    state = _text(raw, "state", where)
    if geography.state(state) is None:
        raise BadUserInput(f"{where}.state", f"{state!r} is not an LGD state code")
    base_url = _text(raw, "base_url", where)
    if urlparse(base_url).scheme not in ("http", "https"):
        raise BadUserInput(f"{where}.base_url", "must be an http(s) URL")
    connector_type = _enum(ConnectorType, raw, "type", where, default="rest")
    graphql = None
    if connector_type is ConnectorType.GRAPHQL:
        if "graphql" not in raw:
            raise BadUserInput(f"{where}.graphql", 'is required for type = "graphql" (a [connector.graphql] table)')
        graphql = GraphQLTemplates.from_config(raw["graphql"], where)
    elif "graphql" in raw:
        raise BadUserInput(f"{where}.graphql", 'is only for type = "graphql"')
    return ConnectorConfig(
        id=connector_id,
        kind=_enum(ConnectorKind, raw, "kind", where),
        state=state,
        type=connector_type,
        base_url=base_url.rstrip("/"),
        timeout_ms=_positive(raw, "timeout_ms", where, 2000),
        retries=_positive(raw, "retries", where, 2, allow_zero=True),
        max_concurrency=_positive(raw, "max_concurrency", where, 8),
        breaker_failures=_positive(raw, "breaker_failures", where, 5),
        breaker_open_ms=_positive(raw, "breaker_open_ms", where, 10_000),
        auth=_auth(raw.get("auth"), f"{where}.auth", environ),
        mapping=RecordMapping.from_config(raw.get("mapping", {}), where),
        graphql=graphql,
    )


def _auth(raw: Any, where: str, environ: Mapping[str, str]) -> ApiKeyAuth | ClientCredentialsAuth | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BadUserInput(where, "must be a table")
    if "secret" in raw:
        raise BadUserInput(f"{where}.secret", "secrets only by environment variable name: use secret_env")
    kind = raw.get("type")
    if kind not in _AUTH_KEYS:
        raise BadUserInput(f"{where}.type", "is api_key or client_credentials")
    unknown = set(raw) - _AUTH_KEYS[kind]
    if unknown:
        raise BadUserInput(where, f"unknown keys {sorted(unknown)} for {kind}")
    env_name = _text(raw, "secret_env", where)
    secret = environ.get(env_name)
    if not secret:
        raise BadUserInput(f"{where}.secret_env", f"the environment variable {env_name} is not set")
    if kind == "api_key":
        return ApiKeyAuth(header=str(raw.get("header", "X-Api-Key")), secret=secret)
    token_url = _text(raw, "token_url", where)
    if urlparse(token_url).scheme not in ("http", "https"):
        raise BadUserInput(f"{where}.token_url", "must be an http(s) URL")
    return ClientCredentialsAuth(
        token_url=token_url,
        client_id=_text(raw, "client_id", where),
        secret=secret,
        scope=str(raw["scope"]) if raw.get("scope") else None,
        renew_before_s=_seconds(raw, "renew_before_s", where, 30.0),
    )


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BadUserInput(f"{where}.{key}", "is required (a string)")
    return value.strip()


def _enum(enum: type[E], raw: Mapping[str, Any], key: str, where: str, default: str | None = None) -> E:
    value = raw.get(key, default)
    try:
        return enum(value)
    except ValueError:
        allowed = " | ".join(str(m.value) for m in enum)
        raise BadUserInput(f"{where}.{key}", f"{value!r} is not one of {allowed}") from None


def _positive(raw: Mapping[str, Any], key: str, where: str, default: int, *, allow_zero: bool = False) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if allow_zero else 1):
        raise BadUserInput(f"{where}.{key}", "must be a positive whole number")
    return value


def _seconds(raw: Mapping[str, Any], key: str, where: str, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise BadUserInput(f"{where}.{key}", "must be a number of seconds, 0 or more")
    return float(value)
