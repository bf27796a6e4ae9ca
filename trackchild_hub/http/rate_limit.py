"""Per-IP and per-client request limits on ``/graphql``, counted by the ``limits`` library (moving window).

Counts live in this process's memory, or in Redis when ``TRACKCHILD_REDIS_URL`` is set, so that every hub process
behind a load balancer draws on the same allowance. The endpoint checks the IP before it reads the body or verifies a
token (a flood of bad tokens costs no signature checks), and the client (the verified token's ``client_id``, else its
subject) once the token is verified, so a token is never verified twice. The IP is the socket's peer address: no
``X-Forwarded-For`` is believed, because nothing here says which proxies may be trusted to set it.

Redis unreachable: requests are served (fail open) and a warning is logged at most once a minute. Refusing every
request because the limiter's store is down would turn a Redis outage into a hub outage; the query limits and the
database pool still bound what one caller can take meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import ConnectionPool

from ..auth.principal import Principal
from ..domain.too_many import TooMany
from ..settings import RateLimits

log = logging.getLogger("trackchild_hub.rate_limit")
REDIS_TIMEOUT_S = 0.5  # a limiter that waits longer than this for Redis is slower than the requests it guards
WARN_EVERY_S = 60.0


class RateLimited(Exception):
    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.message, self.retry_after_s = message, retry_after_s


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str  # "ip" or "client": part of the key
    label: str  # for the refusal's message
    items: tuple[RateLimitItem, ...]


class RateLimiter:
    def __init__(self, limits: RateLimits, redis_url: str | None = None) -> None:
        self.pool: ConnectionPool | None = None
        self.storage: MemoryStorage | RedisStorage
        if redis_url:
            self.pool = ConnectionPool.from_url(
                redis_url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
            )
            self.storage = RedisStorage(
                f"async+{redis_url}",
                wrap_exceptions=True,
                implementation="redispy",
                key_prefix=limits.key_prefix,
                connection_pool=self.pool,  # type: ignore[arg-type]  # ours, so shutdown can close it
            )
        else:
            self.storage = MemoryStorage(wrap_exceptions=True)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self.per_ip = _Rule("ip", "IP address", tuple(parse_many(limits.per_ip))) if limits.per_ip else None
        self.per_client = _Rule("client", "client", tuple(parse_many(limits.per_client))) if limits.per_client else None
        writes = limits.public_writes_per_ip
        self.public_writes = _Rule("public-write", "IP address", tuple(parse_many(writes))) if writes else None
        status, guesses = limits.case_status_per_ip, limits.case_status_per_reference
        self.case_status = _Rule("case-status", "IP address", tuple(parse_many(status))) if status else None
        self.reference_guesses = (
            _Rule("case-status-reference", "reference", tuple(parse_many(guesses))) if guesses else None
        )
        self.warned_at = -math.inf

    @property
    def shared(self) -> bool:
        return self.pool is not None

    async def admit_ip(self, host: str | None) -> None:
        """Raises ``RateLimited`` when ``host`` has used up its allowance; counts this request otherwise."""
        if self.per_ip is not None and host:
            await self._admit(self.per_ip, host)

    async def admit_client(self, principal: Principal) -> None:
        client = principal.client_id or principal.subject
        if self.per_client is not None and client:
            await self._admit(self.per_client, client)

    async def admit_public_write(self, host: str | None) -> None:
        """A citizen report or sighting from ``host``: ``RateLimited`` past the public writes' own allowance."""
        if self.public_writes is not None and host:
            await self._admit(self.public_writes, host)

    async def admit_case_status(self, host: str | None) -> None:
        """A ``caseStatus`` call from ``host``: ``RateLimited`` past its own allowance."""
        if self.case_status is not None and host:
            await self._admit(self.case_status, host)

    async def admit_reference_guess(self, reference: str) -> bool:
        """Count one ``caseStatus`` attempt for ``reference`` from any IP; False once its allowance is used up (the
        reference is locked until the window moves on). Keyed by a hash: the store holds no reference."""
        if self.reference_guesses is None:
            return True
        rule = self.reference_guesses
        key = hashlib.blake2b(reference.encode(), digest_size=16, person=b"tc-status-ref").hexdigest()
        for item in rule.items:  # no retry time to tell: a locked reference answers as a wrong pair, nothing more
            try:
                if not await self.strategy.hit(item, rule.kind, key):
                    return False
            except StorageError as exc:
                self._warn(exc)
                return True
        return True

    async def _admit(self, rule: _Rule, who: str) -> None:
        for item in rule.items:
            try:
                if await self.strategy.hit(item, rule.kind, who):
                    continue
                stats = await self.strategy.get_window_stats(item, rule.kind, who)
            except StorageError as exc:
                self._warn(exc)
                return
            retry_after = max(1, math.ceil(stats.reset_time - time.time()))
            message = f"too many requests from this {rule.label} (the limit is {item}); retry in {retry_after} s"
            raise RateLimited(message, retry_after)

    def _warn(self, exc: StorageError) -> None:
        now = time.monotonic()
        if now - self.warned_at >= WARN_EVERY_S:
            self.warned_at = now
            log.warning("rate limits not enforced: their store failed (%s)", type(exc.storage_error).__name__)

    async def aclose(self) -> None:
        if self.pool is not None:
            await self.pool.aclose()
        elif isinstance(self.storage, MemoryStorage) and self.storage.timer is not None:
            self.storage.timer.cancel()  # its expiry sweep; nothing else holds the counts


@dataclass(frozen=True, slots=True)
class PublicWriteLimit:
    """``services.public_writes.PublicWriteGate`` for one request: its IP's allowance, refused as RATE_LIMITED."""

    limiter: RateLimiter
    host: str | None

    async def admit(self) -> None:
        try:
            await self.limiter.admit_public_write(self.host)
        except RateLimited as exc:
            raise TooMany("too many reports from this IP address", exc.retry_after_s) from None


@dataclass(frozen=True, slots=True)
class CaseStatusLimit:
    """``services.status_guesses.StatusGuessGate`` for one request: its IP's ``caseStatus`` allowance (RATE_LIMITED)
    and each reference's allowance from every IP (a locked reference; see status_guesses.py)."""

    limiter: RateLimiter
    host: str | None

    async def admit_ip(self) -> None:
        try:
            await self.limiter.admit_case_status(self.host)
        except RateLimited as exc:
            raise TooMany("too many status requests from this IP address", exc.retry_after_s) from None

    async def admit_reference(self, reference: str) -> bool:
        return await self.limiter.admit_reference_guess(reference)
