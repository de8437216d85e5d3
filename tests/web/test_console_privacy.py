"""The console's privacy page in headless Chromium: an admin answers a platform's request,
exports and erases a customer after a typed confirmation, and changes the retention settings;
agents and analysts are offered none of it and the API refuses them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from floorwalker.auth import staff as staff_service
from floorwalker.auth.models import StaffUser
from floorwalker.auth.roles import Role
from floorwalker.auth.schemas import StaffUserCreate
from floorwalker.connectors.models import PrivacyRequest
from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Customer
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order
from floorwalker.privacy.models import PrivacyReceipt
from floorwalker.privacy.schemas import EXPORT_FORMAT
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import PASSWORD, ConsoleStore, build_console_store, sign_in

pytestmark = pytest.mark.browser

DANIEL = "daniel.okafor@example.org"
PRIYA = "priya.raman@example.net"
MAYA = "maya.chen@example.com"
RECEIVED = dt.datetime(2026, 11, 26, 8, 15, tzinfo=dt.UTC)


@pytest.fixture
async def shop(db: Database, database_url: str, live_server: LiveServer) -> ConsoleStore:
    """The demo store with an admin (besides its owner, agent and analyst)."""
    built = await build_console_store(db, database_url, live_server, night=False)
    email = f"admin@{built.shop.slug}.example"
    async with db.transaction() as s:
        await staff_service.create_user(
            s,
            Actor.system(built.store_id),
            data=StaffUserCreate(email=email, name="Admin", role=Role.ADMIN, password=PASSWORD),
        )
    built.staff["admin"] = email
    return built


async def customer_id(db: Database, store_id: int, email: str) -> int:
    async with db.reading() as s:
        customer = await customers_service.find_by_email(s, store_id, email)
        assert customer is not None
        return customer.id


async def add_request(db: Database, store_id: int, kind: str, customer: int, hours: int) -> int:
    """A platform's privacy request as the Shopify webhook records it."""
    async with db.transaction() as s:
        request = PrivacyRequest(
            store_id=store_id,
            kind=kind,
            customer_id=customer,
            customer_external_id=f"shopify-{customer}",
            status="received",
            detail="Waiting for the store's privacy team (see docs/integrations.md).",
            received_at=RECEIVED + dt.timedelta(hours=hours),
        )
        s.add(request)
        await s.flush()
        return request.id


async def receipts_of(db: Database, store_id: int) -> list[PrivacyReceipt]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(PrivacyReceipt)
            .where(PrivacyReceipt.store_id == store_id)
            .order_by(PrivacyReceipt.id)
        )
        return list(rows)


async def staff_id(db: Database, email: str) -> int:
    async with db.reading() as s:
        found = await s.scalar(select(StaffUser.id).where(StaffUser.email == email))
        assert found is not None
        return found


