"""The console's dashboard in one call, and the inbox badge, over HTTP.

Every report in the dashboard must be the very report `/v1/insights/…` gives for the same
period, so the console never shows a figure the API would not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from floorwalker.config import Settings
from floorwalker.kit.db import Database
from tests.api.console_shop import ConsoleShop, open_console_shop
from tests.conftest import LiveServer


@pytest.fixture
async def shop(
    db: Database, settings: Settings, live_server: LiveServer
) -> AsyncIterator[ConsoleShop]:
    async with open_console_shop(db, settings, live_server) as built:
        jackets = await built.talk("do you have rain jackets?", "hiking boots in size 11")
        await built.rate(jackets, "up")
        await built.talk("where is my order W1003?", "talk to a human", customer="ada")
        policy = await built.talk("what is your return policy?")
        await built.rate(policy, "down")
        yield built


async def get(client: httpx.AsyncClient, path: str, **params: object) -> dict:  # type: ignore[type-arg]
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


class TestDashboard:
    async def test_every_report_equals_the_insights_report_of_the_period(
        self, shop: ConsoleShop
    ) -> None:
        board = await get(shop.reader, "/v1/console/dashboard")
        period = {"from": board["period"]["start"], "to": board["period"]["end"]}

        assert board["conversations"] == await get(
            shop.reader, "/v1/insights/conversations", **period
        )
        assert board["topics"] == await get(shop.reader, "/v1/insights/topics", limit=10, **period)
        assert board["searches"] == await get(
            shop.reader, "/v1/insights/searches", limit=10, **period
        )
        assert board["recommendations"] == await get(
            shop.reader, "/v1/insights/recommendations", **period
        )
        assert board["attribution"] == await get(shop.reader, "/v1/insights/attribution", **period)
        assert board["trending"] == await get(
            shop.reader, "/v1/insights/trending", limit=10, **period
        )

    async def test_the_figures_count_what_shoppers_did(self, shop: ConsoleShop) -> None:
        board = await get(shop.reader, "/v1/console/dashboard")

        talks = board["conversations"]
        assert (talks["conversations"], talks["handed_off"], talks["answered"]) == (3, 1, 3)
        assert talks["satisfaction"] == {
            "helpful": 1,
            "not_helpful": 1,
            "rate": 0.5,
            "conversations_with_feedback": 2,
        }
        assert sum(day["conversations"] for day in talks["days"]) == 3
        assert board["period"]["end"] == talks["days"][-1]["date"]
        assert len(talks["days"]) == 30
        assert board["handoffs"] == {"waiting": 1, "active": 0}
        searched = {q["query"] for q in board["searches"]["top"]}
        assert {"rain jackets", "hiking boots in size 11"} <= searched

    async def test_stock_counts_match_the_alerts(self, shop: ConsoleShop) -> None:
        board = await get(shop.reader, "/v1/console/dashboard")
        alerts = (await get(shop.reader, "/v1/insights/alerts", limit=500))["items"]
        stock = (await get(shop.reader, "/v1/insights/stock", limit=500))["items"]

        assert board["stock"] == {
            "variants": len(stock),
            "out_of_stock": sum(1 for a in alerts if a["status"] == "out_of_stock"),
            "low_stock": sum(1 for a in alerts if a["status"] == "low_stock"),
            "reorder": sum(1 for s in stock if s["suggested_quantity"] > 0),
        }
        assert board["stock"]["out_of_stock"] > 0  # the fixture has sold-out sizes
        assert await get(shop.reader, "/v1/console/stock-summary") == board["stock"]

    async def test_a_chosen_range_is_used_by_every_report(self, shop: ConsoleShop) -> None:
        board = await get(shop.reader, "/v1/console/dashboard", **{"from": "2026-01-05"})
        ended = await get(
            shop.reader, "/v1/console/dashboard", **{"from": "2025-01-01", "to": "2025-01-07"}
        )

        assert board["period"]["start"] == "2026-01-05"
        for report in ("conversations", "topics", "searches", "trending", "attribution"):
            assert board[report]["period"] == board["period"], report
        assert (ended["conversations"]["conversations"], len(ended["conversations"]["days"])) == (
            0,
            7,
        )

    async def test_a_reversed_range_is_refused(self, shop: ConsoleShop) -> None:
        response = await shop.reader.get(
            "/v1/console/dashboard", params={"from": "2026-02-01", "to": "2026-01-01"}
        )

        assert (response.status_code, response.json()["error"]) == (422, "date_range_invalid")


class TestBadges:
    async def test_counts_waiting_and_active_handoffs_as_staff_work(
        self, shop: ConsoleShop
    ) -> None:
        before = await get(shop.reader, "/v1/console/badges")
        waiting = (await get(shop.writer, "/v1/handoffs", status="waiting"))["items"]
        taken = await shop.writer.post(f"/v1/handoffs/{waiting[0]['id']}/take")
        during = await get(shop.reader, "/v1/console/badges")
        back = await shop.writer.post(f"/v1/handoffs/{waiting[0]['id']}/hand-back")
        after = await get(shop.reader, "/v1/console/badges")

        assert (taken.status_code, back.status_code) == (200, 200)
        assert before == {"waiting": 1, "active": 0}
        assert during == {"waiting": 0, "active": 1}
        assert after == {"waiting": 0, "active": 0}
