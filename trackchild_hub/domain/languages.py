"""Languages a child or an office speaks, as ISO 639 codes (``hi``, ``bn``, ``sat``), stored lower-case."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import BadUserInput


def language_codes(field: str, values: Iterable[str]) -> list[str]:
    """The codes lower-cased, in order; a refusal names the item (``child.languages.1``)."""
    codes: list[str] = []
    for i, lang in enumerate(values):
        if not (2 <= len(lang) <= 3 and lang.isascii() and lang.isalpha()):
            raise BadUserInput(f"{field}.{i}", f"{lang!r} is not an ISO 639 code such as 'hi'")
        codes.append(lang.lower())
    return codes
