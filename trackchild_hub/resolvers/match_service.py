"""The process's candidate index, kept in step with the store, and the one thread that runs the matcher.

**In step with the store.** Built on first use, then brought up to date from the cases changed since, at most every
``REFRESH_S`` seconds before a search, so writes by other processes (another hub, ``sync``, ``import``) reach it;
this process's own writes are applied at once (``index(force=True)`` after a commit). Cases are read after a
``(updated_at, id)`` keyset position, each new version once. The old ``updated_at >= since`` re-read every case of
the last import batch (which share one stamp) on every refresh and re-added each as a new row: 0.2-0.3 s per search
after any idle spell at 20,000 cases, and an index that grew without bound.

A transaction that commits after a later one (an import batch stamps its rows when it starts) lands behind that
position. So the proposal loop, every round, also re-checks the stretch of the last ``LAG``: it lists ids and stamps
there (an index-only range scan, in pages, off the request path) and reads in full only the cases whose stamp it has
not seen. Replaced versions stay as dead rows until they are a quarter of the index; it is then rebuilt beside the one
in use and swapped in.

**Off the event loop.** Every read and write of the index (build, refresh, search, rebuild) runs on one worker
thread, so the index needs no lock and the event loop never runs the matcher. numpy and rapidfuzz release the GIL
for their bulk work, and the Python scoring gives it up every switch interval, so ``/healthz`` and other requests
keep being answered. Long jobs are cut into slices of about ``SLICE_S``: a search queued behind a proposal round
waits for one slice, not the round, and a shutdown for at most one slice. A search that finds a refresh under way
does not wait for it either: it searches the index as it stands.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.enums import CaseKind
from ..domain.geography import Geography
from ..domain.reference import IST
from ..matching.index import MatchIndex
from ..matching.records import Match, MatchRecord
from ..store.match_records import Changes, Stamp, match_records, records_after, stamps_after

log = logging.getLogger(__name__)
REFRESH_S = 2.0
LAG = timedelta(seconds=30)  # longer than any writer's transaction (and clock skew between hosts)
PAGE = 2000  # changed cases listed per range scan (re-check)
BATCH = 500  # cases read in full per query
SLICE_S = 0.05  # the most one job holds the matcher thread
REBUILD_SLICE = 2000  # records copied into a rebuilt index per job
REBUILD_DEAD = 1000  # dead rows tolerated however small the index (and a quarter of the live ones)
P = ParamSpec("P")
T = TypeVar("T")
Found = tuple[MatchRecord, list[Match]]


class MatchService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], geography: Geography) -> None:
        self.sessions, self.geography = sessions, geography
        self._executor: ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()  # one refresh at a time
        self.reset()

    def reset(self) -> None:
        """Forget the index (the store was emptied under it: tests); the next search rebuilds it."""
        self._index: MatchIndex | None = None
        self._read: Stamp | None = None  # the last case read: new versions come after it
        self._cursor: Stamp | None = None  # settled: no transaction can still commit a change before it
        self._recent: dict[str, datetime] = {}  # cases read between the cursor and ``_read``: the stamp read
        self._checked = 0.0
        self._pending: dict[str, None] = {}  # changed since take_changed, in order, once each

    @property
    def built(self) -> bool:
        """The first build is done (the proposal loop starts with it)."""
        return self._index is not None

    async def index(self, *, force: bool = False) -> MatchIndex:
        """The index, refreshed first if ``force`` or ``REFRESH_S`` passed. Search it through ``search`` (the
        matcher thread); on the event loop, only ``record()`` and ``score_pair()`` (a dict look-up, one score)."""
        if not force and self._index is not None and self._lock.locked():
            return self._index  # a refresh is under way (a proposal round's): search what is there meanwhile
        async with self._lock:
            if self._index is None or force or time.monotonic() - self._checked >= REFRESH_S:
                self._note(await self._catch_up())
            assert self._index is not None
            return self._index

    async def search(self, query: MatchRecord, kinds: frozenset[CaseKind], first: int) -> list[Match]:
        index = await self.index()
        return await self._run(index.search, query, kinds, first)

    async def search_each(
        self, case_ids: Sequence[str], kinds: Callable[[MatchRecord], frozenset[CaseKind]], first: int
    ) -> list[Found]:
        """Each held case's best ``first`` candidates of ``kinds(case)``, on a freshly refreshed index. The cases
        are done with: ``take_changed`` no longer lists them."""
        index = await self.index(force=True)
        found: list[Found] = []
        start = 0
        while start < len(case_ids):
            done, start = await self._run(_search_slice, index, case_ids, start, kinds, first)
            found += done
        for case_id in case_ids:
            self._pending.pop(case_id, None)
        return found

    async def take_changed(self) -> list[str]:
        """Open cases that entered or changed in the index since the last call (never the first, full build's),
        after catching up and re-checking the last ``LAG`` for late commits."""
        async with self._lock:
            self._note(await self._catch_up())
            self._note(await self._recheck())
        changed, self._pending = list(self._pending), {}
        return changed

    def close(self) -> None:
        """Stop the matcher thread; a slice under way finishes on its own (at most ``SLICE_S``)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="matcher")
        return await asyncio.get_running_loop().run_in_executor(self._executor, lambda: fn(*args, **kwargs))

    def _note(self, changed: list[str]) -> None:
        for case_id in changed:
            self._pending[case_id] = None

    async def _catch_up(self) -> list[str]:
        """Read the cases changed after ``_read`` into the index; the ids of those new or different."""
        started = time.monotonic()
        first_build = self._index is None
        index = self._index or MatchIndex(today=datetime.now(IST).date())
        horizon = datetime.now(UTC) - LAG
        changed: list[str] = []
        try:
            async with self.sessions() as session:
                while True:
                    page = await records_after(session, self.geography, self._read, BATCH)
                    changed += await self._run(_apply, index, page)
                    for moment, case_id in page.stamps:
                        if moment <= horizon and self._cursor == self._read:  # nothing unsettled behind it
                            self._cursor = (moment, case_id)
                        else:
                            self._recent[case_id] = moment
                        self._read = (moment, case_id)
                    if len(page.stamps) < BATCH:
                        break
        except BaseException:
            if first_build:  # half a build is no baseline: start again next time
                self.reset()
            raise
        self._index = await self._compacted(index)
        self._checked = time.monotonic()
        if changed:
            log.info(
                "match index: %d cases changed, %d held, %.2f s", len(changed), len(index), time.monotonic() - started
            )
        return [] if first_build else changed

    async def _recheck(self) -> list[str]:
        """Re-read the cases between the cursor and ``_read`` whose stamp moved or was never seen (a transaction
        that committed late), then move the cursor up to ``LAG`` ago."""
        if self._index is None or self._read is None:
            return []
        index, read, horizon = self._index, self._read, datetime.now(UTC) - LAG
        changed: list[str] = []
        async with self.sessions() as session:
            after = self._cursor
            while True:
                listed = await stamps_after(session, after, PAGE)
                stamps = [stamp for stamp in listed if stamp <= read]  # later ones are the next catch-up's
                wanted = [case_id for moment, case_id in stamps if self._recent.get(case_id) != moment]
                for start in range(0, len(wanted), BATCH):
                    changes = await match_records(session, self.geography, wanted[start : start + BATCH])
                    changed += await self._run(_apply, index, changes)
                    self._recent.update({case_id: moment for moment, case_id in changes.stamps})
                for stamp in stamps:
                    if stamp[0] > horizon:
                        break
                    self._cursor = stamp
                if len(listed) < PAGE or len(stamps) < len(listed):
                    break
                after = listed[-1]
        self._recent = {case_id: moment for case_id, moment in self._recent.items() if moment > horizon}
        self._index = await self._compacted(index)
        if changed:
            log.info("match index: %d cases committed late, caught up", len(changed))
        return changed

    async def _compacted(self, index: MatchIndex) -> MatchIndex:
        """``index``, or a rebuild of its live cases once dead rows are a quarter of it or the date moved on (ages
        are reckoned from the build's date). Built beside the one in use: searches go on meanwhile."""
        today = datetime.now(IST).date()
        if index.dead <= max(REBUILD_DEAD, index.live // 4) and index.today == today:
            return index
        records = await self._run(lambda: list(index.live_records()))
        rebuilt = MatchIndex(today=today)
        for start in range(0, len(records), REBUILD_SLICE):
            await self._run(_add, rebuilt, records[start : start + REBUILD_SLICE])
        log.info("match index: rebuilt, %d dead rows dropped", index.dead)
        return rebuilt


def _apply(index: MatchIndex, changes: Changes) -> list[str]:
    """Runs on the matcher thread. The ids of cases new or different from the version held."""
    changed = [record.case_id for record in changes.open if index.upsert(record)]
    for case_id in changes.closed:
        index.remove(case_id)
    return changed


def _add(index: MatchIndex, records: Sequence[MatchRecord]) -> None:
    for record in records:
        index.upsert(record)


def _search_slice(
    index: MatchIndex,
    case_ids: Sequence[str],
    start: int,
    kinds: Callable[[MatchRecord], frozenset[CaseKind]],
    first: int,
) -> tuple[list[Found], int]:
    """Runs on the matcher thread: searches from ``start`` for about ``SLICE_S``; returns them and where to go on."""
    deadline = time.monotonic() + SLICE_S
    found: list[Found] = []
    at = start
    while at < len(case_ids) and (at == start or time.monotonic() < deadline):
        query = index.record(case_ids[at])
        at += 1
        if query is not None:
            found.append((query, index.search(query, kinds(query), first)))
    return found, at
