"""Staff identity labels (`api_key:5`, `staff:12`) never reach shoppers.

A shopper sees who joined by first name at most ("Sam from our team has joined"), or nobody in
particular ("Someone from our team", replies signed "Our team"); staff keep the labels.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from floorwalker.auth.models import StaffUser
from tests.security.world import STAFF_PASSWORD, World, sign_in


class Stream:
    """The shopper's live stream, read in the background."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.raw: list[str] = []
        self.changed = asyncio.Condition()

    async def read(self, response: httpx.Response) -> None:
        kind = "message"
        async for line in response.aiter_lines():
            self.raw.append(line)
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                async with self.changed:
                    self.events.append((kind, json.loads(line[6:])))
                    self.changed.notify_all()

    async def wait_for(self, kind: str, count: int) -> list[dict[str, Any]]:
        """The first `count` events of a kind (waiting for them to arrive)."""

        def ready() -> bool:
            return len([e for k, e in self.events if k == kind]) >= count

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(ready), timeout=30)
        return [e for k, e in self.events if k == kind][:count]


@asynccontextmanager
async def shopper_stream(world: World, public_id: str, token: str) -> AsyncIterator[Stream]:
    """The shopper's open live stream (the widget's EventSource)."""
    stream = Stream()
    async with (
        httpx.AsyncClient(base_url=world.live.url, timeout=60) as client,
        client.stream(
            "GET",
            f"/v1/conversations/{public_id}/events",
            params={"token": token},
            headers=world.callers["pub"].headers,
        ) as response,
    ):
        task = asyncio.create_task(stream.read(response))
        await stream.wait_for("ping", 1)
        try:
            yield stream
        finally:
            task.cancel()


class TestShoppersNeverSeeStaffLabels:
    async def test_replies_and_joins_show_a_first_name_or_the_team(self, world: World) -> None:
        # Given a shopper waiting for a person, with their live stream open
        pub = world.callers["pub"].headers
        public_id, token = await world.new_conversation()
        conv = {**pub, "X-Conversation-Token": token}
        async with httpx.AsyncClient(base_url=world.live.url, timeout=30) as shopper:
            asked = await shopper.post(f"/v1/conversations/{public_id}/handoff", headers=conv)
        handoff_id = asked.json()["id"]
        sam_id, sam_email = await world.new_staff_member()
        async with world.db.transaction() as s:
            sam = await s.get(StaffUser, sam_id)
            assert sam is not None
            sam.name = "Sam Carter"
        sam_session = await sign_in(world.live, world.store, sam_email)

        async with shopper_stream(world, public_id, token) as stream:
            # When an integration's key takes over and replies, then Sam replies and takes over
            took = await world.admin.post(f"/v1/handoffs/{handoff_id}/take")
            await world.admin.post(f"/v1/handoffs/{handoff_id}/reply", json={"text": "Hello!"})
            async with httpx.AsyncClient(
                base_url=world.live.url,
                timeout=30,
                cookies=sam_session.cookies,
                headers={"X-CSRF-Token": str(sam_session.csrf)},
            ) as console:
                await console.post(f"/v1/handoffs/{handoff_id}/reply", json={"text": "Hi, Sam."})
                await console.post(f"/v1/handoffs/{handoff_id}/take")
            joins = await stream.wait_for("handoff", 2)
            replies = await stream.wait_for("staff_message", 2)

        async with httpx.AsyncClient(base_url=world.live.url, timeout=30) as shopper:
            transcript = await shopper.get(f"/v1/conversations/{public_id}/messages", headers=conv)
            again = await shopper.post(f"/v1/conversations/{public_id}/handoff", headers=conv)
        staff_view = await world.admin.get(f"/v1/handoffs/{handoff_id}")

        # Then the shopper saw "Someone", then Sam by first name, and replies signed likewise
        assert [(j["assigned_to"], j["text"]) for j in joins] == [
            (None, "Someone from our team has joined the conversation."),
            ("Sam", "Sam from our team has joined the conversation."),
        ]
        assert [(r["author"], r["text"]) for r in replies] == [
            ("Our team", "Hello!"),
            ("Sam", "Hi, Sam."),
        ]
        staff_lines = [(m["author"], m["text"]) for m in transcript.json() if m["role"] == "staff"]
        assert staff_lines == [("Our team", "Hello!"), ("Sam", "Hi, Sam.")]
        assert again.json()["assigned_to"] == "Sam"
        # ... and no label anywhere in what reached them
        seen = "\n".join([*stream.raw, transcript.text, asked.text, again.text])
        assert "api_key:" not in seen
        assert "staff:" not in seen
        assert "Carter" not in seen
        # while staff keep the labels
        assert took.json()["assigned_to"].startswith("api_key:")
        assert staff_view.json()["assigned_to"] == f"staff:{sam_id}"
        assert STAFF_PASSWORD not in seen
