"""The knowledge page in headless Chromium: an agent writes an article, edits it and unpublishes
it; the database holds exactly what the form said, and the list shows it."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from floorwalker.auth import staff as staff_service
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.knowledge.models import Article
from floorwalker.stores.models import Store
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import WAIT

pytestmark = pytest.mark.browser

PASSWORD = "console password"
RETURNS = "Return anything unworn within 30 days of delivery for a full refund."
CANADA = "Yes. We ship to Canada with tracked delivery in 5 to 8 working days."
CANADA_EDITED = (
    "Yes. We ship to Canada with tracked delivery in 4 to 6 working days; duties are paid."
)


@pytest.fixture
async def agent(db: Database, store: Store) -> str:
    """An agent, and the store's one existing article (a published returns policy)."""
    async with db.transaction() as s:
        await staff_service.create_user(
            s,
            Actor.system(store.id),
            data=StaffUserCreate(email="agent@shop.example", role=Role.AGENT, password=PASSWORD),
        )
        s.add(
            Article(
                store_id=store.id,
                kind="policy",
                slug="returns",
                title="Returns",
                body=RETURNS,
                tags=["returns"],
                published=True,
                source="api",
            )
        )
    return "agent@shop.example"


async def articles(db: Database, store: Store) -> list[tuple[str, str, str, str, list[str], bool]]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(Article).where(Article.store_id == store.id).order_by(Article.id)
        )
        return [(a.kind, a.slug, a.title, a.body, a.tags, a.published) for a in rows]


class TestWriteAndEdit:
    async def test_an_agent_creates_edits_and_unpublishes_an_article(
        self, page: Page, live_server: LiveServer, db: Database, store: Store, agent: str
    ) -> None:
        page.set_default_timeout(WAIT)
        await page.goto(f"{live_server.url}/console")
        await page.fill("#store", store.slug)
        await page.fill("#email", agent)
        await page.fill("#password", PASSWORD)
        await page.click("button[type=submit]")
        await expect(page.locator("#who")).to_contain_text(agent)
        await page.goto(f"{live_server.url}/console#/knowledge")
        rows = page.locator("#articles tbody tr")
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("Returns")

        await page.click("#new-article")
        await page.select_option("#a-kind", "faq")
        await page.fill("#a-title", "Do you ship to Canada?")
        await page.fill("#a-tags", "shipping, canada")
        await page.fill("#a-body", CANADA)
        await page.click("#save-article")

        await expect(page.locator("#article-form h2")).to_have_text("Do you ship to Canada?")
        created = ("faq", "do-you-ship-to-canada", "Do you ship to Canada?")
        assert (await articles(db, store))[1] == (*created, CANADA, ["shipping", "canada"], True)
        async with db.reading() as s:
            new = await s.scalar(select(Article).where(Article.slug == "do-you-ship-to-canada"))
        assert new is not None
        assert new.source == "console"
        assert page.url.endswith(f"#/knowledge/{new.id}")

        await page.fill("#a-body", CANADA_EDITED)
        await page.click("#save-article")
        await expect(page.locator("#article-status")).to_have_text("Saved.")
        assert (await articles(db, store))[1] == (
            *created,
            CANADA_EDITED,
            ["shipping", "canada"],
            True,
        )
        await screenshot(page, "console-knowledge-article")

        await page.click("#unpublish")
        await expect(page.locator("#article-form .pill")).to_have_text("unpublished")
        assert (await articles(db, store))[1][5] is False

        await page.click("a.back")
        await expect(rows).to_have_count(2)
        await expect(rows.nth(0)).to_contain_text("Returns")
        await expect(rows.nth(0).locator(".pill").last).to_have_text("published")
        await expect(rows.nth(1)).to_contain_text("Do you ship to Canada?")
        await expect(rows.nth(1).locator(".pill").last).to_have_text("unpublished")
        await expect(page.locator("[data-tab=faq] .count")).to_have_text("1")
        await screenshot(page, "console-knowledge")
        assert (await articles(db, store))[0] == (
            "policy",
            "returns",
            "Returns",
            RETURNS,
            ["returns"],
            True,
        )
