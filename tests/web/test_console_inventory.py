"""Inventory and alerts in headless Chromium: the alert list as the API gives it, stock per
location drawn, a store rule saved by an owner; analysts see no button they cannot use."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from floorwalker.insights.models import StockRule
from floorwalker.kit.db import Database
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import ConsoleStore, build_console_store, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
async def morning(db: Database, database_url: str, live_server: LiveServer) -> ConsoleStore:
    return await build_console_store(db, database_url, live_server)


async def rules_of(db: Database, store_id: int) -> list[tuple[int | None, str, int]]:
    async with db.reading() as s:
        rows = await s.scalars(select(StockRule).where(StockRule.store_id == store_id))
        return [(r.category_id, r.mode, r.low_stock_threshold) for r in rows]


class TestAlerts:
    async def test_lists_the_apis_alerts_with_stock_per_location(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            alerts = (await admin.get("/v1/insights/alerts", params={"limit": 100})).json()
            summary = (await admin.get("/v1/console/stock-summary")).json()
        await sign_in(page, morning, "owner", "inventory")

        rows = page.locator("#stock-table tbody tr")
        await expect(rows).to_have_count(len(alerts["items"]))
        first = alerts["items"][0]
        await expect(rows.first).to_contain_text(first["sku"])
        await expect(rows.first).to_contain_text(first["status"].replace("_", " "))
        await expect(page.locator("[data-kpi=out]")).to_have_text(str(summary["out_of_stock"]))
        await expect(page.locator("[data-kpi=low]")).to_have_text(str(summary["low_stock"]))
        series = await page.evaluate(
            "() => Chart.getChart(document.getElementById('chart-stock'))"
            ".data.datasets.map(d => d.label)"
        )
        most = sorted(alerts["items"], key=lambda i: -i["available"])[:20]
        codes = {loc["location_code"] for item in most for loc in item["locations"]}
        assert sorted(series) == sorted(codes)
        await screenshot(page, "console-inventory")

        await page.click("[data-tab=reorder]")
        async with morning.admin() as admin:
            reorder = (await admin.get("/v1/insights/reorder", params={"limit": 100})).json()
        await expect(rows).to_have_count(max(1, len(reorder["items"])))
        assert reorder["items"], "the best sellers run low within their lead time"


class TestRules:
    async def test_an_owner_sets_the_stores_rule(
        self, page: Page, db: Database, morning: ConsoleStore
    ) -> None:
        await sign_in(page, morning, "owner", "inventory")
        await expect(page.locator("#stock-rules")).to_contain_text("No rules yet")

        await page.select_option("#rule-mode", "fixed")
        await page.fill("#rule-threshold", "2")
        await page.click("#save-rule")

        await expect(page.locator("#stock-rules")).to_contain_text("2 units or fewer")
        assert await rules_of(db, morning.store_id) == [(None, "fixed", 2)]
        async with morning.admin() as admin:
            summary = (await admin.get("/v1/console/stock-summary")).json()
        await expect(page.locator("[data-kpi=low]")).to_have_text(str(summary["low_stock"]))

    async def test_an_analyst_sees_no_rule_form_and_is_refused_anyway(
        self, page: Page, db: Database, morning: ConsoleStore
    ) -> None:
        await sign_in(page, morning, "analyst", "inventory")
        await expect(page.locator("#stock-rules")).to_be_visible()

        await expect(page.locator("#save-rule")).to_have_count(0)
        await expect(page.locator("[data-delete-rule]")).to_have_count(0)
        status = await page.evaluate(
            """async () => {
                const session = await (await fetch('/v1/staff/session')).json();
                const response = await fetch('/v1/insights/stock-rules', {
                    method: 'POST',
                    headers: {
                        'X-CSRF-Token': session.csrf_token, 'Content-Type': 'application/json',
                    },
                    body: JSON.stringify({low_stock_threshold: 1}),
                });
                return [response.status, (await response.json()).error];
            }"""
        )
        assert status == [403, "insufficient_scope"]
        assert await rules_of(db, morning.store_id) == []
