"""The app-wide ``Services`` and the unit of work every use case runs in: one session, one principal.

A ``Unit`` is what a use case needs of its caller and nothing GraphQL-specific: the caller's principal, a session whose
reads (``read``) and writes (``write``) it serialises, today's date, the geography, and the per-unit record loaders
(batched and cached for the unit's life: a record named twice is read once, so open one unit per request or per
command). A GraphQL request's context builds on it (``resolvers.context.Context``); a CLI command, a sync or a
background worker opens one with ``Unit.opened(services, system_principal("import"))`` instead of faking a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..audit.writer import AccessLogWriter
from ..auth.principal import Principal
from ..connectors.port import Connector
from ..domain.errors import Forbidden
from ..domain.geography import Geography
from ..domain.overload import Overloaded
from ..domain.photos import PhotoShelf
from ..domain.reference import IST
from ..gateways.alert_bus import AlertBus
from ..settings import Settings
from ..store.directory_search import DirectorySearch
from ..store.engine import is_disconnect, is_pool_timeout
from ..store.named_cache import NamedCache
from ..store.public_notices import NoticeSearch
from .loaders import Loaders
from .match_service import MatchService
from .public_writes import PublicWriteGate
from .status_guesses import StatusGuessGate

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Services:
    """Built once by the composition root (``app.create_app``/the CLI) and shared by every unit of work."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    geography: Geography
    access_log: AccessLogWriter
    connectors: tuple[Connector, ...] = ()
    matcher: MatchService | None = None  # set by build_services; None only in unit tests of other layers
    directory_search: DirectorySearch = field(default_factory=DirectorySearch)  # text index, rebuilt on change
    named_cache: NamedCache = field(default_factory=NamedCache)  # stations/institutions live records name
    notice_search: NoticeSearch = field(default_factory=NoticeSearch)  # public notices' text index
    alert_bus: AlertBus = field(default_factory=AlertBus)  # live alerts to subscribed consoles (services/live_alerts)
    photos: PhotoShelf | None = None  # children's photos: file store, limits, link key (set by build_services)


@dataclass(slots=True)
class Unit:
    """One caller's unit of work: a session, a principal, and the records already loaded through it."""

    services: Services
    session: AsyncSession
    principal: Principal
    # One AsyncSession must not run two statements at once; DataLoader batches are serialised through this.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _queued: int = field(default=0, init=False)  # reads waiting for the lock: the connection stays for them
    public_writes: PublicWriteGate | None = None  # the caller's allowance for public writes (per IP over HTTP)
    status_guesses: StatusGuessGate | None = None  # caseStatus's allowances: per IP, per reference (over HTTP)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.read)

    @classmethod
    @asynccontextmanager
    async def opened(cls, services: Services, principal: Principal) -> AsyncIterator[Unit]:
        """A unit on a session of its own, closed when the block ends (a CLI command, a sync, a worker)."""
        async with services.sessions() as session:
            yield cls(services=services, session=session, principal=principal)

    @property
    def geography(self) -> Geography:
        return self.services.geography

    @property
    def today(self) -> date:
        return datetime.now(IST).date()

    async def fetch_remote(self, case_id: str) -> None:
        """Load a live record (a state system's) named by ``case_id`` into the loaders, if the caller can reach one.

        A plain unit knows only the store; the GraphQL context asks the connected state systems."""
        del case_id  # nothing to fetch: a plain unit has no connectors to ask

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``query`` on the unit's session, then end its transaction, which returns the connection to the pool.

        So a request holds a connection only while its own statements run, never while it waits for the event loop,
        an upstream system or the access log: 64 requests in flight need a few connections, not 64 (held, they
        exhausted the pool and waited on the access log's connection until every request timed out). Reads queued
        behind this one (a DataLoader batch per loader, dispatched together) keep the connection: one checkout each.
        Committing (not rolling back) keeps the rows already loaded usable: the session does not expire them.
        """
        self._queued += 1
        try:
            await self.lock.acquire()
        finally:
            self._queued -= 1
        try:
            result = await self._query_once_more_if_disconnected(query)
        except BaseException as exc:
            self.session.expunge_all()  # loaded rows stay as they are; the failed transaction goes
            await self.session.rollback()
            if is_pool_timeout(exc):
                raise _overloaded() from exc
            raise
        else:
            if not self._queued:
                await self.session.commit()
            return result
        finally:
            self.lock.release()

    async def _query_once_more_if_disconnected(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """A read whose connection was lost (the database restarted; connections are pinged only after being idle:
        store/engine.py) runs again once on a new one: reads change nothing, so running one twice is harmless."""
        try:
            return await query(self.session)
        except DBAPIError as exc:
            if not is_disconnect(exc):
                raise
            self.session.expunge_all()
            await self.session.rollback()
        return await query(self.session)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back (nothing written) if it raises."""
        async with self.lock:
            try:
                yield self.session
                await self.session.commit()
            except BaseException as exc:
                await self.session.rollback()
                if is_pool_timeout(exc):
                    raise _overloaded() from exc
                raise

    async def release(self) -> None:
        """End any transaction still open (a read's connection is normally back already): call before waiting."""
        async with self.lock:
            if self.session.in_transaction():
                await self.session.commit()

    def require(self, scope: str) -> None:
        if not self.principal.has(scope):
            raise Forbidden(f"this operation needs the scope {scope}", suggestion="ask for a token that grants it")


def system_principal(name: str, *scopes: str) -> Principal:
    """The caller a CLI command or a background worker names itself as (``system:<name>``, the actor its writes are
    recorded under): national, no agency (so no confidential children), only the ``scopes`` given (the API checks
    scopes on its operations; a use case applies the record rule to whoever calls it)."""
    return Principal(subject=f"system:{name}", client_id="system", scopes=frozenset(scopes))


def _overloaded() -> Overloaded:
    """A pool timeout as the answer the client gets (503, retry in a second): waiting longer would only pile up."""
    return Overloaded("no database connection came free in time: the hub is at capacity; try again in a second")
