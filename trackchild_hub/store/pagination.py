"""Opaque keyset cursors: a page continues after the last row seen, stable under inserts."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from ..domain.errors import BadUserInput

T = TypeVar("T", covariant=True)  # a page of records is a page of what they are


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: Sequence[T]
    has_next: bool
    cursors: Sequence[str]


def encode_cursor(*key: str | datetime) -> str:
    parts = [k.isoformat() if isinstance(k, datetime) else k for k in key]
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, RecursionError):  # a crafted "[[[[..." is nested past the parser's depth
        raise BadUserInput("after", "is not a cursor this API returned") from None
    if not isinstance(parts, list) or len(parts) != size or not all(isinstance(p, str) for p in parts):
        raise BadUserInput("after", "is not a cursor this API returned")
    return parts


MAX_CURSOR_NUMBER_DIGITS = 18  # a position or a count: always fits a 64-bit integer in SQL


def decode_number(text: str) -> int:
    """A non-negative integer part of a cursor. ASCII digits only: ``str.isdigit`` also takes "²" (which ``int``
    refuses) and other scripts' digits, and ``int`` refuses over 4,300 digits; both were internal errors."""
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_CURSOR_NUMBER_DIGITS:
        raise BadUserInput("after", "is not a cursor this API returned")
    return int(text)


def decode_datetime(text: str) -> datetime:
    """A moment of a cursor, in UTC. The API writes them with their offset; one without (naive) or one whose offset
    takes it past year 1 or 9999 was an internal error in the store's UTC columns."""
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(text)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadUserInput("after", "is not a cursor this API returned") from None


def decode_date(text: str) -> date:
    """A day of a cursor (ISO ``YYYY-MM-DD``)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadUserInput("after", "is not a cursor this API returned") from None
