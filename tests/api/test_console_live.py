"""Live streams stay open while idle: the console's staff stream and the widget's conversation
stream send keep-alive pings and still deliver the next event after them.

Waiting for an event with a timeout (to send a ping) must not end a subscription: it once
closed the subscription's generator, so a stream died at its first idle ping.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from floorwalker.api.v1 import conversations, handoffs
from floorwalker.assistant.events import Event, EventType
from floorwalker.assistant.live import Broker, MemoryBroker, RedisBroker
from floorwalker.auth.schemas import KeyKind
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer


async def survives_idle_waits(broker: Broker) -> list[Event]:
    """Wait three times with a timeout, then publish twice and read both."""
    async with broker.subscribe("staff:1") as subscription:
        iterator = subscription.__aiter__()
        for _ in range(3):
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(iterator.__anext__(), timeout=0.05)
        await broker.publish("staff:1", Event(EventType.STAFF_MESSAGE, {"text": "one"}))
        await broker.publish("staff:1", Event(EventType.STAFF_MESSAGE, {"text": "two"}))
        return [await asyncio.wait_for(iterator.__anext__(), timeout=10) for _ in range(2)]


class TestSubscriptionsOutliveTimeouts:
    async def test_in_process(self) -> None:
        received = await survives_idle_waits(MemoryBroker())

        assert [e.data["text"] for e in received] == ["one", "two"]

    async def test_through_redis(self, redis_url: str) -> None:
        broker = RedisBroker(redis_url)
        try:
            received = await survives_idle_waits(broker)
        finally:
            await broker.close()

        assert [e.data["text"] for e in received] == ["one", "two"]


@pytest.fixture
def quick_pings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pings every 0.2 s on the live server (both stream routes read the constant per wait)."""
    monkeypatch.setattr(conversations, "PING_SECONDS", 0.2)
    monkeypatch.setattr(handoffs, "PING_SECONDS", 0.2)


async def read_until(
    lines: AsyncIterator[str], kind: str, into: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    """Read server-sent events into `into` until one of `kind` arrives; return its data."""
    event = "message"
    async for line in lines:
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: "):
            data = json.loads(line[6:])
            into.append((event, data))
            if event == kind:
                return data
    raise AssertionError(f"the stream ended after {into}")


class TestStreamsStayOpen:
    async def test_staff_and_shopper_streams_deliver_after_idle_pings(
        self, quick_pings: None, db: Database, store: Store, live_server: LiveServer
    ) -> None:
        async with db.transaction() as s:
            writer = await factories.create_key(s, store, scopes=["write"])
            widget = await factories.create_key(s, store, kind=KeyKind.PUBLISHABLE)
        staff_headers = {"Authorization": f"Bearer {writer}"}
        async with httpx.AsyncClient(
            base_url=live_server.url, timeout=30, headers={"Authorization": f"Bearer {widget}"}
        ) as shop:
            started = (await shop.post("/v1/conversations", json={})).json()
            conversation = started["conversation"]["id"]
            token = {"X-Conversation-Token": started["token"]}
            staff_seen: list[tuple[str, dict[str, Any]]] = []
            shopper_seen: list[tuple[str, dict[str, Any]]] = []
            async with (
                shop.stream("GET", "/v1/handoffs/events", headers=staff_headers) as staff,
                shop.stream(
                    "GET", f"/v1/conversations/{conversation}/events", headers=token
                ) as mine,
            ):
                staff_lines, my_lines = staff.aiter_lines(), mine.aiter_lines()
                for _ in range(3):  # the opening ping and two idle ones on each stream
                    await asyncio.wait_for(read_until(staff_lines, "ping", staff_seen), timeout=10)
                    await asyncio.wait_for(read_until(my_lines, "ping", shopper_seen), timeout=10)
                asked = await shop.post(f"/v1/conversations/{conversation}/handoff", headers=token)

                to_staff = await asyncio.wait_for(
                    read_until(staff_lines, "handoff", staff_seen), timeout=10
                )
                to_shopper = await asyncio.wait_for(
                    read_until(my_lines, "handoff", shopper_seen), timeout=10
                )

        assert asked.status_code == 200
        assert (to_staff["conversation_id"], to_staff["status"]) == (conversation, "waiting")
        assert to_shopper == to_staff
        assert [kind for kind, _ in staff_seen[:3]] == ["ping", "ping", "ping"]
