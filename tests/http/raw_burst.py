"""Many HTTP/1.1 requests at once over plain asyncio sockets, one connection each, for the overload tests.

Not httpx: on a busy 2-core machine httpx itself needs seconds to put 256 requests on the wire and read them back
(measured: 5.8 s for 256 GETs of a bare Starlette "ok"; this client 0.4 s), which would time the client rather than
the hub. Each request's clock runs from connecting to the last byte of the response.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    seconds: float
    headers: dict[str, str]
    body: dict[str, Any]


async def post_json(url: str, payload: dict[str, Any], headers: dict[str, str], *, within_s: float) -> Answer:
    """POST ``payload`` as JSON on a connection of its own (``Connection: close``); raises TimeoutError past
    ``within_s`` seconds."""
    parts = urlsplit(url)
    body = json.dumps(payload).encode()
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    started = time.perf_counter()
    async with asyncio.timeout(within_s):
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            await writer.drain()
            response = await reader.read()
        finally:
            writer.close()
    seconds = time.perf_counter() - started
    header_block, _, content = response.partition(b"\r\n\r\n")
    status_line, *lines = header_block.decode("latin-1").split("\r\n")
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    if fields.get("transfer-encoding") == "chunked":
        content = _unchunk(content)
    return Answer(int(status_line.split()[1]), seconds, fields, json.loads(content) if content else {})


async def burst(
    url: str, payload: dict[str, Any], headers: dict[str, str], clients: int, *, within_s: float
) -> list[Answer]:
    """``clients`` requests started together; any unanswered within ``within_s`` seconds raises TimeoutError."""
    return list(await asyncio.gather(*(post_json(url, payload, headers, within_s=within_s) for _ in range(clients))))


def _unchunk(content: bytes) -> bytes:
    out, rest = b"", content
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out
