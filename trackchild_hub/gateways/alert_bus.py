"""The live alert bus: alert events to every console subscribed, in this process and, through Redis, in the others.

``publish`` is called right after a commit (``store.outbox.on_commit``), on the event loop, so it never blocks and
never waits on I/O: it hands each event to this process's subscribers at once and, when a Redis URL is set, queues it
for a sender task that publishes it on the channel. A listener task takes the channel's messages from the other
processes (each message names the process it came from: our own were delivered here already) to our subscribers.

Bounds: each subscriber has a queue of ``queue_size`` events; a console that falls that far behind is ended (its
subscription completes, the client subscribes again) rather than held in memory without limit. Events waiting for
Redis are bounded too: while Redis is away they are dropped (only other processes miss them).

Redis away (not started, restarted, unreachable): this process keeps serving its own subscribers; the listener
reconnects with a growing pause (at most ``MAX_RETRY_S``). Its loss is logged once, and its return once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ..domain.live_alerts import LiveAlert

log = logging.getLogger("trackchild_hub.alert_bus")
QUEUE_SIZE = 256  # events one console may fall behind by before it is ended
OUTGOING_SIZE = 1024  # events waiting for Redis
REDIS_TIMEOUT_S = 2.0
MAX_RETRY_S = 5.0
Accept = Callable[[LiveAlert], bool]


class Subscription:
    """One console's feed: the events ``accept`` lets through, until it is closed or falls ``size`` behind."""

    def __init__(self, accept: Accept, size: int) -> None:
        self.accept = accept
        self.queue: asyncio.Queue[LiveAlert | None] = asyncio.Queue(size + 1)  # + room for the end
        self.size = size
        self.overflowed = False

    def offer(self, event: LiveAlert) -> None:
        if self.overflowed or not self.accept(event):
            return
        if self.queue.qsize() >= self.size:
            self.overflowed = True  # too slow: end it (what it has not read yet goes with it)
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(event)

    async def __aiter__(self) -> AsyncIterator[LiveAlert]:
        while (event := await self.queue.get()) is not None:
            yield event

    async def until(self, deadline: float | None) -> AsyncIterator[LiveAlert]:
        """The events until the wall clock reaches ``deadline`` (Unix seconds; None: no end); then ``TimeoutError``."""
        while True:
            left = None if deadline is None else deadline - time.time()
            if left is not None and left <= 0:
                raise TimeoutError
            event = await asyncio.wait_for(self.queue.get(), left)
            if event is None:
                return
            yield event


class AlertBus:
    """In-process by default; across processes when ``redis_url`` is set (all sharing ``channel`` see each other)."""

    def __init__(
        self, redis_url: str | None = None, channel: str = "trackchild:alerts", queue_size: int = QUEUE_SIZE
    ) -> None:
        self.redis_url, self.channel, self.queue_size = redis_url, channel, queue_size
        self.origin = uuid.uuid4().hex  # this bus's name in the messages it publishes
        self.subscribers: set[Subscription] = set()
        self._outgoing: asyncio.Queue[bytes] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._redis_down = False
        self.connected = asyncio.Event() if redis_url else None  # set while the listener is subscribed

    def publish(self, events: Sequence[LiveAlert]) -> None:
        """Hand ``events`` on: never blocks (called inside a commit)."""
        if not events:
            return
        for event in events:
            self._deliver(event)
        if self.redis_url is None:
            return
        self.start()
        assert self._outgoing is not None
        message = json.dumps({"origin": self.origin, "events": [e.as_json() for e in events]}).encode()
        try:
            self._outgoing.put_nowait(message)
        except asyncio.QueueFull:
            self._lost("its outgoing queue is full")

    @contextlib.asynccontextmanager
    async def subscription(self, accept: Accept) -> AsyncIterator[Subscription]:
        """A feed of the events ``accept`` lets through, from now until the block ends."""
        self.start()
        subscription = Subscription(accept, self.queue_size)
        self.subscribers.add(subscription)
        try:
            yield subscription
        finally:
            self.subscribers.discard(subscription)

    def _deliver(self, event: LiveAlert) -> None:
        for subscription in list(self.subscribers):
            subscription.offer(event)
            if subscription.overflowed:
                self.subscribers.discard(subscription)
                log.warning("a live alert subscriber fell %d events behind and was ended", self.queue_size)

    def start(self) -> None:
        """Connect to Redis (if configured) in the background; done at the first publish or subscription too."""
        if self.redis_url is None or self._tasks:
            return
        self._outgoing = asyncio.Queue(OUTGOING_SIZE)
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._send())]

    def _client(self, *, listening: bool) -> Redis:
        assert self.redis_url is not None
        # The listener waits for messages without a socket timeout (health checks find a dead connection instead).
        timeout = None if listening else REDIS_TIMEOUT_S
        return Redis.from_url(
            self.redis_url,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=timeout,
            health_check_interval=5 if listening else 0,
            client_name=f"trackchild-live-alerts-{self.origin[:12]}",  # who it is in CLIENT LIST
        )

    async def _listen(self) -> None:
        retry_s = 0.2
        while True:
            client = self._client(listening=True)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._back()
                retry_s = 0.2
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None and message.get("type") == "message":
                        self._received(message["data"])
            except (RedisError, OSError) as exc:
                self._lost(type(exc).__name__)
            finally:
                if self.connected is not None:
                    self.connected.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(retry_s)
            retry_s = min(MAX_RETRY_S, retry_s * 2)

    def _received(self, data: Any) -> None:
        try:
            message = json.loads(data)
            if message.get("origin") == self.origin:
                return  # ours: delivered here when published
            events = [LiveAlert.from_json(e) for e in message["events"]]
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("a malformed message on the live alerts channel was ignored")
            return
        for event in events:
            self._deliver(event)

    async def _send(self) -> None:
        assert self._outgoing is not None
        client = self._client(listening=False)
        try:
            while True:
                message = await self._outgoing.get()
                try:
                    await client.publish(self.channel, message)
                except (RedisError, OSError) as exc:
                    self._lost(type(exc).__name__)
                finally:
                    self._outgoing.task_done()
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    def _lost(self, why: str) -> None:
        if not self._redis_down:
            self._redis_down = True
            log.warning("live alerts reach this process's subscribers only: Redis is unavailable (%s)", why)

    def _back(self) -> None:
        if self.connected is not None:
            self.connected.set()
        if self._redis_down:
            self._redis_down = False
            log.warning("live alerts: Redis is back; alerts reach the other hub processes again")

    async def flush(self, seconds: float) -> bool:
        """Wait (at most ``seconds``) until what was published has gone to Redis: a one-shot command's last step.
        False if some had not (Redis slow or away)."""
        if self._outgoing is None:
            return True
        try:
            await asyncio.wait_for(self._outgoing.join(), seconds)
        except TimeoutError:
            return False
        return True

    async def aclose(self) -> None:
        """Stop the Redis tasks and end every subscription."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for subscription in list(self.subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                subscription.queue.put_nowait(None)
        self.subscribers.clear()
