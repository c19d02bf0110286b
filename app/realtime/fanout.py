"""Publish/subscribe per meeting, chosen by URL. The fan-out is only a doorbell: it may lose a
message, and clients close any gap by `seq` from the database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class Subscription(Protocol):
    """Messages published to one meeting, as they come."""

    def __aiter__(self) -> AsyncIterator[str]: ...


class Fanout(Protocol):
    """The interface every fan-out implements (memory:// now, redis:// in production)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, channel: str, message: str) -> bool:
        """Ring; False when the fan-out could not take the message (the caller rings again)."""
        ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[str]]:
        """`async with fanout.subscribe(ch) as messages: async for m in messages: …`"""
        ...

    async def ping(self) -> bool: ...

    @property
    def shared(self) -> bool:
        """Whether other instances listen (if not, events need not be published)."""
        ...


class MemoryFanout:
    """In-process fan-out: the embedded default and the one unit tests use."""

    # No other instance can listen: the hub delivers to its own sockets directly and need not
    # ring this doorbell for events and drafts at all.
    shared = False

    def __init__(self, queue_size: int = 10_000) -> None:
        self._channels: dict[str, set[asyncio.Queue[str]]] = {}
        self._queue_size = queue_size

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._channels.clear()

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, message: str) -> bool:
        for queue in self._channels.get(channel, ()):
            # A doorbell may be missed; the subscriber closes the gap from the database.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(message)
        return True

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(self._queue_size)
        self._channels.setdefault(channel, set()).add(queue)
        try:
            yield _drain(queue)
        finally:
            subscribers = self._channels.get(channel)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._channels[channel]

    def subscriber_count(self, channel: str) -> int:
        """How many subscriptions a channel has (tests assert cleanup with it)."""
        return len(self._channels.get(channel, ()))


async def _drain(queue: asyncio.Queue[str]) -> AsyncIterator[str]:
    while True:
        yield await queue.get()


def make_fanout(url: str) -> Fanout:
    """The fan-out named by AVOIN_FANOUT_URL."""
    if url.startswith("memory://"):
        return MemoryFanout()
    if url.startswith(("redis://", "rediss://")):
        from app.realtime.redis_fanout import RedisFanout

        return RedisFanout(url)
    raise ValueError(f"Unknown AVOIN_FANOUT_URL scheme: {url.split(':', 1)[0]!r}")
