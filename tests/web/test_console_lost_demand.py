"""The lost-demand report in headless Chromium: the API's groups with their numbers, example
phrases, stock and forecast, drawn by reason."""

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


class TestLostDemand:
    async def test_groups_match_the_api_by_product_and_by_reason(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            by_product = (
                await admin.get("/v1/insights/lost-demand", params={"group_by": "product"})
            ).json()
            by_reason = (
                await admin.get("/v1/insights/lost-demand", params={"group_by": "reason"})
            ).json()
        assert by_reason["total_signals"] > 0
        counts = {r["key"]: r["signals"] for r in by_reason["rows"]}
        await sign_in(page, morning, "analyst", "lost-demand")

        await expect(page.locator("[data-kpi=total]")).to_have_text(
            f"{by_reason['total_signals']:,}"
        )
        await expect(page.locator("[data-kpi=not_carried]")).to_have_text(
            f"{counts.get('not_carried', 0):,}"
        )
        rows = page.locator("#lost-demand-table tbody tr")
        await expect(rows).to_have_count(max(1, len(by_product["rows"])))
        for n, row in enumerate(by_product["rows"][:5]):
            await expect(rows.nth(n)).to_contain_text(row["label"])
            await expect(rows.nth(n).locator("td").nth(1)).to_have_text(str(row["signals"]))
            if row["examples"]:
                await expect(rows.nth(n)).to_contain_text(row["examples"][0])
        await expect(page.locator("#refresh-lost-demand")).to_have_count(0)  # analysts read
        await screenshot(page, "console-lost-demand")

        await page.click("[data-tab=reason]")

        await expect(rows).to_have_count(len(by_reason["rows"]))
        first = by_reason["rows"][0]
        await expect(rows.first.locator("td").nth(1)).to_have_text(str(first["signals"]))
        drawn = await page.evaluate(
            "() => Chart.getChart(document.getElementById('chart-lost-demand'))"
            ".data.datasets.map(d => d.data.reduce((a, b) => a + b, 0))"
        )
        assert sum(drawn) == sum(r["signals"] for r in by_reason["rows"][:12])
