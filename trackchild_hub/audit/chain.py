"""The hash of an access-log row: SHA-256 over the previous row's hash and the row's own canonical content."""

from __future__ import annotations

import hashlib
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


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    content = {name: _plain(row[name]) for name in CHAINED}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value
