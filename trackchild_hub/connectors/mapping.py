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

from collections.abc import Mapping
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

    @property
    def identity(self) -> bool:
        return not self.fields

    def apply(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        if self.identity:
            return dict(raw)
        out: dict[str, Any] = {}
        for target, source in self.fields.items():
            if "[]" in target:
                self._apply_list(raw, out, target, source)
                continue
            value = _get(raw, source)
            if value is not None:
                _set(out, target, self._convert(target, value))
        return out

    def _apply_list(self, raw: Mapping[str, Any], out: dict[str, Any], target: str, source: str) -> None:
        source_list, source_item = source.split("[].", 1)
        target_list, target_item = target.split("[].", 1)
        items = _get(raw, source_list)
        if not isinstance(items, list):
            return
        existing = _get(out, target_list)
        rows: list[dict[str, Any]] = existing if isinstance(existing, list) else [{} for _ in items]
        for row, item in zip(rows, items, strict=False):
            value = _get(item, source_item) if isinstance(item, Mapping) else None
            if value is not None:
                _set(row, target_item, self._convert(target.replace("[]", ""), value))
        _set(out, target_list, rows)

    def _convert(self, target: str, value: Any) -> Any:
        if target in self.enums:
            return self.enums[target].get(str(value), value)
        if target in self.dates and isinstance(value, str):
            try:
                moment = datetime.strptime(value, self.dates[target])
            except ValueError:
                return value
            if "%H" not in self.dates[target]:
                return moment.date().isoformat()
            return (moment if moment.tzinfo else moment.replace(tzinfo=self.utc_offset)).isoformat()
        return value


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(part)
    return obj


def _set(obj: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        obj = obj.setdefault(part, {})
    obj[last] = value


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
