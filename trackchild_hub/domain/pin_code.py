"""India Post PIN codes: six digits, the first not 0 (it names one of the nine PIN zones)."""

from __future__ import annotations

import re

_PIN_CODE = re.compile(r"[1-9][0-9]{5}")  # ASCII digits only: \d would take Devanagari ones


def normalise_pin_code(value: str) -> str | None:
    """The PIN code written without spaces (``"700 001"`` -> ``"700001"``), or None when it is not one."""
    text = value.replace(" ", "")
    return text if _PIN_CODE.fullmatch(text) else None
