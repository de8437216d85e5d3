"""Live channels: events reach every open stream of a conversation (and staff streams).

In process by default (one worker); through Redis pub/sub when FLOORWALKER_REDIS_URL is set, so a
staff reply handled by one worker reaches a shopper whose stream is open on another.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis

from floorwalker.assistant.events import Event
from floorwalker.logging import get_logger

log = get_logger(__name__)

#: Events a slow subscriber may fall behind by before it is dropped from the channel.
QUEUE_SIZE = 256


def conversation_channel(store_id: int, conversation_id: int) -> str:
    """The channel of one conversation."""
    return f"conv:{store_id}:{conversation_id}"


def staff_channel(store_id: int) -> str:
    """The channel staff consoles of a store listen on (handoffs, shopper messages)."""
    return f"staff:{store_id}"


class Subscription(Protocol):
    """An open subscription: iterate to receive events."""

    def __aiter__(self) -> AsyncIterator[Event]: ...


class Broker(Protocol):
    """Publishes events to channels and opens subscriptions."""

    async def publish(self, channel: str, event: Event) -> None:
        """Send `event` to everyone subscribed to `channel` now."""
        ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """Subscribe to a channel for the duration of a `with` block."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class _QueueSubscription:
    # An iterator object rather than an async generator: streams wait for the next event with
    # a timeout (to send a keep-alive ping), and cancelling a generator's wait would close it,
    # ending the subscription at the first idle ping. Cancelling a queue read loses nothing.
    def __init__(self, queue: asyncio.Queue[Event]) -> None:
        self._queue = queue

    def __aiter__(self) -> _QueueSubscription:
        return self

    async def __anext__(self) -> Event:
        return await self._queue.get()


class MemoryBroker:
    """Channels in this process's memory."""

    def __init__(self) -> None:
        self._channels: dict[str, set[asyncio.Queue[Event]]] = {}

    async def publish(self, channel: str, event: Event) -> None:
        for queue in list(self._channels.get(channel, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                log.warning("live subscriber too slow; event dropped", channel=channel)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._channels.setdefault(channel, set()).add(queue)
        try:
            yield _QueueSubscription(queue)
        finally:
            subscribers = self._channels.get(channel)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._channels[channel]

    def subscriber_count(self, channel: str) -> int:
        """How many subscriptions a channel has (for tests and metrics)."""
        return len(self._channels.get(channel, ()))

    async def close(self) -> None:
        self._channels.clear()


class _RedisSubscription:
    # One task reads the connection into a queue, so a reader's timeout (a keep-alive ping)
    # cancels only a queue read, never a half-read Redis reply (see _QueueSubscription).
    def __init__(self, pubsub: Any) -> None:
        self._pubsub = pubsub
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._reader: asyncio.Task[None] | None = None

    def __aiter__(self) -> _RedisSubscription:
        return self

    async def __anext__(self) -> Event:
        if self._reader is None:
            self._reader = asyncio.create_task(self._read())
        event = await self._queue.get()
        if event is None:
            raise StopAsyncIteration
        return event

    async def _read(self) -> None:
        try:
            async for message in self._pubsub.listen():
                if message.get("type") != "message":
                    continue
                try:
                    event = Event.from_dict(json.loads(message["data"]))
                except (ValueError, KeyError, TypeError):
                    log.warning("malformed live event ignored")
                    continue
                try:
                    self._queue.put_nowait(event)
                except asyncio.QueueFull:
                    log.warning("live subscriber too slow; event dropped")
        except Exception:
            log.exception("live subscription lost")
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(None)  # the stream ends; clients reconnect

    async def stop(self) -> None:
        """Stop reading the connection."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


class RedisBroker:
    """Channels over Redis pub/sub, shared by every worker."""

    def __init__(self, url: str, *, prefix: str = "fw:live:") -> None:
        self._redis: Redis = Redis.from_url(url)
        self._prefix = prefix

    async def publish(self, channel: str, event: Event) -> None:
        payload = json.dumps(event.to_dict(), default=str)
        await self._redis.publish(self._prefix + channel, payload)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._prefix + channel)
        subscription = _RedisSubscription(pubsub)
        try:
            yield subscription
        finally:
            await subscription.stop()
            with contextlib.suppress(Exception):
                await pubsub.unsubscribe(self._prefix + channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._redis.aclose()


def build_broker(redis_url: str | None) -> Broker:
    """Redis-backed when a URL is configured, in-process otherwise."""
    if redis_url:
        return RedisBroker(redis_url)
    return MemoryBroker()
