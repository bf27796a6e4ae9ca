"""Reading the access log (the operation needs ``audit:read``; the record, the record rule)."""

from __future__ import annotations

from ..audit import log
from ..domain.filters import check_first
from ..store.models import AccessLogRow
from .record_rule import audited_record
from .unit import Unit


async def audit_trail(unit: Unit, entity_id: str, first: int) -> list[AccessLogRow]:
    check_first(first)
    await audited_record(unit, entity_id)
    return await unit.read(lambda s: log.trail(s, entity_id, first))
