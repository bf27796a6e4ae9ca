"""Declarative mapping from a state system's own record dialect onto the exchange record (CONTRACT.md).

Declared in the connector file, so a state that speaks its own dialect needs a mapping, not code:

    [connector.mapping]
    fields = { "external_id" = "ref_no", "child.name" = "juvenile.full_name",
               "child.guardians[].name" = "juvenile.parents[].name" }   # exchange path = source path
    enums = { "kind" = { MISSING_CHILD = "MISSING" }, "child.gender" = { M = "MALE", F = "FEMALE" } }
    dates = { "event_date" = "%d/%m/%Y", "reported_at" = "%d/%m/%Y %H:%M" }   # strptime formats
    utc_offset = "+05:30"   # for date-times that carry none

Paths are dotted; ``[]`` maps each element of a list (one level). A value the mapping cannot convert (an enum value
it does not list, a date in another format) is left as it came, so the exchange-record parser rejects the record and
the connector counts it as malformed instead of guessing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ..domain.errors import BadUserInput


@dataclass(frozen=True, slots=True)
class RecordMapping:
    fields: Mapping[str, str] = field(default_factory=dict)
    enums: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    dates: Mapping[str, str] = field(default_factory=dict)
    utc_offset: timezone = timezone(timedelta(hours=5, minutes=30))

    @classmethod
    def from_config(cls, raw: Mapping[str, Any], where: str) -> RecordMapping:
        unknown = set(raw) - {"fields", "enums", "dates", "utc_offset"}
        if unknown:
            raise BadUserInput(f"{where}.mapping", f"unknown keys {sorted(unknown)}")
        fields_ = _str_map(raw.get("fields", {}), f"{where}.mapping.fields")
        enums = raw.get("enums", {})
        if not isinstance(enums, Mapping):
            raise BadUserInput(f"{where}.mapping.enums", "must be a table")
        dates = _str_map(raw.get("dates", {}), f"{where}.mapping.dates")
        for target, source in fields_.items():
            if target.count("[]") > 1 or target.count("[]") != source.count("[]"):
                raise BadUserInput(f"{where}.mapping.fields", f"{target!r} = {source!r}: one list level, on both sides")
        return cls(
            fields=fields_,
            enums={k: _str_map(v, f"{where}.mapping.enums.{k}") for k, v in enums.items()},
            dates=dates,
            utc_offset=_offset(str(raw.get("utc_offset", "+05:30")), f"{where}.mapping.utc_offset"),
        )

    _plan: tuple[_Step, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Paths split once: a fan-out maps hundreds of records per request (see bench/federation.py).
        steps = []
        for target, source in self.fields.items():
            if "[]" in target:
                source_list, source_item = source.split("[].", 1)
                target_list, target_item = target.split("[].", 1)
                list_paths = (_parts(source_list), _parts(source_item), _parts(target_list), _parts(target_item))
                steps.append(_Step(_parts(target), _parts(source), target.replace("[]", ""), list_paths))
            else:
                steps.append(_Step(_parts(target), _parts(source), target, None))
        object.__setattr__(self, "_plan", tuple(steps))

    @property
    def identity(self) -> bool:
        return not self.fields

    def apply(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        if self.identity:
            return dict(raw)
        out: dict[str, Any] = {}
        for step in self._plan:
            if step.list_paths is not None:
                self._apply_list(raw, out, step, *step.list_paths)
                continue
            value = _get(raw, step.source)
            if value is not None:
                _set(out, step.target, self._convert(step.key, value))
        return out

    def _apply_list(
        self,
        raw: Mapping[str, Any],
        out: dict[str, Any],
        step: _Step,
        source_list: tuple[str, ...],
        source_item: tuple[str, ...],
        target_list: tuple[str, ...],
        target_item: tuple[str, ...],
    ) -> None:
        items = _get(raw, source_list)
        if not isinstance(items, list):
            return
        existing = _get(out, target_list)
        rows: list[dict[str, Any]] = existing if isinstance(existing, list) else [{} for _ in items]
        for row, item in zip(rows, items, strict=False):
            value = _get(item, source_item) if isinstance(item, dict) else None
            if value is not None:
                _set(row, target_item, self._convert(step.key, value))
        _set(out, target_list, rows)

    def _convert(self, target: str, value: Any) -> Any:
        enum = self.enums.get(target)
        if enum is not None:
            return enum.get(str(value), value)
        layout = self.dates.get(target)
        if layout is not None and isinstance(value, str):
            moment = _reader(layout)(value)
            if moment is None:
                return value
            if "%H" not in layout:
                return moment.date().isoformat()
            return (moment if moment.tzinfo else moment.replace(tzinfo=self.utc_offset)).isoformat()
        return value


@dataclass(frozen=True, slots=True)
class _Step:
    target: tuple[str, ...]
    source: tuple[str, ...]
    key: str  # the target path without "[]": how enums and dates are keyed
    list_paths: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None


_FIELDS = {"%d": r"(?P<day>\d{1,2})", "%m": r"(?P<month>\d{1,2})", "%Y": r"(?P<year>\d{4})"}
_FIELDS |= {"%H": r"(?P<hour>\d{1,2})", "%M": r"(?P<minute>\d{2})", "%S": r"(?P<second>\d{2})"}


@functools.lru_cache(maxsize=64)
def _reader(layout: str) -> Callable[[str], datetime | None]:
    """A parser for ``layout``: a compiled pattern when it uses only day, month, year, hour, minute and second
    (strptime costs ~25 us a call, and a fan-out converts thousands of dates), else strptime itself."""
    pieces = re.split(r"(%.)", layout)
    if any(p.startswith("%") and p not in _FIELDS for p in pieces) or not {"%d", "%m", "%Y"} <= set(pieces):

        def slow(text: str) -> datetime | None:
            try:
                return datetime.strptime(text, layout)
            except ValueError:
                return None

        return slow
    pattern = re.compile("".join(_FIELDS.get(p, re.escape(p)) for p in pieces) + r"\Z")

    def fast(text: str) -> datetime | None:
        match = pattern.match(text)
        if match is None:
            return None
        g = {k: int(v) for k, v in match.groupdict().items()}
        try:
            return datetime(g["year"], g["month"], g["day"], g.get("hour", 0), g.get("minute", 0), g.get("second", 0))
        except ValueError:  # 31/02/2026
            return None

    return fast


def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(obj, dict):  # JSON objects are dicts; the Mapping ABC check costs 3x more
            return None
        obj = obj.get(part)
    return obj


def _set(obj: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj.setdefault(part, {})
    obj[path[-1]] = value


def _str_map(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise BadUserInput(where, "must be a table of strings")
    return dict(raw)


def _offset(text: str, where: str) -> timezone:
    try:
        parsed = datetime.strptime(text, "%z")
    except ValueError:
        raise BadUserInput(where, f"{text!r} is not an offset such as +05:30") from None
    assert parsed.tzinfo is not None
    return timezone(parsed.utcoffset() or timedelta(0))
