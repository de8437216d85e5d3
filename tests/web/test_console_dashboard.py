"""The console's dashboard in headless Chromium: real numbers that match the API, charts, links."""

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


def pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


class TestDashboard:
    async def test_shows_the_periods_numbers_as_the_api_reports_them(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            board = (await admin.get("/v1/console/dashboard")).json()
        await sign_in(page, morning, "owner", "dashboard")

        talks = board["conversations"]
        await expect(page.locator("[data-kpi=conversations]")).to_have_text(
            str(talks["conversations"])
        )
        await expect(page.locator("[data-kpi=handoff-rate]")).to_have_text(
            pct(talks["handoff_rate"])
        )
        await expect(page.locator("[data-kpi=satisfaction]")).to_have_text(
            pct(talks["satisfaction"]["rate"])
        )
        await expect(page.locator("[data-kpi=waiting-handoffs]")).to_have_text(
            str(board["handoffs"]["waiting"])
        )
        stock = board["stock"]
        await expect(page.locator("[data-kpi=low-stock]")).to_have_text(
            f"{stock['low_stock'] + stock['out_of_stock']:,}"
        )
        assert talks["conversations"] == 9
        assert board["handoffs"] == {"waiting": 1, "active": 1}
        await page.wait_for_load_state("networkidle")
        await screenshot(page, "console-dashboard")
