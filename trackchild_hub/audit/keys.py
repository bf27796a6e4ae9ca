"""The access log's HMAC keys: the current one keys new rows, older ones stay to verify the rows they keyed.

Production: ``TRACKCHILD_AUDIT_KEYS`` (parsed by Settings; ``Settings.from_env`` refuses production without it, so
neither ``serve`` nor any other command starts). Otherwise one key generated once and kept in
``data_dir/audit-keys.json`` (owner-only), as the dev issuer keeps its signing key; Settings built in code (tests of
production behaviour) get that one too. Someone who can rewrite the table but lacks the key cannot recompute a MAC.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Settings

DEV_KEY_FILE = "audit-keys.json"


@dataclass(frozen=True, slots=True)
class AuditKey:
    kid: str
    secret: bytes = field(repr=False)


class AuditKeys:
    def __init__(self, keys: Iterable[AuditKey]) -> None:
        listed = list(keys)
        if not listed:
            raise ValueError("an access log needs at least one key")
        self.current = listed[0]
        self._by_kid = {key.kid: key for key in listed}

    def get(self, kid: str) -> AuditKey | None:
        return self._by_kid.get(kid)

    @property
    def kids(self) -> list[str]:
        return list(self._by_kid)

    @classmethod
    def from_settings(cls, settings: Settings, *, create: bool = True) -> AuditKeys | None:
        """The configured keys; else the data folder's key, made if ``create``; else None."""
        if settings.audit_keys:
            return cls(AuditKey(kid, secret) for kid, secret in settings.audit_keys)
        path = settings.data_dir / DEV_KEY_FILE
        if not path.exists():
            if not create:
                return None
            _create_dev_key(path)
        stored = json.loads(path.read_text(encoding="utf-8"))["keys"]
        return cls(AuditKey(k["kid"], base64.b64decode(k["secret"])) for k in stored)


def _create_dev_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = {"kid": f"dev-{secrets.token_hex(4)}", "secret": base64.b64encode(secrets.token_bytes(32)).decode()}
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    temporary.touch(mode=0o600)
    temporary.write_text(json.dumps({"keys": [key]}), encoding="utf-8")
    try:
        # Two processes starting together: the first key in place wins, the other's is dropped (link, never replace).
        path.hardlink_to(temporary)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
