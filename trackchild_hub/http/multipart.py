"""GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec): files in variables.

A ``multipart/form-data`` POST carries an ``operations`` part (the usual JSON request, file variables null), a
``map`` part (``{"0": ["variables.photo"]}``) and the files. The body is read as a stream through python-multipart's
push parser and nothing is spooled to disk: text parts are held up to ``MAX_FIELDS_BYTES``; each file up to the photo
limit, past which its bytes are dropped as they arrive and the file is marked ``too_large`` (so the operation answers
BAD_USER_INPUT naming its argument); a body longer than every allowance together is cut off with 413.

CSRF: a browser may send ``multipart/form-data`` cross-site without a preflight (it is a "simple" content type), so
such a request must also carry ``Apollo-Require-Preflight`` or ``GraphQL-Require-Preflight`` (any value), which no
simple request can, as Apollo Server and strawberry require.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

from ..domain.photos import UploadedFile

MAX_FILES = 2
MAX_FIELDS_BYTES = 1_000_000  # operations and map together, as a JSON request's body
OVERHEAD = 64 * 1024  # part headers and boundaries
PREFLIGHT_HEADERS = ("apollo-require-preflight", "graphql-require-preflight")


class MultipartError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def preflighted(headers: Any) -> bool:
    return any(headers.get(name, "").strip() for name in PREFLIGHT_HEADERS)


class _Part:
    __slots__ = ("content_type", "data", "disposition", "dropped", "filename", "name")

    def __init__(self) -> None:
        self.disposition = b""
        self.content_type: str | None = None
        self.name = ""
        self.filename: str | None = None
        self.data = bytearray()
        self.dropped = False


class _Collector:
    """The parser's callbacks: parts with bounded buffers."""

    def __init__(self, max_file_bytes: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.fields: dict[str, bytes] = {}
        self.files: dict[str, UploadedFile] = {}
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.field_bytes = 0

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        name, value = self.header_name.lower(), self.header_value
        if name == b"content-disposition":
            self.part.disposition = value
        elif name == b"content-type":
            self.part.content_type = value.decode("latin-1")[:100]
        self.header_name, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.disposition)
        if b"name" not in options:
            raise MultipartError(400, 'a multipart part has no Content-Disposition "name"')
        self.part.name = options[b"name"].decode("utf-8", "replace")
        if b"filename" in options:
            self.part.filename = options[b"filename"].decode("utf-8", "replace")[:200]
            if len(self.files) >= MAX_FILES:
                raise MultipartError(400, f"at most {MAX_FILES} files in one request")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part, size = self.part, end - start
        if part.filename is None:
            self.field_bytes += size
            if self.field_bytes > MAX_FIELDS_BYTES:
                raise MultipartError(413, f"the operations and map parts are over {MAX_FIELDS_BYTES} bytes")
            part.data += data[start:end]
        elif not part.dropped:
            if len(part.data) + size > self.max_file_bytes:
                part.dropped, part.data = True, bytearray()  # the rest is read and dropped, never kept
            else:
                part.data += data[start:end]

    def on_part_end(self) -> None:
        part = self.part
        if part.filename is None:
            self.fields[part.name] = bytes(part.data)
        else:
            self.files[part.name] = UploadedFile(
                filename=part.filename, declared_type=part.content_type, data=bytes(part.data), too_large=part.dropped
            )


async def read_multipart(content_type: str, stream: AsyncIterator[bytes], max_file_bytes: int) -> dict[str, Any]:
    """The GraphQL request a multipart body carries, its files put where ``map`` says (``UploadedFile`` values)."""
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise MultipartError(400, "multipart/form-data without a boundary")
    collector = _Collector(max_file_bytes)
    callbacks: Any = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
    parser = MultipartParser(boundary, callbacks)
    limit, total = MAX_FIELDS_BYTES + MAX_FILES * max_file_bytes + OVERHEAD, 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > limit:
                raise MultipartError(413, f"request body over {limit} bytes")
            parser.write(chunk)
        parser.finalize()
    except MultipartError:
        raise
    except Exception:  # python-multipart's MultipartParseError and friends: a malformed body
        raise MultipartError(400, "malformed multipart/form-data body") from None
    return _operations(collector)


def _operations(collector: _Collector) -> dict[str, Any]:
    if "operations" not in collector.fields or "map" not in collector.fields:
        raise MultipartError(400, "a multipart request needs the 'operations' and 'map' parts")
    operations, mapping = _json(collector.fields["operations"], "operations"), _json(collector.fields["map"], "map")
    if not isinstance(operations, dict):
        raise MultipartError(400, "'operations' must be one JSON request object (batches are not supported)")
    if not isinstance(mapping, dict):
        raise MultipartError(400, "'map' must be a JSON object")
    for key, paths in mapping.items():
        file = collector.files.get(key)
        if file is None:
            raise MultipartError(400, f"'map' names the file part {key[:40]!r}, which the request does not carry")
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise MultipartError(400, f"'map' for {key[:40]!r} must be a list of paths")
        for path in paths:
            _put(operations, path, file)
    return operations


def _put(operations: dict[str, Any], path: str, file: UploadedFile) -> None:
    """Set ``variables.a.0.b`` (the spec's object path) to ``file``; the path must exist and hold null."""
    steps = path.split(".")
    if steps[0] != "variables" or len(steps) < 2:
        raise MultipartError(400, f"'map' path {path[:80]!r} must start with 'variables.'")
    target: Any = operations
    for step in steps[:-1]:
        target = _step(target, step, path)
    last = steps[-1]
    if isinstance(target, dict) and target.get(last, 0) is None:
        target[last] = file
    elif isinstance(target, list) and _index(last) < len(target) and target[_index(last)] is None:
        target[int(last)] = file
    else:
        raise MultipartError(400, f"'map' path {path[:80]!r} does not name a null variable")


def _step(target: Any, step: str, path: str) -> Any:
    if isinstance(target, dict) and isinstance(target.get(step), dict | list):
        return target[step]
    if isinstance(target, list) and _index(step) < len(target):
        return target[_index(step)]
    raise MultipartError(400, f"'map' path {path[:80]!r} does not name a null variable")


def _index(step: str) -> int:
    """A list index of a ``map`` path, or past every list: ASCII digits only (``str.isdigit`` takes "²", which
    ``int`` refuses, as it refuses over 4,300 digits: both were a 500)."""
    return int(step) if step.isascii() and step.isdigit() and len(step) <= 9 else 1 << 62


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # nested past the parser's depth ("[[[[..."): as malformed as any
        raise MultipartError(400, f"'{what}' is not valid JSON") from None
