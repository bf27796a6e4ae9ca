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

**Shared between workers** (``serve --workers N``). With a ``SnapshotFile`` the index lives in one file every
worker maps (``matching/snapshot.py``): the first process to start builds it from the store and writes it (one at a
time, under a file lock) and the others map it; a restart maps it again. A process then catches up from the store
position the snapshot records, so its own overlay holds only the cases changed since. Once that overlay passes
``SNAPSHOT_DELTA`` of the snapshot (at least ``SNAPSHOT_DELTA_MIN``, at most ``SNAPSHOT_DELTA_MAX`` rows), or
``SNAPSHOT_EVERY_S`` passed with any change, or the date moved on, a process rewrites the snapshot in the background
and maps it; the others notice the new file at their next refresh and map it too. A snapshot from other matching
code, another store or schema, or a corrupt one (size, checksum) is rebuilt, never used.

**Freshness.** A case committed through any worker is found by every worker's searches that start ``REFRESH_S``
after the commit (each refreshes before a search at most that often); one committed late, behind another's stamp, by
the next proposal round's re-check (every ``TRACKCHILD_PROPOSE_EVERY_S``, settings.py) of each worker.

**One proposer.** Every worker refreshes and re-checks, but only the one holding the proposer lock hands changed
cases to the proposal rounds (``take_changed``), so N workers do not score the same cases N times; when it stops,
another takes the lock at its next round. A case written through a worker is proposed for by that worker at once.

**Off the event loop.** Every read and write of the index (build, refresh, search, rebuild) runs on one worker
thread, so the index needs no lock and the event loop never runs the matcher. numpy and rapidfuzz release the GIL
for their bulk work, and the Python scoring gives it up every switch interval, so ``/healthz`` and other requests
keep being answered. Long jobs are cut into slices of about ``SLICE_S``: a search queued behind a proposal round
waits for one slice, not the round, and a shutdown for at most one slice. A search that finds a refresh under way
does not wait for it either: it searches the index as it stands.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..domain.enums import CaseKind
from ..domain.geography import Geography
from ..domain.reference import IST
from ..matching import snapshot
from ..matching.index import MatchIndex
from ..matching.records import Match, MatchRecord
from ..matching.scoring import Prior, kinds_against
from ..matching.snapshot import SnapshotFile, SnapshotUnusable
from ..matching.weights import PRIOR, Weights
from ..store import match_records as match_records_module
from ..store.match_records import Changes, Stamp, match_records, records_after, stamps_after
from ..store.match_snapshot import holds_case, open_cases, schema_revision
from ..store.match_weights import newest_version
from .match_training import current_weights

log = logging.getLogger(__name__)
REFRESH_S = 2.0
LAG = timedelta(seconds=30)  # longer than any writer's transaction (and clock skew between hosts)
PAGE = 2000  # changed cases listed per range scan (re-check)
BATCH = 500  # cases read in full per query
SLICE_S = 0.05  # the most one job holds the matcher thread
SCORE_CHUNK = 32  # live records scored a call: 200 take 10 ms so, 145 ms one by one (a probe each)
REBUILD_SLICE = 2000  # records copied into a rebuilt index per job
REBUILD_DEAD = 1000  # dead rows tolerated however small the index (and a quarter of the live ones)
SNAPSHOT_DELTA = 0.05  # rows written since the snapshot, as a share of it, before it is rewritten ...
SNAPSHOT_DELTA_MIN = 500  # ... but never for fewer than this many ...
SNAPSHOT_DELTA_MAX = 10_000  # ... and always past this many
SNAPSHOT_EVERY_S = 600.0  # and this often while anything changed
LOCK_POLL_S = 0.1  # waiting for another process's build
CHILD_BUILD_MIN = 20_000  # open cases from which a first build runs in a child process (``child_build``)
P = ParamSpec("P")
T = TypeVar("T")
Found = tuple[MatchRecord, list[Match]]