class TestPrivacyPage:
    async def test_an_admin_answers_a_request_exports_and_erases_a_customer(
        self, page: Page, shop: ConsoleStore, db: Database, tmp_path: Path
    ) -> None:
        priya = await customer_id(db, shop.store_id, PRIYA)
        daniel = await customer_id(db, shop.store_id, DANIEL)
        maya = await customer_id(db, shop.store_id, MAYA)
        redact = await add_request(db, shop.store_id, "customer_redact", priya, 0)
        data = await add_request(db, shop.store_id, "customer_data_request", maya, 1)
        admin_id = await staff_id(db, shop.staff["admin"])
        async with shop.admin() as admin:
            plan = (await admin.get(f"/v1/customers/{daniel}/erasure")).json()
            record = (await admin.get(f"/v1/customers/{daniel}")).json()
        async with db.reading() as s:
            daniels_orders = list(
                await s.scalars(select(Order.id).where(Order.customer_id == daniel))
            )
        assert plan["open_order_ids"] == []
        assert plan["orders"] == len(daniels_orders) > 0
        page.on("dialog", lambda dialog: dialog.accept())
        await sign_in(page, shop, "admin", "privacy")

        await expect(page.locator("nav a[data-path=privacy]")).to_have_text("Privacy requests")
        requests = page.locator("#platform-requests tbody tr")
        await expect(requests).to_have_count(2)
        await expect(requests.nth(0)).to_contain_text("Erase customer")
        await expect(requests.nth(0)).to_contain_text(f"#{priya}")
        await expect(requests.nth(1)).to_contain_text("Data request")
        await expect(requests.nth(1)).to_contain_text(f"#{maya}")

        # A platform's erasure request, answered: the receipt shows, the request leaves "pending".
        await page.click(f"[data-answer='{redact}']")
        shown = page.locator("#answer-receipt [data-receipt]")
        await expect(shown).to_be_visible()
        answered_id = await shown.inner_text()
        await expect(requests).to_have_count(1)
        await expect(requests.first).to_contain_text("Data request")
        async with db.reading() as s:
            request = await s.get(PrivacyRequest, redact)
            pending = await s.get(PrivacyRequest, data)
            assert request is not None
            assert pending is not None
            request_state = (request.status, request.detail)
            pending_state = (pending.status, pending.completed_at)
            priya_left = await s.get(Customer, priya)
        (answered,) = await receipts_of(db, shop.store_id)
        assert request_state == ("completed", f"Erased; receipt {answered_id}.")
        assert pending_state == ("received", None)
        assert priya_left is None
        assert (
            answered.public_id,
            answered.kind,
            answered.origin,
            answered.requested_by,
            answered.customer_id,
            answered.platform_request_id,
        ) == (answered_id, "erasure", "shopify", f"staff:{admin_id}", priya, redact)

        # Daniel: found by e-mail, exported as a JSON file.
        await page.fill("#customer-ref", DANIEL)
        await page.click("#find-customer")
        await expect(page.locator("#customer-facts")).to_contain_text(f"#{daniel} · Daniel Okafor")
        await expect(page.locator("#customer-facts")).to_contain_text(DANIEL)
        await expect(page.locator("#customer-facts dd").nth(3)).to_have_text(
            str(record["order_count"])
        )
        async with page.expect_download() as download_info:
            await page.click("#download-export")
        download = await download_info.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(saved)
        document = json.loads(saved.read_text(encoding="utf-8"))
        assert download.suggested_filename == f"customer-{daniel}-export.json"
        assert (document["format"], document["customer"]["email"]) == (EXPORT_FORMAT, DANIEL)
        assert len(document["orders"]) == plan["orders"]
        exported = (await receipts_of(db, shop.store_id))[-1]
        assert (exported.public_id, exported.kind, exported.origin, exported.customer_id) == (
            document["request_id"],
            "export",
            "console",
            daniel,
        )

        # The erasure's preview, and a confirmation that must be typed exactly.
        await page.click("#preview-erasure")
        await expect(page.locator("[data-preview=orders]")).to_have_text(
            f"{plan['orders']} anonymised (amounts, dates and SKUs kept for the accounts)"
        )
        await expect(page.locator("[data-preview=conversations]")).to_have_text(
            f"{plan['conversations']} deleted"
        )
        await expect(page.locator("[data-preview=events]")).to_have_text(
            f"{plan['events']} deleted"
        )
        await expect(page.locator("#erase")).to_be_disabled()
        await page.fill("#erase-confirm", "daniel.okafor@example.com")
        await expect(page.locator("#erase")).to_be_disabled()
        await page.fill("#erase-confirm", "erase")
        await expect(page.locator("#erase")).to_be_disabled()
        assert len(await receipts_of(db, shop.store_id)) == 2  # nothing erased yet
        await page.fill("#erase-confirm", "ERASE")
        await expect(page.locator("#erase")).to_be_enabled()
        await screenshot(page, "console-privacy-erasure")

        await page.click("#erase")

        receipt_id = page.locator("#erase-receipt [data-receipt]")
        await expect(receipt_id).to_be_visible()
        await expect(page.locator("#preview-erasure")).to_be_disabled()
        erased = (await receipts_of(db, shop.store_id))[-1]
        await expect(receipt_id).to_have_text(erased.public_id)
        assert (
            erased.kind,
            erased.status,
            erased.origin,
            erased.requested_by,
            erased.customer_id,
            erased.platform_request_id,
            erased.detail,
        ) == (
            "erasure",
            "completed",
            "console",
            f"staff:{admin_id}",
            daniel,
            None,
            "Order financials kept, anonymised.",
        )
        assert erased.counts["orders"] == {"anonymised": plan["orders"], "deleted": 0}
        assert erased.counts["assistant"] == {"conversations": plan["conversations"]}
        assert erased.counts["events"] == {"events": plan["events"]}
        assert erased.counts["customers"] == {
            "customers": 1,
            "addresses": len(record["addresses"]),
            "payment_methods": len(record["payment_methods"]),
        }
        async with db.reading() as s:
            assert await s.get(Customer, daniel) is None
            kept = list(
                await s.scalars(
                    select(Order).where(Order.id.in_(daniels_orders)).order_by(Order.id)
                )
            )
        assert [(o.id, o.customer_id, o.email) for o in kept] == [
            (order_id, None, None) for order_id in sorted(daniels_orders)
        ]
        assert all(DANIEL not in json.dumps(o.shipping_address) for o in kept)
        listed = page.locator("#receipts tbody tr")
        await expect(listed).to_have_count(3)
        await expect(listed.nth(0)).to_contain_text(erased.public_id)
        await expect(listed.nth(1)).to_contain_text(exported.public_id)
        await expect(listed.nth(2)).to_contain_text(answered_id)

        await screenshot(page, "console-privacy")

        # The customer is gone: finding them again says so, inline.
        await page.fill("#customer-ref", str(daniel))
        await page.click("#find-customer")
        await expect(page.locator(".error")).to_contain_text("(customer_not_found)")
        await expect(page.locator("#customer-facts")).to_have_count(0)

    async def test_an_admin_changes_the_retention_settings(
        self, page: Page, shop: ConsoleStore, db: Database
    ) -> None:
        await sign_in(page, shop, "admin", "privacy")
        await expect(page.locator("#conversation-days")).to_have_value("365")
        await expect(page.locator("#event-days")).to_have_value("730")
        await expect(page.locator("#keep-financials")).to_be_checked()
        await expect(page.locator("#platform-requests .empty")).to_contain_text("No requests")

        await page.fill("#conversation-days", "90")
        await page.fill("#event-days", "0")
        await page.uncheck("#keep-financials")
        await page.click("#save-settings")

        await expect(page.locator("#settings-status")).to_contain_text("Saved.")
        async with shop.admin() as admin:
            stored = (await admin.get("/v1/privacy/settings")).json()
        assert stored == {
            "keep_order_financials": False,
            "conversation_retention_days": 90,
            "event_retention_days": 0,
        }
        await page.reload()
        await expect(page.locator("#conversation-days")).to_have_value("90")
        await expect(page.locator("#keep-financials")).not_to_be_checked()


