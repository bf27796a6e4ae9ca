"""Bearer JWT verification (joserfc): signature, algorithm allow-list, ``iss``, ``aud``, ``exp``/``nbf`` with leeway.

Keys come from a ``KeySource``: the embedded dev issuer's own keys, or an external OIDC issuer's JWKS.
Every failure is ``Unauthenticated`` (HTTP 401), never a silent downgrade to the public role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from ..domain.errors import Unauthenticated
from .claims import principal_from_claims
from .principal import Principal

# Asymmetric only: no "none", and no HS* (which would let a public key be used as a shared secret).
ALLOWED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"})
MAX_TOKEN_BYTES = 16_384
PublicKey = RSAKey | ECKey | OKPKey


class KeySource(Protocol):
    issuer: str

    async def key_for(self, kid: str | None) -> PublicKey | None:
        """The verification key a token's ``kid`` names, or None when the issuer has no such key."""
        ...


class JwtVerifier:
    def __init__(self, keys: KeySource, audience: str, *, leeway_seconds: int = 30) -> None:
        self.keys, self.audience = keys, audience
        self.claims = jwt.JWTClaimsRegistry(
            leeway=leeway_seconds,
            iss={"essential": True, "value": keys.issuer},
            exp={"essential": True},
        )

    async def verify(self, token: str) -> Principal:
        if len(token) > MAX_TOKEN_BYTES:
            raise Unauthenticated("the token is too large")
        header = _header(token)
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise Unauthenticated(f"the token's algorithm {algorithm!r} is not accepted")
        kid = header.get("kid")
        key = await self.keys.key_for(kid if isinstance(kid, str) else None)
        if key is None:
            raise Unauthenticated("the token was signed with a key the issuer does not publish")
        try:
            claims = jwt.decode(token, key, algorithms=[algorithm]).claims
        except JoseError:
            raise Unauthenticated("the token's signature does not verify") from None
        self._check_claims(claims)
        return principal_from_claims(claims)

    def _check_claims(self, claims: Mapping[str, Any]) -> None:
        try:
            self.claims.validate(dict(claims))
        except ExpiredTokenError:
            raise Unauthenticated("the token has expired") from None
        except (InvalidClaimError, MissingClaimError) as exc:
            raise Unauthenticated(f"the token's claims are not accepted: {exc.description}") from None
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.audience not in audiences:
            raise Unauthenticated("the token is for another audience")


def _header(token: str) -> Mapping[str, Any]:
    try:
        return jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeEncodeError):
        raise Unauthenticated("the token is not a well-formed JWT") from None
