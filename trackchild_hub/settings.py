"""One Settings object, read from the environment (prefix ``TRACKCHILD_``) once, in the composition root."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Environment(Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting has a value the hub cannot use; the message names the variable."""


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./trackchild.db"
DEFAULT_AUDIENCE = "urn:trackchild:hub"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    oidc_issuer: str | None = None
    audience: str = DEFAULT_AUDIENCE
    connectors: Path | None = None
    redis_url: str | None = None
    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".hub")
    sql_echo: bool = False
    database_schema: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    fanout_deadline_ms: int = 2000  # one request's whole budget for live connector calls

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        def get(name: str) -> str | None:
            value = environ.get(f"TRACKCHILD_{name}")
            return value.strip() if value and value.strip() else None

        env_text = get("ENV") or Environment.DEVELOPMENT.value
        try:
            env = Environment(env_text.lower())
        except ValueError:
            raise SettingsError(f"TRACKCHILD_ENV={env_text!r} is not one of: development, production") from None
        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError("TRACKCHILD_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        if env is Environment.PRODUCTION and not get("OIDC_ISSUER"):
            raise SettingsError(
                "TRACKCHILD_ENV=production needs TRACKCHILD_OIDC_ISSUER (the embedded dev issuer is for development)"
            )
        connectors = get("CONNECTORS")
        deadline = get("FANOUT_DEADLINE_MS") or "2000"
        if not deadline.isdigit() or not 50 <= int(deadline) <= 60000:
            raise SettingsError("TRACKCHILD_FANOUT_DEADLINE_MS must be a whole number of milliseconds, 50..60000")
        return cls(
            database_url=database_url,
            oidc_issuer=get("OIDC_ISSUER"),
            audience=get("AUDIENCE") or DEFAULT_AUDIENCE,
            connectors=Path(connectors) if connectors else None,
            redis_url=get("REDIS_URL"),
            env=env,
            data_dir=Path(get("DATA_DIR") or ".hub"),
            sql_echo=(get("SQL_ECHO") or "").lower() in {"1", "true", "yes"},
            database_schema=get("DATABASE_SCHEMA"),
            public_url=(get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            fanout_deadline_ms=int(deadline),
        )
