"""Records from a state system into the hub, whichever adapter fetched them.

Each raw record goes through the connector's mapping (its dialect onto the exchange record), gets the connector's
id as its ``source`` (a connector's records are its own, whatever they claim), and is parsed and validated. Records
that fail are dropped and counted, never fatal: one bad row must not hide the rest of a page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.errors import BadUserInput
from ..domain.exchange import parse_exchange_record
from ..domain.geography import Geography
from ..domain.records import CaseData
from ..domain.reference import IST
from ..domain.validation import validate_case
from .mapping import RecordMapping
from .port import Records


class RecordIntake:
    def __init__(self, source: str, mapping: RecordMapping, geography: Geography) -> None:
        self.source, self.mapping, self.geography = source, mapping, geography
        self.malformed = 0  # records dropped since start, for `sources` and metrics

    def take(self, raw_items: list[Any], next_cursor: object = None) -> Records:
        today = datetime.now(IST).date()
        items: list[CaseData] = []
        rejected: list[tuple[str | None, str]] = []
        for raw in raw_items:
            mapped = self.mapping.apply(raw) if isinstance(raw, dict) else raw
            if isinstance(mapped, dict):
                mapped["source"] = self.source
            try:
                case = parse_exchange_record(mapped)
                validate_case(case, self.geography, today)
            except BadUserInput as exc:
                external_id = mapped.get("external_id") if isinstance(mapped, dict) else None
                rejected.append((external_id if isinstance(external_id, str) else None, exc.field))
                continue
            items.append(case)
        self.malformed += len(rejected)
        cursor = next_cursor if isinstance(next_cursor, str) else None
        return Records(items=items, dropped=len(rejected), next_cursor=cursor, rejected=tuple(rejected))

    def take_one(self, raw: object) -> CaseData | None:
        """One record, or None when it is malformed (and counted)."""
        records = self.take([raw])
        return records.items[0] if records.items else None
