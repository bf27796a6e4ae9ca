"""The embedded development token issuer: one RS256 key pair and demo clients kept in the data folder.

Development only (the composition root refuses it when ``TRACKCHILD_ENV=production``). Demo clients, one per agency
role of CONTRACT.md: ``demo-<agency>`` with secret ``demo-<agency>-secret``; more can be added to the clients file.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from ..domain.errors import BadUserInput, Unauthenticated
from .scopes import ROLE_SCOPES, Agency
from .tokens import PublicKey

TOKEN_TTL_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class DevClient:
    client_id: str
    secret: str
    agency: Agency
    state: str | None = None
    district: str | None = None


class DevIssuer:
    """Issues client-credentials tokens and is its own ``KeySource`` for the hub's verifier."""

    def __init__(self, issuer: str, audience: str, key: RSAKey, clients: dict[str, DevClient]) -> None:
        self.issuer, self.audience, self.key, self.clients = issuer, audience, key, clients
        self.kid = str(key.kid)

    @classmethod
    def load_or_create(cls, folder: Path, issuer: str, audience: str) -> DevIssuer:
        folder.mkdir(parents=True, exist_ok=True)
        key_file, clients_file = folder / "signing-key.json", folder / "clients.json"
        if not key_file.exists():
            key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "alg": "RS256", "use": "sig"})
            _write_private(key_file, json.dumps(key.as_dict(private=True)))
        if not clients_file.exists():
            demo = [
                {"client_id": f"demo-{a.value}", "secret": f"demo-{a.value}-secret", "agency": a.value} for a in Agency
            ]
            _write_private(clients_file, json.dumps({"clients": demo}, indent=2))
        key = RSAKey.import_key(json.loads(key_file.read_text(encoding="utf-8")))
        clients = {
            c["client_id"]: DevClient(
                c["client_id"], c["secret"], Agency(c["agency"]), c.get("state"), c.get("district")
            )
            for c in json.loads(clients_file.read_text(encoding="utf-8"))["clients"]
        }
        return cls(issuer, audience, key, clients)

    async def key_for(self, kid: str | None) -> PublicKey | None:
        return self.key if kid in (None, self.kid) else None

    async def refreshed_key_for(self, kid: str | None, rejected: PublicKey) -> PublicKey | None:
        return None  # its one key never changes while the hub runs

    def authenticate(self, client_id: str, secret: str) -> DevClient:
        client = self.clients.get(client_id)
        if client is None or not hmac.compare_digest(client.secret.encode(), secret.encode()):
            raise Unauthenticated("unknown client or wrong secret")
        return client

    def issue(
        self,
        client: DevClient,
        *,
        scope: str | None = None,
        state: str | None = None,
        district: str | None = None,
        purpose: str | None = None,
        ttl_seconds: int = TOKEN_TTL_SECONDS,
    ) -> str:
        granted = ROLE_SCOPES[client.agency]
        if scope is not None:
            asked = set(scope.split())
            if not asked <= granted:
                raise BadUserInput(
                    "scope", f"not granted to {client.agency.value}: {' '.join(sorted(asked - granted))}"
                )
            granted = frozenset(asked)
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client.client_id,
            "client_id": client.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": secrets.token_hex(12),
            "scope": " ".join(sorted(granted)),
            "agency": client.agency.value,
        }
        for name, value in (
            ("state", state or client.state),
            ("district", district or client.district),
            ("purpose", purpose),
        ):
            if value:
                claims[name] = value
        return jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "at+jwt"}, claims, self.key)

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([RSAKey.import_key(self.key.as_dict(private=False))]).as_dict())

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
            "token_endpoint": f"{self.issuer}/oauth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": sorted({s for scopes in ROLE_SCOPES.values() for s in scopes}),
        }


def _write_private(path: Path, text: str) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(text, encoding="utf-8")
