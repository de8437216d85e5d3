"""The handoff inbox in headless Chromium: an agent takes over a waiting conversation and
replies; the shopper's live stream (the widget's channel) receives the reply at once; the
shopper's answer appears in the console without a reload; the agent hands back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from floorwalker.assistant.models import Conversation, Handoff, Message
from floorwalker.auth.models import StaffUser
from floorwalker.kit.db import Database
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import ConsoleStore, Shopper, build_console_store, sign_in

pytestmark = pytest.mark.browser

REPLY = "Hi, I'm from the shop team. I can see your order; what would you like to change?"


@pytest.fixture
async def shop(db: Database, database_url: str, live_server: LiveServer) -> ConsoleStore:
    return await build_console_store(db, database_url, live_server, night=False)


class LiveStream:
    """The shopper's open live stream (`GET /v1/conversations/{id}/events`), read in the
    background the way the widget reads it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.open = asyncio.Event()

    async def read(self, shopper: Shopper) -> None:
        url = f"/v1/conversations/{shopper.id}/events"
        async with shopper.client.stream("GET", url, headers=shopper.headers) as response:
            assert response.status_code == 200
            kind = "message"
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    self.events.append((kind, json.loads(line[6:])))
                    self.open.set()

    async def next_of(self, kind: str, seen: int = 0) -> dict[str, Any]:
        """The first event of `kind` after the first `seen` ones of that kind (waits for it)."""
        for _ in range(600):
            found = [data for k, data in self.events if k == kind]
            if len(found) > seen:
                return found[seen]
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {kind} event arrived; got {self.events}")


@pytest.fixture
async def waiting(shop: ConsoleStore) -> AsyncIterator[tuple[Shopper, LiveStream]]:
    """A shopper who asked for a person, with their live stream open."""
    async with shop.widget() as client:
        shopper = await shop.shopper(client)
        await shopper.say("I need to change the address on my order")
        await shopper.ask_for_a_person()
        stream = LiveStream()
        task = asyncio.create_task(stream.read(shopper))
        await asyncio.wait_for(stream.open.wait(), timeout=30)
        yield shopper, stream
        task.cancel()


async def staff_messages(db: Database, conversation_id: str) -> list[tuple[str, str | None]]:
    async with db.reading() as s:
        conversation = await s.scalar(
            select(Conversation).where(Conversation.public_id == conversation_id)
        )
        assert conversation is not None
        rows = await s.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.role == "staff")
            .order_by(Message.id)
        )
        return [(m.text, m.author) for m in rows]


class TestTakeOverAndReply:
    async def test_the_reply_is_stored_and_reaches_the_shoppers_live_stream(
        self,
        page: Page,
        db: Database,
        shop: ConsoleStore,
        waiting: tuple[Shopper, LiveStream],
    ) -> None:
        shopper, stream = waiting
        async with db.reading() as s:
            agent = await s.scalar(select(StaffUser).where(StaffUser.email == shop.staff["agent"]))
        assert agent is not None
        await sign_in(page, shop, "agent", "handoffs")

        await expect(page.locator("#badge-handoffs")).to_have_text("1")
        await page.click(".inbox-item")
        await expect(page.locator("#handoff-detail")).to_contain_text(
            "I need to change the address on my order"
        )
        await page.click("#take-over")
        await expect(page.locator("[data-handoff-status=active]")).to_be_visible()
        await expect(page.locator("#badge-handoffs")).to_be_hidden()
        joined = await stream.next_of("handoff")
        # The shopper sees the agent's first name, never the internal `staff:<id>` label.
        assert (joined["status"], joined["assigned_to"]) == ("active", "Agent")

        await page.fill("#reply-text", REPLY)
        await page.click("#send-reply")

        delivered = await stream.next_of("staff_message")
        assert (delivered["text"], delivered["author"]) == (REPLY, "Agent")
        assert await staff_messages(db, shopper.id) == [(REPLY, f"staff:{agent.id}")]
        staff_bubble = page.locator("#live-messages .bubble[data-role=staff]")
        await expect(staff_bubble).to_contain_text(REPLY)
        await expect(staff_bubble.locator(".meta")).to_contain_text("You ·")

        await shopper.say("It should go to 12 Elm Street instead")
        await expect(page.locator("#live-messages .bubble[data-role=user]").last).to_contain_text(
            "It should go to [ADDRESS_1] instead"
        )
        await screenshot(page, "console-handoffs")

        await page.click("#hand-back")
        await expect(page.locator("[data-handoff-status=closed]")).to_be_visible()
        back = await stream.next_of("handoff", seen=1)
        assert back["status"] == "closed"
        async with db.reading() as s:
            conversation = await s.scalar(
                select(Conversation).where(Conversation.public_id == shopper.id)
            )
            assert conversation is not None
            handoffs = (
                await s.scalars(select(Handoff).where(Handoff.conversation_id == conversation.id))
            ).all()
        assert [(h.status, h.assigned_to) for h in handoffs] == [("closed", f"staff:{agent.id}")]
        assert conversation.status == "open"


class TestAnalystsCannotHandle:
    async def test_no_inbox_for_an_analyst_and_the_server_refuses_anyway(
        self, page: Page, shop: ConsoleStore, waiting: tuple[Shopper, LiveStream], db: Database
    ) -> None:
        await sign_in(page, shop, "analyst", "handoffs")

        await expect(page.locator("#no-inbox")).to_contain_text("needs the agent")
        await expect(page.locator("nav a[data-path=handoffs]")).to_have_count(0)
        await expect(page.locator("#take-over")).to_have_count(0)
        async with db.reading() as s:
            handoff = await s.scalar(select(Handoff).where(Handoff.store_id == shop.store_id))
        assert handoff is not None
        status = await page.evaluate(
            """async (id) => {
                const session = await (await fetch('/v1/staff/session')).json();
                const headers = {'X-CSRF-Token': session.csrf_token};
                const list = await fetch('/v1/handoffs?status=waiting');
                const take = await fetch(`/v1/handoffs/${id}/take`, {method: 'POST', headers});
                return [list.status, (await list.json()).error, take.status];
            }""",
            handoff.id,
        )
        assert status == [403, "insufficient_scope", 403]
        async with db.reading() as s:
            rows = (await s.scalars(select(Handoff).where(Handoff.store_id == shop.store_id))).all()
        assert [h.status for h in rows] == ["waiting"]
