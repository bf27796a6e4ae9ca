"""Signed photo links: ``/photos/{id}?exp=<unix seconds>&sig=<HMAC-SHA256>``, valid until ``exp``.

A link is the only way to a photo, and it is handed only to a caller who may see the photo at that moment (an
officer reading ``Child.photoUrl``, anyone reading a notice whose photo an officer consented to publish). It expires
soon (``TRACKCHILD_PHOTO_URL_TTL_S``), so a link copied into a chat or a log stops working; the key never leaves the
hub. A bad signature, an expired link and a missing photo all get the same 404.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

PATH = "/photos/"


def signature(key: bytes, photo_id: str, expires: int) -> str:
    message = f"photo:{photo_id}:{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signed_path(key: bytes, photo_id: str, ttl_s: int, now: float | None = None) -> str:
    """The path and query of a link to ``photo_id`` valid for ``ttl_s`` seconds from ``now``."""
    expires = int(now if now is not None else time.time()) + ttl_s
    query = urlencode({"exp": expires, "sig": signature(key, photo_id, expires)})
    return f"{PATH}{photo_id}?{query}"


def link_valid(key: bytes, photo_id: str, exp: str | None, sig: str | None, now: float | None = None) -> bool:
    """True when ``sig`` signs ``photo_id`` and ``exp`` and ``exp`` has not passed (compared in constant time)."""
    # ASCII digits only: str.isdigit() also takes "²" (which int() refuses) and other scripts' digits.
    if exp is None or sig is None or not (exp.isascii() and exp.isdigit()) or len(exp) > 12:
        return False
    expected = signature(key, photo_id, int(exp))
    if not hmac.compare_digest(expected.encode(), sig.encode("utf-8", "replace")):
        return False
    return int(exp) >= int(now if now is not None else time.time())


def seconds_left(exp: str, now: float | None = None) -> int:
    return max(0, int(exp) - int(now if now is not None else time.time()))
