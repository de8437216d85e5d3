"""The forecast page in headless Chromium: the chart draws the variant's sales history, its
forecast (median and mean) and the 90 % interval, and the reorder table lists what to order,
exactly the API's figures."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Page, expect

from floorwalker.kit.db import Database
from tests.conftest import LiveServer
from tests.web.conftest import screenshot
from tests.web.console_data import ConsoleStore, build_console_store, sign_in

pytestmark = pytest.mark.browser

SERIES = [
    "Units sold",
    "90% interval (low)",
    "90% interval",
    "Forecast (median)",
    "Forecast (mean)",
]
READ_CHART = """() => {
    const chart = Chart.getChart(document.getElementById('forecast-chart'));
    return {
        labels: chart.data.labels.length,
        series: chart.data.datasets.map(d => d.label),
        data: Object.fromEntries(chart.data.datasets.map(d => [d.label, d.data])),
    };
}"""


@pytest.fixture
async def morning(db: Database, database_url: str, live_server: LiveServer) -> ConsoleStore:
    return await build_console_store(db, database_url, live_server)


def aligned(
    history: list[dict[str, Any]], forecast: list[dict[str, Any]], key: str, *, past: bool
) -> list[Any]:
    """The values the chart must hold for one series over history dates then forecast dates."""
    dates = [p["start"] for p in history]
    dates += [p["start"] for p in forecast if p["start"] not in dates]
    source = history if past else forecast
    values = {p["start"]: p[key] for p in source}
    return [values.get(d) for d in dates]


class TestForecastPage:
    async def test_the_chart_has_history_forecast_and_interval_from_the_api(
        self, page: Page, morning: ConsoleStore
    ) -> None:
        async with morning.admin() as admin:
            ranked = (await admin.get("/v1/console/forecasts", params={"limit": 100})).json()
            top = ranked["items"][0]
            plan = (await admin.get(f"/v1/console/forecasts/{top['variant_id']}")).json()
        assert top["forecast_method"] is not None
        history, points = plan["history"]["points"], plan["forecast"]["points"]
        await sign_in(page, morning, "analyst", "forecasts")

        await expect(page.locator("#variant-title")).to_have_text(
            f"{top['title']} · {top['variant_title']}"
        )
        await expect(page.locator("tr.selected")).to_have_attribute(
            "data-variant", str(top["variant_id"])
        )
        chart = await page.evaluate(READ_CHART)
        assert chart["series"] == SERIES
        assert chart["labels"] == 26 + 7  # this week is both history (so far) and forecast
        assert chart["data"]["Units sold"] == aligned(history, points, "units", past=True)
        for label, key in [
            ("Forecast (median)", "point"),
            ("Forecast (mean)", "mean"),
            ("90% interval (low)", "lower"),
            ("90% interval", "upper"),
        ]:
            assert chart["data"][label] == aligned(history, points, key, past=False), label
        await expect(page.locator("[data-kpi=suggested]")).to_have_text(
            str(plan["item"]["suggested_quantity"])
        )
        await expect(page.locator("[data-kpi=reorder-point]")).to_have_text(
            f"{plan['item']['reorder_point']:,.1f}"
        )
        rows = page.locator("#forecast-list tbody tr")
        await expect(rows).to_have_count(len(ranked["items"]))
        assert await rows.evaluate_all("rows => rows.map(r => Number(r.dataset.variant))") == [
            i["variant_id"] for i in ranked["items"]
        ]
        assert await rows.evaluate_all("rows => rows.map(r => r.cells[3].textContent)") == [
            f"{i['suggested_quantity']:,}" if i["suggested_quantity"] else "–"
            for i in ranked["items"]
        ]
        assert any(i["suggested_quantity"] for i in ranked["items"])
        weeks = page.locator("#forecast-detail table tbody tr")
        await expect(weeks).to_have_count(8)
        await expect(page.locator("#forecast-detail table thead th")).to_have_text(
            ["Week from", "Median", "Mean (for reorders)", "90% interval"]
        )
        # the top seller sells every day (about 35 a week by now): its median week is within
        # 30 % of its last 8 full weeks' average (the median fit once stalled at a tenth of it)
        level = sum(p["units"] for p in history[-9:-1]) / 8
        assert 0.7 * level <= points[0]["point"] <= 1.3 * level, (level, points[0])
        assert await weeks.evaluate_all("rows => rows.map(r => r.cells[1].textContent)") == [
            f"{p['point']:,.1f}" for p in points[:8]
        ]
        await expect(page.locator("#run-forecast")).to_have_count(0)  # analysts cannot run it
        await screenshot(page, "console-forecasts")

    async def test_the_daily_view_redraws_by_day(self, page: Page, morning: ConsoleStore) -> None:
        async with morning.admin() as admin:
            top = (await admin.get("/v1/console/forecasts")).json()["items"][0]
            plan = (
                await admin.get(
                    f"/v1/console/forecasts/{top['variant_id']}",
                    params={"frequency": "day", "history": 56},
                )
            ).json()
        history, points = plan["history"]["points"], plan["forecast"]["points"]
        await sign_in(page, morning, "agent", "forecasts")
        await expect(page.locator("#variant-title")).to_be_visible()

        await page.click("[data-tab=day]")

        await expect(page.locator("[data-tab=day]")).to_have_attribute("aria-selected", "true")
        await expect(page.locator("#forecast-detail h2").nth(1)).to_have_text(
            "Units per day: sold and forecast"
        )
        chart = await page.evaluate(READ_CHART)
        assert chart["data"]["Units sold"] == aligned(history, points, "units", past=True)
        assert chart["data"]["Forecast (median)"] == aligned(history, points, "point", past=False)
        assert len(points) == 56
        await expect(page.locator("#run-forecast")).to_be_visible()  # agents may run it
