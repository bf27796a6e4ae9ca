"""The embedded dev issuer's HTTP face: discovery, JWKS and the client-credentials token endpoint (RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..auth.dev_issuer import TOKEN_TTL_SECONDS, DevIssuer
from ..domain.errors import BadUserInput, Unauthenticated

MAX_FORM_BYTES = 16_384


def issuer_routes(issuer: DevIssuer) -> list[Route]:
    async def discovery(_: Request) -> Response:
        return JSONResponse(issuer.discovery())

    async def jwks(_: Request) -> Response:
        return JSONResponse(issuer.jwks(), headers={"Cache-Control": "public, max-age=300"})

    async def token(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return _oauth_error(400, "invalid_request", "send application/x-www-form-urlencoded")
        raw = bytearray()
        async for chunk in request.stream():  # a token request is a few hundred bytes: never hold a large one
            raw += chunk
            if len(raw) > MAX_FORM_BYTES:
                return _oauth_error(413, "invalid_request", f"over {MAX_FORM_BYTES} bytes", {"Connection": "close"})
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "only client_credentials")
        client_id, secret = _client_credentials(request, form)
        try:
            client = issuer.authenticate(client_id, secret)
            access_token = issuer.issue(
                client,
                scope=form.get("scope"),
                state=form.get("state"),
                district=form.get("district"),
                purpose=form.get("purpose"),
            )
        except Unauthenticated:
            return _oauth_error(
                401,
                "invalid_client",
                "unknown client or wrong secret",
                {"WWW-Authenticate": 'Basic realm="trackchild-hub"'},
            )
        except BadUserInput as exc:
            return _oauth_error(400, "invalid_scope", exc.reason)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_TTL_SECONDS}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    return [
        Route("/.well-known/openid-configuration", discovery),
        Route("/.well-known/jwks.json", jwks),
        Route("/oauth/token", token, methods=["POST"]),
    ]


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _oauth_error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status, headers=headers)
