"""The Authorization header → a Principal: no header is the public role; anything else must verify."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ..domain.errors import Unauthenticated
from .principal import Principal


class Verifier(Protocol):
    async def verify(self, token: str) -> Principal: ...


async def principal_from_headers(headers: Mapping[str, str], verifier: Verifier) -> Principal:
    authorization = headers.get("authorization")
    if authorization is None:
        return Principal.public()
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("use the Bearer scheme: Authorization: Bearer <access token>")
    return await verifier.verify(token.strip())
