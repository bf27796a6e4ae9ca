"""The typed per-request context (``Info = strawberry.Info[Context, None]``) and the app-wide services."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..audit.entries import ReadRecorder
from ..audit.writer import AccessLogWriter
from ..auth.principal import Principal
from ..connectors.port import Connector
from ..domain.errors import Forbidden, UpstreamError
from ..domain.geography import Geography
from ..domain.reference import IST
from ..settings import Settings
from ..store.directory_search import DirectorySearch
from .loaders import Loaders
from .match_service import MatchService

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Services:
    """Built once by the composition root (``app.create_app``/the CLI) and shared by every request."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    geography: Geography
    access_log: AccessLogWriter
    connectors: tuple[Connector, ...] = ()
    matcher: MatchService | None = None  # set by build_services; None only in unit tests of other layers
    directory_search: DirectorySearch = field(default_factory=DirectorySearch)  # text index, rebuilt on change


@dataclass(slots=True)
class Context:
    services: Services
    session: AsyncSession
    principal: Principal
    request_id: str = field(default_factory=lambda: Context.new_request_id())
    # One AsyncSession must not run two statements at once; DataLoader batches are serialised through this.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    loaders: Loaders = field(init=False)
    reads: ReadRecorder = field(default_factory=ReadRecorder)
    # Upstream failures reported beside partial data, as (response path, error); see schema/extensions.
    upstream_errors: list[tuple[list[str | int], UpstreamError]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.read)

    @staticmethod
    def new_request_id() -> str:
        return uuid.uuid4().hex

    @property
    def geography(self) -> Geography:
        return self.services.geography

    @property
    def today(self) -> date:
        return datetime.now(IST).date()

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with self.lock:
            return await query(self.session)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back (nothing written) if it raises."""
        async with self.lock:
            try:
                yield self.session
                await self.session.commit()
            except BaseException:
                await self.session.rollback()
                raise

    def require(self, scope: str) -> None:
        if not self.principal.has(scope):
            raise Forbidden(f"this operation needs the scope {scope}", suggestion="ask for a token that grants it")


Info = strawberry.Info[Context, None]
