"""Where the access log's keys come from: the environment (required in production), else a development key kept in
the data folder; and the anchor file's default place, one per database."""

from __future__ import annotations

import asyncio
import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from trackchild_hub.audit.anchor import anchor_path
from trackchild_hub.audit.keys import DEV_KEY_FILE, AuditKeys
from trackchild_hub.settings import Settings, SettingsError

SECRET = base64.b64encode(b"s" * 32).decode()
PRODUCTION = {"TRACKCHILD_ENV": "production", "TRACKCHILD_OIDC_ISSUER": "https://issuer.example"}


def test_production_refuses_to_start_without_audit_keys() -> None:
    with pytest.raises(SettingsError, match="TRACKCHILD_AUDIT_KEYS"):
        Settings.from_env(PRODUCTION)
    settings = Settings.from_env({**PRODUCTION, "TRACKCHILD_AUDIT_KEYS": f"2027:{SECRET}, 2026:{SECRET}"})
    keys = AuditKeys.from_settings(settings)
    assert keys is not None
    assert (keys.current.kid, keys.kids) == ("2027", ["2027", "2026"])
    assert SECRET not in repr(settings)
    assert "sss" not in repr(settings)


@pytest.mark.parametrize(
    "value",
    ["k1", f"k1:{base64.b64encode(b'short').decode()}", f"k1:{SECRET},k1:{SECRET}", f"bad id:{SECRET}", "k1:!!!"],
)
def test_malformed_audit_keys_are_refused_by_name(value: str) -> None:
    with pytest.raises(SettingsError, match="TRACKCHILD_AUDIT_KEYS"):
        Settings.from_env({"TRACKCHILD_AUDIT_KEYS": value})


async def test_the_cli_exits_2_naming_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, **PRODUCTION, "TRACKCHILD_DATA_DIR": str(tmp_path)}
    env.pop("TRACKCHILD_AUDIT_KEYS", None)
    command = [sys.executable, "-m", "trackchild_hub.cli", "audit", "verify"]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "TRACKCHILD_AUDIT_KEYS" in done.stderr


def test_development_makes_one_private_key_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert AuditKeys.from_settings(settings, create=False) is None  # `audit verify` never invents a key
    first = AuditKeys.from_settings(settings)
    again = AuditKeys.from_settings(settings)
    assert first is not None
    assert again is not None
    assert first.current == again.current
    assert len(first.current.secret) == 32
    assert stat.S_IMODE((tmp_path / "data" / DEV_KEY_FILE).stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "data").iterdir()] == [DEV_KEY_FILE]  # no temporary file left behind


def test_one_anchor_file_per_database(tmp_path: Path) -> None:
    sqlite = Settings(database_url="sqlite+aiosqlite:///a.db", data_dir=tmp_path)
    postgres = Settings(database_url="postgresql+asyncpg://hub:pw1@db/hub", data_dir=tmp_path)
    rotated_password = Settings(database_url="postgresql+asyncpg://hub:pw2@db/hub", data_dir=tmp_path)
    other_schema = Settings(database_url="postgresql+asyncpg://hub:pw1@db/hub", database_schema="x", data_dir=tmp_path)
    paths = {anchor_path(s) for s in (sqlite, postgres, other_schema)}
    assert len(paths) == 3
    assert anchor_path(postgres) == anchor_path(rotated_password)
    assert all(p.parent == tmp_path and p.name.startswith("audit-anchor-") for p in paths)
    chosen = Settings(audit_anchor=tmp_path / "elsewhere.json")
    assert anchor_path(chosen) == tmp_path / "elsewhere.json"