class MatchService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        geography: Geography,
        snapshots: SnapshotFile | None = None,
        store_key: str = "",
        child_build: Callable[[], bool] | None = None,
    ) -> None:
        """``snapshots``: share the index with the other workers through this file (None: this process alone).
        ``store_key``: which store (URL without password, schema) a snapshot must have been read from.
        ``child_build``: builds and writes the snapshot in another process (a large store's first build)."""
        self.sessions, self.geography = sessions, geography
        self.snapshots, self._store_key, self._child_build = snapshots, store_key, child_build
        self._executor: ThreadPoolExecutor | None = None
        self._lock = asyncio.Lock()  # one refresh at a time
        self._identity: dict[str, str] | None = None
        self._proposer: int | None = None  # the proposer lock's descriptor, while this process holds it
        self._rewriting: asyncio.Task[bool] | None = None
        self.builds = self.maps = 0  # from the store, from a snapshot (tests and logs)
        self.weights: Weights = PRIOR  # the newest stored (``match train``): every index this holds scores with them
        self._weights_read = PRIOR.version  # the newest version seen in the store (also one this code refused)
        self._forget()

    def reset(self) -> None:
        """Forget the index and its snapshot (the store was emptied under it: tests); the next search rebuilds it."""
        if self._rewriting is not None:
            self._rewriting.cancel()
        if self._proposer is not None:  # another service over this folder may take the rounds now
            os.close(self._proposer)
            self._proposer = None
        if self.snapshots is not None:
            self.snapshots.discard()
        self._forget()

    def _forget(self) -> None:
        self._mapped: snapshot.Stamp | None = None  # the snapshot file mapped (or found unusable)
        self._snapshot_at = time.monotonic()
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
            if self._index is None:
                await self._start()
                await self._weigh()
            elif force or time.monotonic() - self._checked >= REFRESH_S:
                await self._adopt_newer()
                self._note(await self._catch_up())
                await self._weigh()
            else:
                return self._index
            # The nationwide search's layout (``matching/layout.py``) laid out now, on the matcher thread, not by the
            # first nameless child's search (seconds at 5,000,000 cases); a no-op while the rows added since fit.
            index = self._index
            assert index is not None
            await self._run(index.layout)
            return index

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

    async def score_records(
        self, query: MatchRecord, candidates: Sequence[MatchRecord], *, banded: bool = False
    ) -> list[Match]:
        """``candidates`` (records the index does not hold: a live system's, or a held one as a caller outside its
        jurisdiction sees it) scored against ``query`` with the index's weights and name frequencies, on the
        matcher thread in slices; in the order given. ``banded``: by level alone (``matching/banded.py``)."""
        index = await self.index()
        scored: list[Match] = []
        while len(scored) < len(candidates):
            scored += await self._run(_score_slice, index, query, candidates, len(scored), banded=banded)
        return scored

    async def score_pair(self, query: MatchRecord, case_id: str) -> Match | None:
        """The held case ``case_id`` scored alone against ``query`` (None: not held), on the matcher thread."""
        index = await self.index()
        return await self._run(index.score_pair, query, case_id)

    async def prior(self, query: MatchRecord) -> Prior:
        """What ``query``'s probabilities are reckoned against (``scoring.probability``), as its search reckons; on
        the matcher thread (counting the population reads every row after a write)."""
        return await self._run(_prior, await self.index(), query)

    async def take_changed(self) -> list[str]:
        """Open cases that entered or changed in the index since the last call (never the first, full build's),
        after catching up and re-checking the last ``LAG`` for late commits."""
        async with self._lock:
            if self._index is None:
                await self._start()
            else:
                await self._adopt_newer()
            self._note(await self._catch_up())
            self._note(await self._recheck())
            await self._weigh()
        changed, self._pending = list(self._pending), {}
        return changed if self._proposes() else []

    async def rewrite_snapshot(self) -> bool:
        """Write the index as it stands to the snapshot and map it (False: no snapshot file, nothing built yet, or
        another process is writing one)."""
        async with self._lock:
            return self._index is not None and await self._rewrite(self._index)

    async def _rewrite(self, index: MatchIndex) -> bool:
        """``rewrite_snapshot`` under ``_lock``; a new day's snapshot is rebuilt first (ages are reckoned from it)."""
        files = self.snapshots
        if files is None or (fd := snapshot.try_lock(files.writer_lock)) is None:
            return False
        try:
            today = datetime.now(IST).date()
            self._index = index if index.today == today else await self._rebuilt(index, today)
            await self._write_and_map()
        finally:
            os.close(fd)
        return True

    def close(self) -> None:
        """Stop the matcher thread; a slice under way finishes on its own (at most ``SLICE_S``)."""
        if self._rewriting is not None:
            self._rewriting.cancel()
        if self._proposer is not None:
            os.close(self._proposer)
            self._proposer = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # -- the snapshot ------------------------------------------------------------------------------------------------

    async def _start(self) -> None:
        """The first index of this process: the snapshot mapped, or (none usable) built from the store, then
        caught up. What it holds is the baseline: no case in it counts as changed."""
        files = self.snapshots
        if files is None:
            await self._catch_up()
            return
        if not await self._adopt():
            fd = await self._writer_lock()
            try:
                if not await self._adopt() and not await self._built_in_child():  # (another may have written it)
                    await self._catch_up()
                    self.builds += 1
                    await self._write_and_map()
            finally:
                os.close(fd)
        await self._catch_up()

    async def write_fresh_snapshot(self) -> None:
        """Build the index from the store and write it as the snapshot, not mapped (in a child process of a worker
        that holds the writer lock)."""
        async with self._lock:
            await self._identify()
            await self._catch_up()
            self.builds += 1
            await self._write()

    async def _built_in_child(self) -> bool:
        """A large store's first build, in a child process (``match_snapshot_build.py``), then mapped."""
        if self._child_build is None:
            return False
        async with self.sessions() as session:
            if await open_cases(session) < CHILD_BUILD_MIN:
                return False
        if not await asyncio.to_thread(self._child_build):
            log.error("match index: the build in a child process failed; building here")
            return False
        self.builds += 1
        return await self._adopt()

    async def _identify(self) -> dict[str, str]:
        if self._identity is None:
            async with self.sessions() as session:
                self._identity = {
                    **_code_identity(),
                    "store": self._store_key,
                    "schema": await schema_revision(session),
                }
        return self._identity

    async def _writer_lock(self) -> int:
        """Wait for the writer lock (polling: a cancelled wait leaves no lock behind)."""
        assert self.snapshots is not None
        while (fd := snapshot.try_lock(self.snapshots.writer_lock)) is None:  # noqa: ASYNC110 - another process
            await asyncio.sleep(LOCK_POLL_S)
        return fd

    async def _adopt(self) -> bool:
        """Map the snapshot and take up the store position it was read to; False when there is none to trust."""
        assert self.snapshots is not None
        identity = await self._identify()
        async with self.sessions() as session:
            try:
                loaded = await asyncio.to_thread(self.snapshots.load, identity)
            except FileNotFoundError:
                return False
            except SnapshotUnusable as exc:
                log.warning("match index snapshot not used (%s): rebuilt from the store", exc)
                self._mapped = self.snapshots.stamp()
                return False
            read = _stamp(loaded.state["read"])
            if read is not None and not await holds_case(session, read[1]):
                log.warning("match index snapshot not used (its store position is gone): rebuilt from the store")
                self._mapped = loaded.stamp
                return False
        loaded.index.set_weights(self.weights)  # (not searched yet: no other thread holds it)
        self._index, self._mapped, self._snapshot_at = loaded.index, loaded.stamp, time.monotonic()
        self._read, self._cursor = read, _stamp(loaded.state["cursor"])
        self._recent = {case_id: datetime.fromisoformat(moment) for case_id, moment in loaded.state["recent"]}
        self._checked = 0.0  # catch up before the next search
        self.maps += 1
        log.info("match index: snapshot mapped, %d cases", len(loaded.index))
        return True

    async def _adopt_newer(self) -> None:
        """Map the snapshot another process wrote since this one mapped its own (its overlay is then dropped)."""
        if self.snapshots is not None and self.snapshots.stamp() not in (None, self._mapped):
            await self._adopt()

    async def _write_and_map(self) -> None:
        """Write the index, then map what was written."""
        index = self._index
        await self._write()
        if not await self._adopt():
            self._index = index  # (logged) go on with the one in memory

    async def _write(self) -> None:
        """Write the index with the store position it holds (under ``_lock``: nothing changes the index meanwhile;
        searches go on, reading it)."""
        assert self.snapshots is not None
        assert self._index is not None
        assert self._identity is not None
        index = self._index
        state = {
            "read": _text(self._read),
            "cursor": _text(self._cursor),
            "recent": [[case_id, moment.isoformat()] for case_id, moment in self._recent.items()],
        }
        started = time.monotonic()
        headroom = _delta_limit(len(index)) + 1024
        await asyncio.to_thread(self.snapshots.write, index, self._identity, state, headroom)
        log.info("match index: snapshot written, %d cases, %.2f s", len(index), time.monotonic() - started)

    def _snapshot_due(self, index: MatchIndex) -> bool:
        added = len(index.records) - index.records.base_rows
        if added == 0:
            return False
        return added > _delta_limit(index.records.base_rows) or time.monotonic() - self._snapshot_at >= SNAPSHOT_EVERY_S

    async def _weigh(self) -> None:
        """Score with the newest stored weights: read when a newer version than the last seen is stored (one query
        a refresh, on the key's index), set on the matcher thread (a search under way keeps the ones it began with)."""
        async with self.sessions() as session:
            newest = await newest_version(session) or PRIOR.version
            if newest != self._weights_read:
                self.weights, self._weights_read = await current_weights(session), newest
                log.info("match weights: version %s", self.weights.version)
        index = self._index
        if index is not None and index.weights is not self.weights:
            await self._run(index.set_weights, self.weights)

    def _proposes(self) -> bool:
        """This process runs the proposal rounds: no snapshot folder (alone), or it holds the proposer lock."""
        if self.snapshots is None or self._proposer is not None:
            return True
        self._proposer = snapshot.try_lock(self.snapshots.proposer_lock)
        return self._proposer is not None

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
        index = self._index or MatchIndex(today=datetime.now(IST).date(), weights=self.weights)
        horizon = datetime.now(UTC) - LAG
        changed: list[str] = []
        try:
            while True:
                # A session per page: no pooled connection is held while the matcher thread applies the page.
                async with self.sessions() as session:
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
                self._forget()
            raise
        self._index = await self._settled(index)
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
        after = self._cursor
        while True:
            async with self.sessions() as session:  # a session per read, none held while the matcher applies
                listed = await stamps_after(session, after, PAGE)
            stamps = [stamp for stamp in listed if stamp <= read]  # later ones are the next catch-up's
            wanted = [case_id for moment, case_id in stamps if self._recent.get(case_id) != moment]
            for start in range(0, len(wanted), BATCH):
                async with self.sessions() as session:
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
        self._index = await self._settled(index)
        if changed:
            log.info("match index: %d cases committed late, caught up", len(changed))
        return changed

    async def _settled(self, index: MatchIndex) -> MatchIndex:
        """``index``, or its compaction once dead rows pile up or the date moved on. Shared, the compaction is a
        snapshot rewrite: here and now, or, when another process is writing one, none (this one maps that at its
        next refresh, rather than rebuild a private copy meanwhile); and a rewrite is started in the background once
        the snapshot is due."""
        if self.snapshots is None or self._mapped is None:
            return await self._compacted(index)
        if _needs_compaction(index):
            if await self._rewrite(index):
                assert self._index is not None
                return self._index
            return index
        if self._snapshot_due(index) and (self._rewriting is None or self._rewriting.done()):
            self._rewriting = asyncio.create_task(self.rewrite_snapshot())
        return index

    async def _compacted(self, index: MatchIndex) -> MatchIndex:
        """``index``, or a rebuild of its live cases once dead rows are a quarter of it or the date moved on (ages
        are reckoned from the build's date). Built beside the one in use: searches go on meanwhile."""
        if not _needs_compaction(index):
            return index
        return await self._rebuilt(index, datetime.now(IST).date())

    async def _rebuilt(self, index: MatchIndex, today: date) -> MatchIndex:
        records = await self._run(lambda: list(index.live_records()))
        rebuilt = MatchIndex(today=today, weights=index.weights)
        for start in range(0, len(records), REBUILD_SLICE):
            await self._run(_add, rebuilt, records[start : start + REBUILD_SLICE])
        log.info("match index: rebuilt, %d dead rows dropped", index.dead)
        return rebuilt


