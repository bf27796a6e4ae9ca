"""Free text a person typed (names, addresses, descriptions): white space folded, a length limit, no control
characters. Case records and directory entries keep to the same rule; a refusal names the field."""

from __future__ import annotations

import re

from .errors import BadUserInput

MAX_TEXT = 2000  # a description with no tighter limit of its own
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(field: str, value: str | None, limit: int = MAX_TEXT) -> str | None:
    """``value`` with its white space folded to single spaces, checked; None when nothing is left."""
    if value is None:
        return None
    text = " ".join(value.split())
    check_text(field, text, limit)
    return text or None


def required_text(field: str, value: str | None, limit: int = MAX_TEXT) -> str:
    text = clean_text(field, value, limit)
    if text is None:
        raise BadUserInput(field, "is required")
    return text


def check_text(field: str, value: str | None, limit: int, *, required: bool = False) -> None:
    """Check ``value`` as it is (an identifier or a number: nothing to fold)."""
    if value is None or not value.strip():
        if required:
            raise BadUserInput(field, "is required")
        return
    if len(value) > limit:
        raise BadUserInput(field, f"is longer than {limit} characters")
    if _CONTROL.search(value):
        raise BadUserInput(field, "contains control characters")
