"""``trackchild-hub match pending``: proposals for the open cases no proposal round has looked at.

A running hub proposes for the cases written while it runs (``proposals``); the cases already in the store when it
started are its index's baseline, matched only on demand (``matchCandidates``). Cases imported or synced with no hub
running (``import cases``, ``sync``) are therefore never proposed for until they change. This walks the store's cases
in the order they changed (``(updated_at, id)``: an index-only range scan, as the match service's re-check does),
hands the open ones of the kinds asked to ``proposals.propose`` in batches, and records its position in the data
folder after each batch, so an interrupted run resumes after the last batch it finished; a finished run removes the
position. A case written after the run started gets a later stamp, so a resumed run still reaches it.

Storing a pair is idempotent (``insert_new_proposals``): a second run proposes nothing new and never touches a
reviewed pair. Nothing here prints or logs a name: counts only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..domain.enums import CaseKind
from ..store.match_records import Stamp, stamps_after
from .match_snapshot_build import store_key
from .proposals import propose
from .unit import Services

log = logging.getLogger(__name__)
PAGE = 2000  # case stamps listed per range scan
BATCH = 500  # cases searched per proposal batch (one transaction)
MAX_BATCH = 5000
ALL_KINDS = frozenset(CaseKind)


@dataclass(slots=True)
class PendingReport:
    """How far a run got: ``searched`` open cases of the kinds asked (of ``total`` in the index when it started),
    ``proposed`` new pairs; ``resumed``: cases a previous, interrupted run had searched already."""

    total: int
    searched: int = 0
    proposed: int = 0
    batches: int = 0
    resumed: int = 0
    kinds: frozenset[CaseKind] = field(default=ALL_KINDS)

    def summary(self) -> str:
        kinds = ",".join(sorted(k.value for k in self.kinds))
        resumed = f" (resumed after {self.resumed} searched before)" if self.resumed else ""
        return (
            f"match pending ({kinds}): {self.searched} open cases searched in {self.batches} batches{resumed}, "
            f"{self.proposed} new proposals"
        )


def check_batch(batch: int) -> None:
    if not 1 <= batch <= MAX_BATCH:
        raise ValueError(f"--batch must be between 1 and {MAX_BATCH}")


async def propose_pending(
    services: Services,
    *,
    kinds: frozenset[CaseKind] = ALL_KINDS,
    batch: int = BATCH,
    restart: bool = False,
    on_batch: Callable[[PendingReport], None] | None = None,
) -> PendingReport:
    """Proposals for every open case of ``kinds``, ``batch`` cases at a time; ``restart`` ignores (and replaces)
    the position an interrupted run left. A failed batch raises: its position is not recorded, so the next run
    searches it again."""
    check_batch(batch)
    assert services.matcher is not None, "build_services sets the matcher"
    index = await services.matcher.index(force=True)
    position = Position(services.settings.data_dir / "match-pending.json", store_key(services.settings))
    after, done = (None, 0) if restart else position.load(kinds)
    report = PendingReport(len(index.rows_of(kinds)), resumed=done, kinds=kinds)
    chosen: list[str] = []

    async def flush(last: Stamp) -> None:
        report.proposed += await propose(services, chosen)
        report.searched += len(chosen)
        report.batches += 1
        position.save(kinds, last, done + report.searched)
        chosen.clear()
        if on_batch is not None:
            on_batch(report)

    while True:
        async with services.sessions() as session:
            stamps = await stamps_after(session, after, PAGE)
        if not stamps:
            break
        index = await services.matcher.index()  # a rebuild may have swapped it meanwhile
        for stamp in stamps:
            record = index.record(stamp[1])
            if record is not None and record.kind in kinds:
                chosen.append(stamp[1])
                if len(chosen) == batch:
                    await flush(stamp)
        after = stamps[-1]
    if chosen:
        assert after is not None
        await flush(after)
    position.clear()
    return report


@dataclass(frozen=True, slots=True)
class Position:
    """Where an interrupted run stopped: the last case stamp of its last finished batch, for this store and kinds."""

    path: Path
    store: str

    def load(self, kinds: frozenset[CaseKind]) -> tuple[Stamp | None, int]:
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved["store"] != self.store or saved["kinds"] != _kinds(kinds):
                return None, 0  # another store's run, or other kinds: start from the beginning
            moment, case_id = saved["after"]
            return (datetime.fromisoformat(moment), str(case_id)), int(saved["searched"])
        except FileNotFoundError:
            return None, 0
        except (ValueError, KeyError, TypeError) as exc:  # unreadable: searching again from the start is safe
            log.warning("match pending: ignoring an unreadable position file (%s)", type(exc).__name__)
            return None, 0

    def save(self, kinds: frozenset[CaseKind], after: Stamp, searched: int) -> None:
        saved = {"store": self.store, "kinds": _kinds(kinds), "after": [after[0].isoformat(), after[1]]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps({**saved, "searched": searched}), encoding="utf-8")
        partial.replace(self.path)  # a crash leaves the old position or the new one, never half of one

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _kinds(kinds: frozenset[CaseKind]) -> list[str]:
    return sorted(k.value for k in kinds)
