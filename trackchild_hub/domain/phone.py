"""Indian phone numbers: accept what people type, store E.164 (+91 and ten digits)."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"^[6-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^[1-9]\d{9}$", re.ASCII)  # STD code without its 0 plus the number: ten digits


def normalise_phone(text: str) -> str | None:
    """The E.164 form of an Indian mobile or landline number, or None if it is not one."""
    # Digits of any script (Devanagari ९८३०..., Bengali, full-width) are the same number in ASCII: kept as typed,
    # "9٨٣٠..." was stored as a phone no SMS gateway takes and counted apart from "9830..." (the per-phone limit).
    digits = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in _SEPARATORS.sub("", text.strip()))
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return "+91" + digits
    return None
