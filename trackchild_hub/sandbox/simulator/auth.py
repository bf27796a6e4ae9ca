"""Upstream credentials the simulator can demand: an API key header, or OAuth 2.0 client-credentials bearer tokens.

``POST /oauth/token`` (form-encoded, ``grant_type=client_credentials``; the client authenticates with HTTP Basic or
``client_id``/``client_secret`` in the body) issues opaque random tokens that expire ``token_ttl_s`` seconds later.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qs, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse

API_KEY_HEADER = "X-Api-Key"


def api_key_ok(request: Request, key: str) -> bool:
    return hmac.compare_digest(request.headers.get(API_KEY_HEADER, "").encode(), key.encode())


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _basic(request: Request) -> list[tuple[str, str]]:
    scheme, _, blob = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return []
    try:
        user, sep, password = base64.b64decode(blob.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return []
    # RFC 6749 2.3.1 form-urlencodes both parts before joining them; many clients do not: accept either.
    return [(user, password), (unquote_plus(user), unquote_plus(password))] if sep else []


def _error(status: int, error: str, description: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status, headers=headers or None)


class TokenIssuer:
    def __init__(self, client_id: str, secret: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.client_id = client_id
        self._secret = secret
        self._clock = clock
        self._tokens: dict[str, float] = {}  # token -> expiry on the clock
        self.issued = 0

    def valid(self, request: Request) -> bool:
        token = _bearer(request)
        if token is None:
            return False
        expiry = self._tokens.get(token)
        if expiry is None:
            return False
        if self._clock() >= expiry:
            del self._tokens[token]
            return False
        return True

    async def token_endpoint(self, request: Request, ttl_s: float) -> JSONResponse:
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return _error(400, "invalid_request", "send application/x-www-form-urlencoded")
        try:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()}
        except UnicodeDecodeError:
            return _error(400, "invalid_request", "the body is not UTF-8")
        grant = form.get("grant_type")
        if grant is None:
            return _error(400, "invalid_request", "grant_type is required")
        if grant != "client_credentials":
            return _error(400, "unsupported_grant_type", "only client_credentials is supported")
        candidates = _basic(request) or [(form.get("client_id", ""), form.get("client_secret", ""))]
        if not any(self._client_ok(*credentials) for credentials in candidates):
            return _error(401, "invalid_client", "unknown client or wrong secret", **{"WWW-Authenticate": "Basic"})
        now = self._clock()
        self._tokens = {t: e for t, e in self._tokens.items() if e > now}  # forget expired ones
        token = secrets.token_urlsafe(32)
        self._tokens[token] = now + ttl_s
        self.issued += 1
        expires_in: float = int(ttl_s) if float(ttl_s).is_integer() else ttl_s
        body: dict[str, object] = {"access_token": token, "token_type": "Bearer", "expires_in": expires_in}
        if form.get("scope"):
            body["scope"] = form["scope"]
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _client_ok(self, client_id: str, secret: str) -> bool:
        id_ok = hmac.compare_digest(client_id.encode(), self.client_id.encode())
        return hmac.compare_digest(secret.encode(), self._secret.encode()) and id_ok
