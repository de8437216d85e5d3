"""Forecasts for the console over HTTP: variants ranked by forecast demand, and one variant's
sales history, forecast and stock plan in one read."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from floorwalker.catalog.models import Variant
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer
from tests.insights.builders import days_back, sell, set_stock, this_monday


@dataclass
class Shop:
    """`busy` sold two a day for eight weeks (30 left), `slow` one every Monday of the same
    weeks (4 left), `idle` never sold (12 left); one order of `busy` was cancelled."""

    busy: int
    slow: int
    idle: int
    monday: dt.date


@pytest.fixture
async def shop(db: Database, store: Store) -> Shop:
    async with db.transaction() as s:
        wh = await factories.create_location(s, store, code="WH1")
        product = await factories.create_product(s, store, title="Trail Tee")
        busy, slow, idle = (
            await s.scalars(
                select(Variant).where(Variant.product_id == product.id).order_by(Variant.id)
            )
        ).all()
        await set_stock(s, store, busy, wh, on_hand=30)
        await set_stock(s, store, slow, wh, on_hand=4)
        await set_stock(s, store, idle, wh, on_hand=12)
        monday = this_monday(store)
        weeks = days_back(monday, 8)
        await sell(s, store, None, busy, days=weeks, quantity=2)
        await sell(s, store, None, busy, days=weeks[:1], quantity=5, status="cancelled")
        await sell(s, store, None, slow, days=weeks[::7])
        return Shop(busy.id, slow.id, idle.id, monday)


@pytest.fixture
async def reader(
    live_server: LiveServer, db: Database, store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    async with db.transaction() as s:
        key = await factories.create_key(s, store, scopes=["read"])
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=60, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        yield client


@pytest.fixture
async def forecasted(admin: httpx.AsyncClient, shop: Shop) -> Shop:
    response = await admin.post("/v1/insights/forecasts/run")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "done"
    return shop


class TestVariantPlan:
    async def test_weekly_history_forecast_and_stock_plan_in_one_read(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get(f"/v1/console/forecasts/{forecasted.busy}")

        assert response.status_code == 200
        body = response.json()
        history = body["history"]
        assert (history["frequency"], history["timezone"], len(history["points"])) == (
            "week",
            "Europe/London",
            26,
        )
        assert history["points"][-1]["start"] == forecasted.monday.isoformat()
        # cancelled orders are not demand: 2 a day, 14 a week, for the eight weeks before this one
        assert [p["units"] for p in history["points"]] == [0] * 17 + [14] * 8 + [0]
        forecast = await reader.get(f"/v1/insights/forecasts/{forecasted.busy}")
        assert body["forecast"] == forecast.json()
        stock = await reader.get("/v1/insights/stock", params={"limit": 10})
        assert body["item"] == next(
            i for i in stock.json()["items"] if i["variant_id"] == forecasted.busy
        )

    async def test_daily_history_and_forecast(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get(
            f"/v1/console/forecasts/{forecasted.slow}", params={"frequency": "day", "history": 63}
        )

        body = response.json()
        points = body["history"]["points"]
        assert len(points) == 63
        sold = [p["start"] for p in points if p["units"]]
        assert sold == [
            (forecasted.monday - dt.timedelta(weeks=w)).isoformat() for w in range(8, 0, -1)
        ]
        assert body["forecast"]["frequency"] == "day"
        assert len(body["forecast"]["points"]) == 56

    async def test_a_variant_that_never_sold_has_history_but_no_forecast(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get(f"/v1/console/forecasts/{forecasted.idle}")

        body = response.json()
        assert response.status_code == 200
        assert body["forecast"] is None
        assert {p["units"] for p in body["history"]["points"]} == {0}
        assert (body["item"]["available"], body["item"]["daily_demand"]) == (12, 0.0)

    async def test_unknown_and_foreign_variants_are_not_found(
        self, reader: httpx.AsyncClient, forecasted: Shop, db: Database, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            theirs = await factories.create_product(s, other_store, title="Theirs")
            foreign = (
                await s.scalars(select(Variant.id).where(Variant.product_id == theirs.id))
            ).first()

        for variant_id in (foreign, 2**62):
            response = await reader.get(f"/v1/console/forecasts/{variant_id}")
            assert (response.status_code, response.json()["error"]) == (404, "variant_not_found")
        bad = await reader.get(f"/v1/console/forecasts/{forecasted.busy}", params={"history": 0})
        assert (bad.status_code, bad.json()["error"]) == (422, "validation_error")


class TestRankedForecasts:
    async def test_variants_by_forecast_demand_highest_first(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get("/v1/console/forecasts")

        body = response.json()
        assert [i["variant_id"] for i in body["items"]] == [
            forecasted.busy,
            forecasted.slow,
            forecasted.idle,
        ]
        assert body["matched"] == 3
        assert body["run"]["series"] == 2
        demand = [i["daily_demand"] for i in body["items"]]
        assert demand == sorted(demand, reverse=True)
        assert demand[-1] == 0.0

    async def test_search_by_sku_or_title_and_limit(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        everything = (await reader.get("/v1/console/forecasts")).json()["items"]
        slow_sku = next(i["sku"] for i in everything if i["variant_id"] == forecasted.slow)

        by_sku = (await reader.get("/v1/console/forecasts", params={"q": slow_sku.lower()})).json()
        by_title = await reader.get("/v1/console/forecasts", params={"q": "trail", "limit": 1})
        nothing = (await reader.get("/v1/console/forecasts", params={"q": "kayak"})).json()

        assert [i["variant_id"] for i in by_sku["items"]] == [forecasted.slow]
        assert (by_title.json()["matched"], len(by_title.json()["items"])) == (3, 1)
        assert (nothing["matched"], nothing["items"]) == (0, [])

    async def test_before_any_forecast_run_every_variant_is_listed_without_demand(
        self, reader: httpx.AsyncClient, shop: Shop
    ) -> None:
        body = (await reader.get("/v1/console/forecasts")).json()

        assert body["run"] is None
        assert [i["variant_id"] for i in body["items"]] == [shop.busy, shop.slow, shop.idle]
        assert {i["forecast_method"] for i in body["items"]} == {None}
