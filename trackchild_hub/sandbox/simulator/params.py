"""What ``/v1/*`` and ``/graphql`` are asked: query parameters and change-feed cursors, parsed or ``BadRequest``.

A cursor is an opaque key of the last record listed (``updated_at``, ``external_id``), so it stays valid when records
change.
"""

from __future__ import annotations

import base64
import binascii
import json

from starlette.requests import Request

from .data import Key, parse_stamp

CASE_KINDS = ("MISSING", "FOUND", "CARE")
GENDERS = ("MALE", "FEMALE", "TRANSGENDER", "UNKNOWN")
SEARCH_ORDERS = ("reported_at",)  # newest first: the only order the exchange profile's search knows


class BadRequest(Exception):
    pass


def encode_cursor(key: Key) -> str:
    raw = json.dumps([key[0].strftime("%Y-%m-%dT%H:%M:%S.%fZ"), key[1]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Key:
    try:
        moment, external_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return parse_stamp(moment), str(external_id)
    except (ValueError, TypeError, binascii.Error):
        raise BadRequest(f"cursor {cursor!r} is not one this system issued") from None


def choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.query_params.get(name) or None
    if value is not None and value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}")
    return value


def integer(request: Request, name: str, default: int | None, low: int) -> int | None:
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None
    if number < low:
        raise BadRequest(f"{name} must be at least {low}")
    return number
