"""The demo's SMS and e-mail gateway: each alert appended as one JSON line to a local file (``TRACKCHILD_ALERT_SINK``;
``serve --demo`` uses ``<data folder>/alert-sink.jsonl``), to watch with ``tail -f``. A key already written is not
written again (as a real gateway drops a repeat)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import orjson

from .port import Delivery


class FileSink:
    def __init__(self, path: Path, channel: str) -> None:
        self.path, self.channel = path, channel
        self._seen: set[str] | None = None
        self._lock = asyncio.Lock()

    async def send(self, delivery: Delivery) -> None:
        async with self._lock:
            await asyncio.to_thread(self._append, delivery)

    def _append(self, delivery: Delivery) -> None:
        if self._seen is None:
            self._seen = set()
            if self.path.exists():
                for raw in self.path.read_bytes().splitlines():
                    if raw.strip():
                        self._seen.add(orjson.loads(raw).get("key", ""))
        if delivery.key in self._seen:
            return
        line = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "channel": self.channel,
            "to": delivery.address,
            "subject": delivery.subject,
            "text": delivery.message,
            "key": delivery.key,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as out:
            out.write(orjson.dumps(line) + b"\n")
        self._seen.add(delivery.key)