def _needs_compaction(index: MatchIndex) -> bool:
    """Dead rows past a quarter of the live ones (and ``REBUILD_DEAD``), or a new day (ages count from the build)."""
    return index.dead > max(REBUILD_DEAD, index.live // 4) or index.today != datetime.now(IST).date()


def _delta_limit(rows: int) -> int:
    return min(SNAPSHOT_DELTA_MAX, max(SNAPSHOT_DELTA_MIN, int(SNAPSHOT_DELTA * rows)))


def _text(stamp: Stamp | None) -> list[str] | None:
    return None if stamp is None else [stamp[0].isoformat(), stamp[1]]


def _stamp(text: Any) -> Stamp | None:
    return None if text is None else (datetime.fromisoformat(text[0]), text[1])


def _code_identity() -> dict[str, str]:
    """What a snapshot must have been written by: this snapshot format, this Python (records are ``marshal``led),
    the same matching code (names, keys and features are derived by it) and the same reading of the store."""
    digest = hashlib.sha256()
    sources = sorted(Path(snapshot.__file__).parent.glob("*.py"))
    for source in [*sources, Path(match_records_module.__file__)]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return {"format": str(snapshot.FORMAT), "python": version, "code": digest.hexdigest()[:16]}


def _apply(index: MatchIndex, changes: Changes) -> list[str]:
    """Runs on the matcher thread. The ids of cases new or different from the version held."""
    changed = [record.case_id for record in changes.open if index.upsert(record)]
    for case_id in changes.closed:
        index.remove(case_id)
    return changed


def _add(index: MatchIndex, records: Sequence[MatchRecord]) -> None:
    for record in records:
        index.upsert(record)


def _prior(index: MatchIndex, query: MatchRecord) -> Prior:
    return Prior(index.population(kinds_against(query)), index.weights.reported, index.weights.temperature)


def _score_slice(
    index: MatchIndex, query: MatchRecord, candidates: Sequence[MatchRecord], start: int, *, banded: bool = False
) -> list[Match]:
    """Runs on the matcher thread: scores from ``start`` for about ``SLICE_S`` (at least one chunk), ``SCORE_CHUNK``
    records a call (the query's probe made once for them); ``banded`` as ``MatchIndex.score_records``."""
    deadline = time.monotonic() + SLICE_S
    scored: list[Match] = []
    while start + len(scored) < len(candidates) and (not scored or time.monotonic() < deadline):
        at = start + len(scored)
        scored += index.score_records(query, candidates[at : at + SCORE_CHUNK], banded=banded)
    return scored


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
