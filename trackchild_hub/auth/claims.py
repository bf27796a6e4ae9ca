"""Turns verified token claims (CONTRACT.md: RFC 9068 style) into a Principal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.errors import Unauthenticated
from .principal import Principal
from .scopes import Agency


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    subject = claims.get("sub") or claims.get("client_id")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("the token names no subject")
    agency_text = claims.get("agency")
    try:
        agency = Agency(agency_text) if agency_text is not None else None
    except ValueError:
        raise Unauthenticated("the token names an agency role this hub does not know") from None
    raw_scope = claims.get("scope", claims.get("scp", ""))
    scopes = raw_scope.split() if isinstance(raw_scope, str) else [str(s) for s in raw_scope or []]
    return Principal(
        subject=subject,
        client_id=_text(claims.get("client_id") or claims.get("azp")),
        agency=agency,
        scopes=frozenset(scopes),
        state=_text(claims.get("state")),
        district=_text(claims.get("district")),
        purpose=_text(claims.get("purpose")),
        expires_at=float(exp) if isinstance((exp := claims.get("exp")), int | float) else None,
    )


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
