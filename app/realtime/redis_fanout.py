"""Fan-out between server instances through Redis pub/sub.

One Redis connection per process carries every meeting's channel (one subscription per meeting
per process). It is supervised: when Redis goes away, every subscriber's stream ends with an
error (the hub logs it, resubscribes and closes any gap from the database), and the connection
is made again with back-off. A lost message costs a moment, never an entry.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("avoin.fanout.redis")

_BROKEN = object()
PUBLISH_TIMEOUT = 1.0  # put into a subscriber's queue when the connection was lost


class RedisFanout:
    """The redis:// fan-out, behind the same interface as the in-process one."""

    shared = True

    def __init__(self, url: str, queue_size: int = 10_000) -> None:
        self.url = url
        self._queue_size = queue_size
        self._client: aioredis.Redis | None = None
        self._pubsub: aioredis.client.PubSub | None = None
        self._channels: dict[str, set[asyncio.Queue[object]]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._lock = asyncio.Lock()
        self.reconnects = 0

    async def start(self) -> None:
        self._client = aioredis.from_url(
            self.url,
            socket_connect_timeout=2,
            socket_keepalive=True,
            health_check_interval=10,
            retry_on_timeout=False,
        )
        self._reader = asyncio.create_task(self._supervise(), name="redis-fanout")

    async def stop(self) -> None:
        # Bounded: a shutdown must not hang on a Redis that does not answer.
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 2)
        for closable in (self._pubsub, self._client):
            if closable is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(closable.aclose(), 2)

    async def ping(self) -> bool:
        try:
            return bool(self._client is not None and await self._client.ping())
        except (RedisError, OSError):
            return False

    async def publish(self, channel: str, message: str) -> bool:
        if self._client is None:
            return False
        try:
            # A doorbell must never hold up the op that rang it: the event is committed already.
            await asyncio.wait_for(self._client.publish(channel, message), PUBLISH_TIMEOUT)
        except (RedisError, OSError, TimeoutError) as exc:
            # The event is committed already; subscribers close the gap by seq when they resume.
            log.warning("publish to Redis failed (%s); ringing again", type(exc).__name__)
            return False
        return True

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        await asyncio.wait_for(self._connected.wait(), timeout=30)
        queue: asyncio.Queue[object] = asyncio.Queue(self._queue_size)
        async with self._lock:
            first = channel not in self._channels
            self._channels.setdefault(channel, set()).add(queue)
            if first and self._pubsub is not None:
                await self._pubsub.subscribe(channel)
        try:
            yield _drain(queue)
        finally:
            async with self._lock:
                subscribers = self._channels.get(channel)
                if subscribers is not None:
                    subscribers.discard(queue)
                    if not subscribers:
                        del self._channels[channel]
                        if self._pubsub is not None and self._connected.is_set():
                            with contextlib.suppress(RedisError, OSError):
                                await self._pubsub.unsubscribe(channel)

    def subscriber_count(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    async def _supervise(self) -> None:
        delay = 0.2
        while True:
            try:
                await self._listen(reconnected=self.reconnects > 0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self._connected.is_set():
                    delay = 0.2  # a fresh break after a good connection: try again soon
                log.warning(
                    "Redis fan-out lost (%s); reconnecting in %.1fs", type(exc).__name__, delay
                )
                await self._broken()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _listen(self, reconnected: bool) -> None:
        """Subscribe and pass each message to its channel's queues, until the link breaks."""
        assert self._client is not None
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        async with self._lock:
            # Redis needs one subscription before it streams; a private channel does.
            await self._pubsub.subscribe("avoin:alive", *self._channels)
        self._connected.set()
        if reconnected:
            log.info("Redis fan-out connected again")
        async for message in self._pubsub.listen():
            if message.get("type") != "message":
                continue
            channel = message["channel"].decode()
            data = message["data"]
            text = data.decode() if isinstance(data, bytes) else str(data)
            for queue in self._channels.get(channel, ()):
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait(text)
        raise ConnectionError("the Redis subscription ended")

    async def _broken(self) -> None:
        """Every subscriber learns of the break, so that it closes gaps when back."""
        self._connected.clear()
        self.reconnects += 1
        for queues in self._channels.values():
            for queue in queues:
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait(_BROKEN)
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()


async def _drain(queue: asyncio.Queue[object]) -> AsyncIterator[str]:
    while True:
        item = await queue.get()
        if not isinstance(item, str):  # only _BROKEN is not a message
            raise ConnectionError("the fan-out connection was lost")
        yield item
