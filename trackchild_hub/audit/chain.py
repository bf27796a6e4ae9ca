"""The link of an access-log row: HMAC-SHA256, under the key its ``key_id`` names, over the previous row's link, the
key id and the row's own canonical content. Without the key nobody can recompute it after changing a row.

Rows written before the chain was keyed (``key_id`` NULL) carry the old unkeyed SHA-256 link. They stay valid only
as the chain's beginning: the first keyed row's MAC covers the last of them, so changing any of them breaks that MAC,
and verification refuses an unkeyed row after a keyed one (a tail rewritten with the old scheme).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
CHAINED = (
    "at",
    "request_id",
    "subject",
    "client_id",
    "agency",
    "operation",
    "entity_type",
    "entity_id",
    "fields",
    "purpose",
)


def row_mac(secret: bytes, key_id: str, prev_hash: str, row: Mapping[str, Any]) -> str:
    message = f"row\n{key_id}\n{prev_hash}\n{_canonical(row)}"
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def legacy_row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """The link of rows written before keying (no secret: anyone could recompute it)."""
    return hashlib.sha256((prev_hash + _canonical(row)).encode("utf-8")).hexdigest()


def anchor_mac(secret: bytes, key_id: str, length: int, last_hash: str) -> str:
    message = f"anchor\n{key_id}\n{length}\n{last_hash}"  # "row"/"anchor": one MAC can never pass for the other
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def same(mac: str, expected: str) -> bool:
    return hmac.compare_digest(mac.encode(), expected.encode())


def _canonical(row: Mapping[str, Any]) -> str:
    content = {name: _plain(row[name]) for name in CHAINED}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> Any:
    return value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value
