"""Turns the Authorization header into a Principal.

Until a token issuer is configured (embedded dev issuer or external OIDC, a later issue), a request without a
token is the public role and a request with one is refused: never a silent downgrade to public.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..domain.errors import Unauthenticated
from .principal import Principal


async def principal_without_issuer(headers: Mapping[str, str]) -> Principal:
    authorization = headers.get("authorization")
    if not authorization:
        return Principal.public()
    raise Unauthenticated("this hub has no token issuer configured yet, so it cannot accept bearer tokens")
