"""Verifying the access log: every row's link, every keyed row's MAC, the head row, and the anchor outside the table.

Safe while the hub appends: the head and the anchor are read before the walk, and appends only ever add rows after
them, so the walk checks that the head's and the anchor's positions hold the links they name and accepts rows beyond.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..store.models import AccessLogRow, AuditHeadRow
from .anchor import Anchor, AnchoredHead, AnchorError
from .chain import CHAINED, GENESIS, legacy_row_hash, row_mac, same
from .keys import AuditKeys


@dataclass(frozen=True, slots=True)
class Verdict:
    rows: int
    broken_at: int | None = None  # id of the first row whose link does not hold (or just past the end)
    reason: str | None = None
    legacy_rows: int = 0  # rows from before the chain was keyed, checked with the unkeyed hash
    anchored: int | None = None  # how many rows the anchor vouched for

    @property
    def intact(self) -> bool:
        return self.reason is None


@dataclass(slots=True)
class _Walk:
    count: int = 0
    last_id: int = 0
    prev: str = GENESIS
    keyed: bool = False
    legacy: int = 0
    at_head: str | None = None
    at_anchor: str | None = None


async def verify(session: AsyncSession, keys: AuditKeys | None, anchor: Anchor | None, *, batch: int = 5000) -> Verdict:
    """``anchor`` None checks the table alone (it then cannot see rows deleted at the end together with the head)."""
    try:
        anchored = anchor.read() if anchor is not None else None
    except AnchorError as exc:
        return Verdict(0, None, str(exc))
    head = await session.get(AuditHeadRow, 1, populate_existing=True)
    if head is None:
        return Verdict(0, None, "the access log has no head row: run `trackchild-hub db upgrade`")
    walk = _Walk(at_head=GENESIS if head.length == 0 else None)
    if anchored is not None and anchored.length == 0:
        walk.at_anchor = GENESIS
    while rows := list(
        await session.scalars(
            select(AccessLogRow).where(AccessLogRow.id > walk.last_id).order_by(AccessLogRow.id).limit(batch)
        )
    ):
        for row in rows:
            walk.count += 1
            problem = _check(row, walk, keys)
            if problem is not None:
                return Verdict(walk.count, row.id, problem, walk.legacy)
            walk.prev, walk.last_id = row.hash, row.id
            if walk.count == head.length:
                walk.at_head = walk.prev
            if anchored is not None and walk.count == anchored.length:
                walk.at_anchor = walk.prev
    return _ends(walk, head, anchored, anchor)


def _check(row: AccessLogRow, walk: _Walk, keys: AuditKeys | None) -> str | None:
    if row.prev_hash != walk.prev:
        return "a row before it was deleted or changed"
    content = {name: getattr(row, name) for name in CHAINED}
    if row.key_id is None:
        if walk.keyed:
            return "an unkeyed row after keyed ones: rewritten by someone without the key"
        walk.legacy += 1
        expected = legacy_row_hash(walk.prev, content)
    else:
        walk.keyed = True
        key = keys.get(row.key_id) if keys is not None else None
        if key is None:
            return f"no key with id {row.key_id!r} to check it: add it to TRACKCHILD_AUDIT_KEYS (old keys stay listed)"
        expected = row_mac(key.secret, key.kid, walk.prev, content)
    return None if same(row.hash, expected) else "the row was changed"


def _ends(walk: _Walk, head: AuditHeadRow, anchored: AnchoredHead | None, anchor: Anchor | None) -> Verdict:
    def broken(reason: str) -> Verdict:
        return Verdict(walk.count, walk.last_id + 1, reason, walk.legacy, anchored.length if anchored else None)

    if head.length > walk.count:
        return broken("rows at the end of the log were deleted")
    if walk.at_head != head.last_hash:
        return broken("the chain's head row disagrees with the log")
    if anchor is not None and anchored is None and walk.keyed:
        return broken(f"no anchor at {anchor.path}: rows deleted at the end could not be seen (or pass --no-anchor)")
    if anchored is not None:
        if anchored.length > walk.count:
            return broken(
                f"the log is shorter than its anchor ({anchored.length} entries): rows at its end were deleted"
            )
        if walk.at_anchor is None or not same(walk.at_anchor, anchored.last_hash):
            return broken(f"the log disagrees with its anchor at entry {anchored.length}: rows were rewritten")
    return Verdict(walk.count, None, None, walk.legacy, anchored.length if anchored else None)
