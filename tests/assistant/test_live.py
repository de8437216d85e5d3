"""Live channels: in process, and through a real Redis server (several workers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.live import Broker, MemoryBroker, RedisBroker, build_broker


async def receive_one(broker: Broker, publisher: Broker, channel: str) -> Event:
    async with broker.subscribe(channel) as subscription:
        iterator = subscription.__aiter__()
        await asyncio.sleep(0.05)  # let the subscription reach the server
        await publisher.publish(channel, Event(EventType.STAFF_MESSAGE, {"text": "hi"}))
        await publisher.publish("other", Event(EventType.STAFF_MESSAGE, {"text": "not for you"}))
        return await asyncio.wait_for(iterator.__anext__(), timeout=10)


class TestMemoryBroker:
    async def test_subscribers_get_their_channels_events_and_leave_cleanly(self) -> None:
        broker = MemoryBroker()

        event = await receive_one(broker, broker, "conv:1:1")

        assert event == Event(EventType.STAFF_MESSAGE, {"text": "hi"})
        assert broker.subscriber_count("conv:1:1") == 0


class TestRedisBroker:
    @pytest.fixture
    async def brokers(self, redis_url: str) -> AsyncIterator[tuple[Broker, Broker]]:
        worker_a, worker_b = build_broker(redis_url), build_broker(redis_url)
        yield worker_a, worker_b
        await worker_a.close()
        await worker_b.close()

    async def test_an_event_published_by_one_worker_reaches_another(
        self, brokers: tuple[Broker, Broker]
    ) -> None:
        listener, publisher = brokers

        event = await receive_one(listener, publisher, "conv:1:2")

        assert isinstance(listener, RedisBroker)
        assert event == Event(EventType.STAFF_MESSAGE, {"text": "hi"})
