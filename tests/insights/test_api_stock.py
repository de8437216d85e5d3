"""Stock, alerts, reorder suggestions, forecasts and stock rules over HTTP."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from statistics import NormalDist

import httpx
import pytest
from sqlalchemy import func, select

from floorwalker.catalog.models import Variant
from floorwalker.insights.models import StockRule
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.conftest import LiveServer, keyed_client
from tests.insights.builders import category, days_back, sell, set_stock, this_monday

Z95 = NormalDist().inv_cdf(0.95)


@dataclass
class Shop:
    """v1 sells 1 a day (available 10 over two locations), v2 sold only four weeks ago (none
    left), v3 never sold (20 left), v4 is in Shoes below Apparel (3 left, never sold)."""

    v1: int
    v2: int
    v3: int
    v4: int
    apparel: int
    shoes: int
    monday: dt.date


@pytest.fixture
async def shop(db: Database, store: Store) -> Shop:
    async with db.transaction() as s:
        wh1 = await factories.create_location(s, store, code="WH1")
        wh2 = await factories.create_location(s, store, code="WH2")
        apparel = await category(s, store, "Apparel")
        shoes = await category(s, store, "Shoes", parent=apparel)
        product = await factories.create_product(s, store, title="Trail Tee")
        boots = await factories.create_product(
            s,
            store,
            title="Boots",
            category=shoes,
            variants=[{"options": {"size": "42"}, "price": 9000, "sku": factories.unique("B")}],
        )
        variants = list(
            (
                await s.scalars(
                    select(Variant).where(Variant.product_id == product.id).order_by(Variant.id)
                )
            ).all()
        )
        boot = (await s.scalars(select(Variant).where(Variant.product_id == boots.id))).one()
        v1, v2, v3 = variants
        await set_stock(s, store, v1, wh1, on_hand=7, reserved=1)
        await set_stock(s, store, v1, wh2, on_hand=4)
        await set_stock(s, store, v2, wh1, on_hand=0)
        await set_stock(s, store, v3, wh1, on_hand=20)
        await set_stock(s, store, boot, wh2, on_hand=3)
        monday = this_monday(store)
        customer = await factories.create_customer(s, store)
        await sell(s, store, customer, v1, days=days_back(monday, 4))
        await sell(s, store, customer, v2, days=days_back(monday, 4)[:7])
        return Shop(v1.id, v2.id, v3.id, boot.id, apparel.id, shoes.id, monday)


@pytest.fixture
async def forecasted(admin: httpx.AsyncClient, shop: Shop) -> Shop:
    response = await admin.post("/v1/insights/forecasts/run")
    assert response.status_code == 200, response.text
    return shop


@pytest.fixture
async def reader(
    live_server: LiveServer, db: Database, store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    async with keyed_client(live_server, db, store, ["read"]) as client:
        yield client


@pytest.fixture
async def stranger(
    live_server: LiveServer, db: Database, other_store: Store
) -> AsyncIterator[httpx.AsyncClient]:
    async with keyed_client(live_server, db, other_store, ["admin"]) as client:
        yield client


def _by_variant(body: dict) -> dict[int, dict]:  # type: ignore[type-arg]
    return {item["variant_id"]: item for item in body["items"]}


class TestRunForecast:
    async def test_runs_the_job_and_a_second_call_finds_nothing_to_do(
        self, admin: httpx.AsyncClient, shop: Shop
    ) -> None:
        first = await admin.post("/v1/insights/forecasts/run")
        second = await admin.post("/v1/insights/forecasts/run")

        assert first.status_code == 200
        assert {k: first.json()[k] for k in ("status", "method", "series", "starts_on")} == {
            "status": "done",
            "method": "tsb",
            "series": 2,
            "starts_on": shop.monday.isoformat(),
        }
        assert second.json()["status"] == "unchanged"
        assert second.json()["run_id"] == first.json()["run_id"]
        runs = (await admin.get("/v1/insights/forecasts/runs")).json()
        assert [r["id"] for r in runs] == [first.json()["run_id"]]

    async def test_a_read_key_cannot_run_it(self, reader: httpx.AsyncClient, shop: Shop) -> None:
        response = await reader.post("/v1/insights/forecasts/run")

        assert response.status_code == 403
        assert (await reader.get("/v1/insights/forecasts/runs")).json() == []


class TestStock:
    async def test_live_stock_status_cover_and_reorder_per_variant(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get("/v1/insights/stock")

        assert response.status_code == 200
        items = _by_variant(response.json())
        assert sorted(items) == sorted([forecasted.v1, forecasted.v2, forecasted.v3, forecasted.v4])
        v1 = items[forecasted.v1]
        assert (v1["on_hand"], v1["available"]) == (11, 10)
        assert [(loc["location_code"], loc["available"]) for loc in v1["locations"]] == [
            ("WH1", 6),
            ("WH2", 4),
        ]
        # 1 a day with a daily variance of 1: lead time 14, review 7, 95 %
        assert v1["status"] == "ok"
        assert v1["forecast_method"] == "tsb"
        assert v1["daily_demand"] == 1.0
        assert v1["days_of_cover"] == 10.0
        assert v1["lead_time_demand"] == 14.0
        assert v1["reorder_point"] == pytest.approx(14 + Z95 * math.sqrt(14), abs=0.011)
        assert v1["suggested_quantity"] == math.ceil(21 + Z95 * math.sqrt(21) - 10) == 19
        assert v1["rule"] == {
            "id": None,
            "category_id": None,
            "mode": "fixed",
            "low_stock_threshold": 5,
            "lead_time_days": 14,
            "review_period_days": 7,
            "service_level": 0.95,
        }
        assert items[forecasted.v2]["status"] == "out_of_stock"
        assert items[forecasted.v2]["suggested_quantity"] == 12
        v3 = items[forecasted.v3]
        assert (v3["status"], v3["forecast_method"], v3["days_of_cover"]) == ("ok", None, None)
        assert items[forecasted.v4]["status"] == "low_stock"

    async def test_alerts_list_out_of_stock_and_low_stock_only(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        items = _by_variant((await reader.get("/v1/insights/alerts")).json())

        assert {v: i["status"] for v, i in items.items()} == {
            forecasted.v2: "out_of_stock",
            forecasted.v4: "low_stock",
        }

    async def test_reorder_lists_variants_at_or_below_their_reorder_point(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        items = _by_variant((await reader.get("/v1/insights/reorder")).json())

        assert {v: i["suggested_quantity"] for v, i in items.items()} == {
            forecasted.v1: 19,
            forecasted.v2: 12,
        }

    async def test_filters_by_status_and_category_with_pages(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        only_ok = (await reader.get("/v1/insights/stock", params={"status": "ok"})).json()
        apparel = (
            await reader.get("/v1/insights/stock", params={"category_id": forecasted.apparel})
        ).json()
        first = (await reader.get("/v1/insights/stock", params={"limit": 3})).json()
        rest = (
            await reader.get(
                "/v1/insights/stock", params={"limit": 3, "cursor": first["next_cursor"]}
            )
        ).json()

        assert sorted(_by_variant(only_ok)) == sorted([forecasted.v1, forecasted.v3])
        assert list(_by_variant(apparel)) == [forecasted.v4]
        assert [i["variant_id"] for i in first["items"] + rest["items"]] == sorted(
            [forecasted.v1, forecasted.v2, forecasted.v3, forecasted.v4]
        )
        assert rest["next_cursor"] is None

    async def test_csv_export(self, reader: httpx.AsyncClient, forecasted: Shop) -> None:
        response = await reader.get("/v1/insights/alerts", params={"format": "csv"})

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [(int(r["variant_id"]), r["status"]) for r in rows] == [
            (forecasted.v2, "out_of_stock"),
            (forecasted.v4, "low_stock"),
        ]
        assert rows[0]["rule.mode"] == "fixed"

    async def test_a_bad_status_is_a_clear_422(self, reader: httpx.AsyncClient, shop: Shop) -> None:
        response = await reader.get("/v1/insights/stock", params={"status": "sold_out"})

        assert response.status_code == 422
        assert response.json()["error"] == "invalid_status"

    async def test_another_store_sees_none_of_it(
        self, stranger: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        assert (await stranger.get("/v1/insights/stock")).json()["items"] == []
        response = await stranger.get(f"/v1/insights/forecasts/{forecasted.v1}")
        assert response.status_code == 404
        assert response.json()["error"] == "variant_not_found"

    async def test_needs_a_key(self, http: httpx.AsyncClient, shop: Shop) -> None:
        assert (await http.get("/v1/insights/stock")).status_code == 401


class TestVariantForecast:
    async def test_weekly_forecast_with_its_interval(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        body = (await reader.get(f"/v1/insights/forecasts/{forecasted.v1}")).json()

        assert (body["method"], body["frequency"], body["interval_level"]) == ("tsb", "week", 0.9)
        assert len(body["points"]) == 8
        assert body["points"][0] == {
            "start": forecasted.monday.isoformat(),
            "point": 7.0,
            "mean": 7.0,
            "lower": 2.648,
            "upper": 11.352,
        }
        assert body["points"][7]["start"] == (forecasted.monday + dt.timedelta(weeks=7)).isoformat()

    async def test_daily_forecast_spreads_weeks_over_weekdays(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        body = (
            await reader.get(f"/v1/insights/forecasts/{forecasted.v1}", params={"frequency": "day"})
        ).json()

        assert len(body["points"]) == 56
        # a seventh of the week a day; variance ≈ mean, so Poisson(1) bounds: 0 and 3
        assert body["points"][3] == {
            "start": (forecasted.monday + dt.timedelta(days=3)).isoformat(),
            "point": 1.0,
            "mean": 1.0,
            "lower": 0.0,
            "upper": 3.0,
        }

    async def test_a_variant_that_never_sold_has_no_forecast(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get(f"/v1/insights/forecasts/{forecasted.v3}")

        assert response.status_code == 404
        assert response.json()["error"] == "forecast_not_found"

    async def test_an_unknown_variant_is_not_found(
        self, reader: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        response = await reader.get("/v1/insights/forecasts/999999999")

        assert response.status_code == 404
        assert response.json()["error"] == "variant_not_found"


class TestStockRules:
    async def test_a_cover_rule_flags_what_will_not_last_the_lead_time(
        self, admin: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        created = await admin.post(
            "/v1/insights/stock-rules", json={"mode": "cover", "lead_time_days": 14}
        )

        assert created.status_code == 201
        items = _by_variant((await admin.get("/v1/insights/alerts")).json())
        # v1's 10 days of cover < 14; v4 has no forecast, so its 3 ≤ 5 still counts
        assert {v: i["status"] for v, i in items.items()} == {
            forecasted.v1: "low_stock",
            forecasted.v2: "out_of_stock",
            forecasted.v4: "low_stock",
        }
        assert items[forecasted.v1]["rule"]["id"] == created.json()["id"]

    async def test_a_category_rule_applies_to_categories_below_it(
        self, admin: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        created = await admin.post(
            "/v1/insights/stock-rules",
            json={"category_id": forecasted.apparel, "low_stock_threshold": 2},
        )

        items = _by_variant((await admin.get("/v1/insights/stock")).json())
        assert items[forecasted.v4]["status"] == "ok"
        assert items[forecasted.v4]["rule"]["id"] == created.json()["id"]
        assert items[forecasted.v4]["rule"]["category_id"] == forecasted.apparel
        assert items[forecasted.v1]["rule"]["id"] is None

    async def test_change_and_delete_a_rule(
        self, admin: httpx.AsyncClient, forecasted: Shop
    ) -> None:
        rule = (
            await admin.post("/v1/insights/stock-rules", json={"low_stock_threshold": 25})
        ).json()

        changed = await admin.patch(
            f"/v1/insights/stock-rules/{rule['id']}", json={"low_stock_threshold": 0}
        )
        items_after_change = _by_variant((await admin.get("/v1/insights/alerts")).json())
        deleted = await admin.delete(f"/v1/insights/stock-rules/{rule['id']}")

        assert changed.status_code == 200
        assert changed.json()["low_stock_threshold"] == 0
        assert list(items_after_change) == [forecasted.v2]
        assert deleted.status_code == 204
        assert (await admin.get("/v1/insights/stock-rules")).json() == []
        audit = (await admin.get("/v1/audit", params={"subject_type": "stock_rule"})).json()
        assert [e["action"] for e in audit["items"]] == [
            "insights.stock_rule.create",
            "insights.stock_rule.update",
            "insights.stock_rule.delete",
        ]

    async def test_refusals_change_nothing(
        self,
        admin: httpx.AsyncClient,
        reader: httpx.AsyncClient,
        stranger: httpx.AsyncClient,
        db: Database,
        store: Store,
        shop: Shop,
    ) -> None:
        rule = (await admin.post("/v1/insights/stock-rules", json={})).json()

        duplicate = await admin.post("/v1/insights/stock-rules", json={"mode": "cover"})
        unknown_category = await admin.post(
            "/v1/insights/stock-rules", json={"category_id": 987654321}
        )
        bad_level = await admin.post(
            "/v1/insights/stock-rules", json={"category_id": shop.shoes, "service_level": 1.5}
        )
        empty_change = await admin.patch(f"/v1/insights/stock-rules/{rule['id']}", json={})
        unknown_field = await admin.patch(
            f"/v1/insights/stock-rules/{rule['id']}", json={"colour": "red"}
        )
        read_only = await reader.post("/v1/insights/stock-rules", json={"category_id": shop.shoes})
        foreign = await stranger.patch(
            f"/v1/insights/stock-rules/{rule['id']}", json={"low_stock_threshold": 1}
        )
        foreign_delete = await stranger.delete(f"/v1/insights/stock-rules/{rule['id']}")

        assert (duplicate.status_code, duplicate.json()["error"]) == (409, "stock_rule_exists")
        assert (unknown_category.status_code, unknown_category.json()["error"]) == (
            422,
            "stock_rule_invalid",
        )
        assert bad_level.status_code == 422
        assert empty_change.status_code == 422
        assert unknown_field.status_code == 422
        assert read_only.status_code == 403
        assert (foreign.status_code, foreign.json()["error"]) == (404, "stock_rule_not_found")
        assert foreign_delete.status_code == 404
        assert (await admin.get("/v1/insights/stock-rules")).json() == [rule]
        async with db.reading() as s:
            count = await s.scalar(
                select(func.count(StockRule.id)).where(StockRule.store_id == store.id)
            )
        assert count == 1
