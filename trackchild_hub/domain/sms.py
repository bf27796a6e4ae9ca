"""How an SMS text travels: GSM 03.38 7-bit when every character is in its alphabet, else UCS-2 (Hindi and every
other Indian script), and how many message parts it takes.

GSM-7: 160 septets in one message, 153 in each part of a longer one; the extension table's characters (``{ } [ ] ~ \\
^ | €`` and form feed) take two septets. UCS-2: 70 UTF-16 code units in one message, 67 in each part. A text that is
plain ASCII is not always GSM-7 (a backtick is not), and a GSM-7 text need not be ASCII (``é``, ``£``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION = "\f^{}\\[~]|€"
_GSM = frozenset(_BASIC)
_GSM_EXTENSION = frozenset(_EXTENSION)

Encoding = Literal["GSM7", "UCS2"]


@dataclass(frozen=True, slots=True)
class SmsShape:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int  # message parts the network carries


def sms_shape(text: str) -> SmsShape:
    """The encoding a gateway must use for ``text`` and how many parts it takes."""
    if all(c in _GSM or c in _GSM_EXTENSION for c in text):
        units = sum(2 if c in _GSM_EXTENSION else 1 for c in text)
        return SmsShape("GSM7", units, 1 if units <= 160 else -(-units // 153))
    units = len(text.encode("utf-16-le")) // 2
    return SmsShape("UCS2", units, 1 if units <= 70 else -(-units // 67))
