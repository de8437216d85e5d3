"""Conversations and transcripts in headless Chromium: filters, the list as the API gives it,
and a transcript with the assistant's tool activity, its proposal and the shopper's identity."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from floorwalker.kit.db import Database
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import ConsoleStore, build_console_store, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
async def morning(db: Database, database_url: str, live_server: LiveServer) -> ConsoleStore:
    return await build_console_store(db, database_url, live_server)


class TestConversationList:
    async def test_lists_what_the_api_lists_and_filters_by_handoff(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            everything = (await admin.get("/v1/console/conversations")).json()
            handed = (await admin.get("/v1/console/conversations?handoff=yes")).json()
        await sign_in(page, morning, "analyst", "conversations")

        rows = page.locator("table tbody tr")
        await expect(rows).to_have_count(everything["total"])
        await expect(page.locator("#conversation-count")).to_have_text("9 conversations.")
        await expect(rows.first).to_contain_text(everything["items"][0]["preview"])
        await screenshot(page, "console-conversations")

        await page.select_option("#f-handoff", "yes")
        await page.click("text=Apply filters")

        await expect(rows).to_have_count(handed["total"])
        assert handed["total"] == 3
        await expect(page.locator("#conversation-count")).to_have_text(
            "3 conversations match these filters."
        )
        for n, row in enumerate(handed["items"]):
            await expect(rows.nth(n)).to_contain_text(row["shopper"]["name"])

    async def test_a_transcript_shows_tools_the_proposal_and_who_the_shopper_is(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            found = (await admin.get("/v1/console/conversations?q=cancel")).json()["items"]
        maya = next(c for c in found if c["shopper"] and c["shopper"]["name"] == "Maya Chen")
        await sign_in(page, morning, "analyst", f"conversations/{maya['id']}")

        await expect(page.locator("h1")).to_have_text("Conversation with Maya Chen")
        await expect(page.locator(".side")).to_contain_text("maya.chen@example.com")
        await expect(page.locator("details.tool").first).to_be_visible()
        tools = await page.locator("details.tool").evaluate_all(
            "nodes => nodes.map(n => n.dataset.tool)"
        )
        assert tools[0] == "list_orders"
        await expect(page.locator(".bubble[data-role=user]")).to_have_count(3)
        proposal = page.locator(".proposal")
        await expect(proposal).to_contain_text("Proposal · cancel order")
        await expect(proposal).to_contain_text("proposed")
        await expect(page.locator(".side")).to_contain_text("Asked for a person")
        await expect(page.locator("text=Open in inbox")).to_have_count(0)  # an analyst cannot
        await screenshot(page, "console-transcript")
