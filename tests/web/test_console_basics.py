"""The console in headless Chromium: sign-in, API keys, staff, policy editing."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from floorwalker.auth import staff as staff_service
from floorwalker.auth.models import ApiKey, StaffUser
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests.conftest import LiveServer
from tests.web.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "console password"


async def sign_in(page: Page, live_server: LiveServer, store: Store, email: str) -> None:
    await page.goto(f"{live_server.url}/console")
    await page.fill("#store", store.slug)
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("#who")).to_contain_text(email)


@pytest.fixture
async def owner(db: Database, store: Store) -> str:
    async with db.transaction() as s:
        await staff_service.create_user(
            s,
            Actor.system(store.id),
            data=StaffUserCreate(email="owner@shop.example", role=Role.OWNER, password=PASSWORD),
        )
    return "owner@shop.example"


class TestSignIn:
    async def test_wrong_password_shows_an_error_and_no_console(
        self, page: Page, live_server: LiveServer, store: Store, owner: str
    ) -> None:
        await page.goto(f"{live_server.url}/console")
        await screenshot(page, "console-sign-in")
        await page.fill("#store", store.slug)
        await page.fill("#email", owner)
        await page.fill("#password", "not the password")
        await page.click("button[type=submit]")

        await expect(page.locator(".error")).to_contain_text("not correct")
        assert await page.locator(".sidebar").is_hidden()

    async def test_sign_in_opens_the_console_and_survives_a_reload(
        self, page: Page, live_server: LiveServer, store: Store, owner: str
    ) -> None:
        await sign_in(page, live_server, store, owner)
        await page.reload()

        await expect(page.locator("#who")).to_contain_text("owner@shop.example · owner")
        await expect(page.locator("nav a")).to_have_count(11)


class TestKeysPage:
    async def test_creating_a_publishable_key_shows_it_once(
        self, page: Page, live_server: LiveServer, db: Database, store: Store, owner: str
    ) -> None:
        await sign_in(page, live_server, store, owner)
        await page.goto(f"{live_server.url}/console#/keys")
        await page.fill("#key-name", "storefront")
        await page.select_option("#key-kind", "publishable")
        await page.fill("#key-origins", "https://shop.example")
        await page.click("text=Create key")

        shown = await page.locator("#new-key").text_content()
        await expect(page.locator("table")).to_contain_text("storefront")
        await screenshot(page, "console-keys")
        async with db.reading() as s:
            key = await s.scalar(select(ApiKey).where(ApiKey.store_id == store.id))
        assert key is not None
        assert shown is not None
        assert shown.startswith("fw_pk_")
        assert key.kind == "publishable"
        assert key.allowed_origins == ["https://shop.example"]


class TestPolicyPage:
    async def test_editing_the_window_changes_what_shoppers_are_told(
        self, page: Page, live_server: LiveServer, db: Database, store: Store, owner: str
    ) -> None:
        await sign_in(page, live_server, store, owner)
        await page.goto(f"{live_server.url}/console#/policy")
        await expect(page.locator("#policy-text")).to_contain_text("within 30 days of delivery")
        await page.fill("#p-window", "45")
        await page.click("text=Save policy")

        await expect(page.locator("#policy-text")).to_contain_text("within 45 days of delivery")
        await screenshot(page, "console-policy")
        async with db.reading() as s:
            saved = await s.get(Store, store.id)
        assert saved is not None
        assert saved.policy["return_window_days"] == 45


class TestStaffPage:
    async def test_an_owner_adds_an_agent_who_can_sign_in_then_disables_them(
        self,
        page: Page,
        browser: Browser,
        live_server: LiveServer,
        db: Database,
        store: Store,
        owner: str,
    ) -> None:
        await sign_in(page, live_server, store, owner)
        await page.goto(f"{live_server.url}/console#/staff")
        await page.fill("#staff-email", "Sam@Shop.example")
        await page.fill("#staff-name", "Sam Reyes")
        await page.select_option("#staff-role", "agent")
        await page.fill("#staff-password", PASSWORD)
        await page.click("form.panel button[type=submit]")

        rows = page.locator("table tbody tr")
        await expect(rows).to_have_count(2)
        await expect(rows.nth(1).locator("td").nth(0)).to_have_text("sam@shop.example")
        await expect(rows.nth(1).locator("td").nth(1)).to_have_text("Sam Reyes")
        await expect(rows.nth(1).locator("td").nth(2)).to_have_text("agent")
        await expect(rows.nth(1).locator("td").nth(3)).to_have_text("")
        # The owner's own row offers no "Disable" (the server refuses it too).
        await expect(rows.nth(0).locator("td").nth(4)).to_have_text("you")
        await screenshot(page, "console-staff")
        async with db.reading() as s:
            added = await s.scalar(
                select(StaffUser).where(
                    StaffUser.store_id == store.id, StaffUser.email == "sam@shop.example"
                )
            )
        assert added is not None
        assert (added.store_id, added.name, added.role) == (store.id, "Sam Reyes", "agent")
        assert added.password_hash.startswith("$argon2id$")

        context = await browser.new_context()
        sam = await context.new_page()
        await sign_in(sam, live_server, store, "sam@shop.example")
        await expect(sam.locator("#who")).to_have_text("sam@shop.example · agent")
        await expect(sam.locator("nav a")).to_have_text(
            [
                "Dashboard",
                "Handoff inbox",
                "Conversations",
                "Inventory & alerts",
                "Forecasts",
                "Lost demand",
                "Policy",
                "Knowledge",
            ]
        )
        # An agent reads the policy but is not offered a save they would be refused.
        await sam.goto(f"{live_server.url}/console#/policy")
        await expect(sam.locator("#policy-read-only")).to_be_visible()
        await expect(sam.locator("#save-policy")).to_have_count(0)

        page.once("dialog", lambda dialog: dialog.accept())
        await rows.nth(1).locator("button", has_text="Disable").click()

        await expect(rows.nth(1).locator(".pill").last).to_have_text("disabled")
        async with db.reading() as s:
            disabled = await s.get(StaffUser, added.id)
        assert disabled is not None
        assert disabled.disabled_at is not None
        await sam.reload()
        await expect(sam.locator("#password")).to_be_visible()
        assert await sam.locator(".sidebar").is_hidden()
        await context.close()