class TestNotForEveryone:
    @pytest.mark.parametrize("role", ["agent", "analyst"])
    async def test_agents_and_analysts_have_no_privacy_page(
        self, browser: Browser, shop: ConsoleStore, db: Database, role: str
    ) -> None:
        maya = await customer_id(db, shop.store_id, MAYA)
        request = await add_request(db, shop.store_id, "customer_redact", maya, 0)
        context = await browser.new_context(viewport={"width": 1280, "height": 860})
        try:
            page = await context.new_page()
            await sign_in(page, shop, role, "privacy")

            await expect(page.locator("nav a[data-path=dashboard]")).to_be_visible()
            await expect(page.locator("nav a[data-path=privacy]")).to_have_count(0)
            await expect(page.locator(".view .error")).to_have_text(
                "This request needs the 'admin' scope. (insufficient_scope)"
            )
            await expect(page.locator("[data-answer]")).to_have_count(0)
            statuses = await page.evaluate(
                """async (id) => {
                    const csrf = (await (await fetch('/v1/staff/session')).json()).csrf_token;
                    const listed = await fetch('/v1/privacy/requests');
                    const answered = await fetch(`/v1/privacy/requests/${id}/answer`,
                        {method: 'POST', headers: {'X-CSRF-Token': csrf}});
                    return [listed.status, (await listed.json()).error, answered.status];
                }""",
                request,
            )
        finally:
            await context.close()

        assert statuses == [403, "insufficient_scope", 403]
        async with db.reading() as s:
            row = await s.get(PrivacyRequest, request)
            assert row is not None
            state = (row.status, row.completed_at)
        assert state == ("received", None)
        assert await receipts_of(db, shop.store_id) == []
        async with db.reading() as s:
            assert await s.get(Customer, maya) is not None
