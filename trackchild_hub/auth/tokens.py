"""Bearer JWT verification (joserfc): signature, algorithm allow-list, ``iss``, ``aud``, ``exp``/``nbf`` with leeway.

Keys come from a ``KeySource``: the embedded dev issuer's own keys, or an external OIDC issuer's JWKS.
Every failure is ``Unauthenticated`` (HTTP 401), never a silent downgrade to the public role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
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

    async def refreshed_key_for(self, kid: str | None, rejected: PublicKey) -> PublicKey | None:
        """After a signature failed under ``rejected``: a different key now published under ``kid``, or None."""
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
        named = header.get("kid")
        kid = named if isinstance(named, str) else None
        key = await self.keys.key_for(kid)
        if key is None:
            raise Unauthenticated("the token was signed with a key the issuer does not publish")
        claims = _signed_claims(token, key, algorithm)
        if claims is None:
            # The issuer may have put new material under a kid we know: one (throttled) look at its keys again.
            fresh = await self.keys.refreshed_key_for(kid, key)
            claims = None if fresh is None else _signed_claims(token, fresh, algorithm)
        if claims is None:
            raise Unauthenticated("the token's signature does not verify")
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


def _signed_claims(token: str, key: PublicKey, algorithm: str) -> Mapping[str, Any] | None:
    """The token's claims if ``key`` signed it; None if the signature does not match."""
    try:
        return jwt.decode(token, key, algorithms=[algorithm]).claims
    except BadSignatureError:
        return None
    except JoseError:
        raise Unauthenticated("the token's signature does not verify") from None


def _header(token: str) -> Mapping[str, Any]:
    try:
        return jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeEncodeError):
        raise Unauthenticated("the token is not a well-formed JWT") from None
