"""Injected faults: latency, errors, hangs, corrupted records and refused credentials, changeable at run time.

``Faults`` holds the knobs; ``FaultState`` holds the live value, the seeded random stream that decides which requests
fail, and the event that releases hung requests when ``hang`` is switched off. Whether a record is served corrupted
depends only on its external id and ``malformed_rate`` (``is_malformed``), so tests can count them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from random import Random
from typing import Any, Literal

from starlette.types import Receive

HANG_S = 3600.0


@dataclass(frozen=True, slots=True)
class Faults:
    latency_ms: int = 0  # delay before answering /v1/*
    error_rate: float = 0.0  # share of /v1/* requests answered 503
    hang: bool = False  # /v1/* requests are held (until hang is switched off, the client leaves, or an hour passes)
    malformed_rate: float = 0.0  # share of records served corrupted (decided by external id)
    auth_failure: bool = False  # every /v1/* request is refused with 401
    token_ttl_s: float = 60  # lifetime of newly issued bearer tokens

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def merge_faults(current: Faults, patch: object) -> Faults:
    """``current`` with the names in ``patch`` (a JSON object; ``latency-ms`` spelling accepted) changed."""
    if not isinstance(patch, Mapping):
        raise ValueError("faults must be a JSON object")
    names = {f.name for f in fields(Faults)}
    changes: dict[str, Any] = {}
    for raw_name, value in patch.items():
        name = str(raw_name).replace("-", "_")
        if name not in names:
            raise ValueError(f"unknown fault {raw_name!r}; known: {', '.join(sorted(names))}")
        changes[name] = _checked(name, value)
    return replace(current, **changes)


def _checked(name: str, value: object) -> Any:
    if name in {"hang", "auth_failure"}:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    if name == "latency_ms":
        if value < 0 or value != int(value):
            raise ValueError("latency_ms must be a whole number of milliseconds, 0 or more")
        return int(value)
    if name == "token_ttl_s":
        if value <= 0:
            raise ValueError("token_ttl_s must be more than 0")
        return value
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1")
    return float(value)


def _fraction(external_id: str) -> tuple[float, int]:
    digest = hashlib.sha256(external_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64, digest[8] % 3


def is_malformed(external_id: str, rate: float) -> bool:
    """Whether the record ``external_id`` is served corrupted at ``rate`` (the same answer on every run)."""
    return rate > 0 and _fraction(external_id)[0] < rate


def corruption(external_id: str) -> Literal["drop_child", "bad_date", "bad_kind"]:
    """How a malformed record is corrupted: its child object dropped, its event date garbled, or its kind bogus."""
    choice = _fraction(external_id)[1]
    return "drop_child" if choice == 0 else "bad_date" if choice == 1 else "bad_kind"


class FaultState:
    def __init__(self, faults: Faults, seed: int) -> None:
        self.current = faults
        self._random = Random(seed)
        self._release = asyncio.Event()
        self.hanging = 0

    def update(self, patch: object) -> Faults:
        previous = self.current
        self.current = merge_faults(previous, patch)
        if previous.hang and not self.current.hang:
            self._release.set()  # wake everything held so far; later hangs wait on a fresh event
            self._release = asyncio.Event()
        return self.current

    def fails(self) -> bool:
        """One draw from the seeded stream: does this request get an injected error?"""
        return self._random.random() < self.current.error_rate

    async def hold(self, receive: Receive) -> Literal["released", "disconnected", "expired"]:
        """Hold a request until hang is switched off, the client disconnects, or ``HANG_S`` pass."""
        release = asyncio.ensure_future(self._release.wait())
        gone = asyncio.ensure_future(_disconnected(receive))
        self.hanging += 1
        try:
            done, _ = await asyncio.wait({release, gone}, timeout=HANG_S, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.hanging -= 1
            for task in (release, gone):
                task.cancel()
            await asyncio.gather(release, gone, return_exceptions=True)
        if release in done:
            return "released"
        return "disconnected" if gone in done else "expired"


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
