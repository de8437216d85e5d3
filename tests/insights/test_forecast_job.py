"""The `insights.forecast` job: what it stores, when it refits, and whose sales it reads."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Variant
from floorwalker.insights import jobs
from floorwalker.insights.models import DemandForecast, ForecastRun
from floorwalker.insights.schemas import JobStatus
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.insights.builders import days_back, sell

TODAY = dt.date(2026, 11, 25)  # a Wednesday
MONDAY = dt.date(2026, 11, 23)


async def _runs(db: Database, store: Store) -> list[ForecastRun]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(ForecastRun).where(ForecastRun.store_id == store.id).order_by(ForecastRun.id)
        )
        return list(rows.all())


async def _forecasts(db: Database, store: Store, run_id: int) -> dict[int, DemandForecast]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(DemandForecast).where(
                DemandForecast.store_id == store.id, DemandForecast.run_id == run_id
            )
        )
        return {r.variant_id: r for r in rows.all()}


@pytest.fixture
async def sales(db: Database, store: Store) -> dict[str, int]:
    """V1 sells one a day for the four weeks before MONDAY; V2 one a day in the first week only."""
    async with db.transaction() as s:
        customer = await factories.create_customer(s, store)
        product = await factories.create_product(s, store)
        v1, v2, v3 = await _variants(s, product.id)
        await sell(s, store, customer, v1, days=days_back(MONDAY, 4))
        await sell(s, store, customer, v2, days=days_back(MONDAY, 4)[:7])
        return {"v1": v1.id, "v2": v2.id, "v3": v3.id}


async def _variants(s: AsyncSession, product_id: int) -> list[Variant]:
    rows = await s.scalars(
        select(Variant).where(Variant.product_id == product_id).order_by(Variant.id)
    )
    return list(rows.all())


async def _variant(s: AsyncSession, variant_id: int) -> Variant:
    variant = await s.get(Variant, variant_id)
    assert variant is not None
    return variant


class TestForecastJob:
    async def test_stores_a_forecast_per_variant_that_sold(
        self, db: Database, store: Store, sales: dict[str, int]
    ) -> None:
        outcome = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert outcome.status is JobStatus.DONE
        assert (outcome.method, outcome.series, outcome.starts_on) == ("tsb", 2, MONDAY)
        forecasts = await _forecasts(db, store, outcome.run_id or 0)
        assert sorted(forecasts) == [sales["v1"], sales["v2"]]
        v1, v2 = forecasts[sales["v1"]], forecasts[sales["v2"]]
        # four weeks of 7: TSB stays at 7; σ from Poisson (√7) → 7 ± 1.645 √7
        assert v1.point == [7.0] * 8
        assert v1.mean == [7.0] * 8
        assert v1.lower == [2.648] * 8
        assert v1.upper == [11.352] * 8
        # [7, 0, 0, 0]: π 0.25 → .325 → .2925 → .26325 → .236925, size 7; σ = sample sd 3.5
        assert v2.mean == [1.658] * 8
        assert v2.lower == [0.0] * 8
        assert v2.upper == [7.415] * 8
        # sold on every weekday alike
        assert v1.weekday_shares == pytest.approx([1 / 7] * 7, abs=1e-5)
        assert (v1.recent_4w, v1.recent_13w, v2.recent_4w) == (28.0, 28.0, 7.0)
        run = (await _runs(db, store))[-1]
        assert (run.history_weeks, run.horizon_weeks, run.interval_level) == (4, 8, 0.9)

    async def test_a_second_run_on_the_same_sales_does_nothing(
        self, db: Database, store: Store, sales: dict[str, int]
    ) -> None:
        first = await jobs.forecast(db, store_id=store.id, today=TODAY)

        second = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert second.status is JobStatus.UNCHANGED
        assert second.run_id == first.run_id
        assert len(await _runs(db, store)) == 1

    async def test_sales_in_the_running_week_or_cancelled_do_not_refit(
        self, db: Database, store: Store, sales: dict[str, int]
    ) -> None:
        first = await jobs.forecast(db, store_id=store.id, today=TODAY)
        async with db.transaction() as s:
            customer = await factories.create_customer(s, store)
            variant = await _variant(s, sales["v1"])
            await sell(s, store, customer, variant, days=[MONDAY, TODAY], quantity=50)
            await sell(
                s,
                store,
                customer,
                variant,
                days=[MONDAY - dt.timedelta(days=3)],
                quantity=50,
                status="cancelled",
            )

        again = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert again.status is JobStatus.UNCHANGED
        assert again.run_id == first.run_id

    async def test_a_past_sale_arriving_late_refits(
        self, db: Database, store: Store, sales: dict[str, int]
    ) -> None:
        first = await jobs.forecast(db, store_id=store.id, today=TODAY)
        async with db.transaction() as s:
            variant = await _variant(s, sales["v3"])
            await sell(s, store, None, variant, days=[MONDAY - dt.timedelta(days=2)], quantity=3)

        again = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert again.status is JobStatus.DONE
        assert again.run_id != first.run_id
        assert again.series == 3

    async def test_force_refits_and_only_three_runs_are_kept(
        self, db: Database, store: Store, sales: dict[str, int]
    ) -> None:
        ids = [
            (await jobs.forecast(db, store_id=store.id, today=TODAY, force=True)).run_id
            for _ in range(4)
        ]

        runs = await _runs(db, store)

        assert [r.id for r in runs] == ids[1:]
        async with db.reading() as s:
            kept = await s.scalar(
                select(func.count(DemandForecast.id)).where(DemandForecast.store_id == store.id)
            )
        assert kept == 3 * 2

    async def test_a_store_without_sales_records_an_empty_run(
        self, db: Database, store: Store
    ) -> None:
        outcome = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert outcome.status is JobStatus.NO_SALES
        assert (outcome.series, outcome.method) == (0, "none")
        assert len(await _runs(db, store)) == 1

    async def test_reads_only_its_own_stores_sales(
        self, db: Database, store: Store, other_store: Store, sales: dict[str, int]
    ) -> None:
        outcome = await jobs.forecast(db, store_id=other_store.id, today=TODAY)

        assert outcome.status is JobStatus.NO_SALES
        assert await _runs(db, store) == []

    async def test_the_pooled_model_takes_over_with_enough_weeks(
        self, db: Database, store: Store
    ) -> None:
        async with db.transaction() as s:
            product = await factories.create_product(s, store)
            variants = await _variants(s, product.id)
            for i, variant in enumerate(variants):
                days = days_back(MONDAY, 20)[i::2]
                await sell(s, store, None, variant, days=days, quantity=i + 1)

        outcome = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert (outcome.status, outcome.method, outcome.series) == (JobStatus.DONE, "pooled", 3)
        forecasts = await _forecasts(db, store, outcome.run_id or 0)
        for row in forecasts.values():
            assert len(row.point) == 8
            assert all(
                lo <= p <= hi for lo, p, hi in zip(row.lower, row.point, row.upper, strict=True)
            )


class TestSteadySellerAmongSlowSellers:
    """26 weeks before MONDAY: one variant sells 28 and 32 in turn (one order each Wednesday,
    30 a week), one sells 8 every fourth week, and 80 sell one unit once each — most of the
    store's variant-weeks sell nothing, as in a small shop (or the demo store)."""

    async def test_the_served_weekly_median_is_near_what_it_sells_each_week(
        self, db: Database, store: Store, admin: httpx.AsyncClient
    ) -> None:
        weeks = 26
        start = MONDAY - dt.timedelta(weeks=weeks)
        async with db.transaction() as s:
            product = await factories.create_product(
                s,
                store,
                variants=[{"options": {"size": f"S{i}"}, "price": 1000} for i in range(82)],
            )
            steady, lumpy, *slow = await _variants(s, product.id)
            for week in range(weeks):
                wednesday = start + dt.timedelta(weeks=week, days=2)
                quantity = 28 if week % 2 == 0 else 32
                await sell(s, store, None, steady, days=[wednesday], quantity=quantity)
                if week % 4 == 3:
                    await sell(s, store, None, lumpy, days=[wednesday], quantity=8)
            for i, variant in enumerate(slow):
                await sell(
                    s, store, None, variant, days=[start + dt.timedelta(weeks=7 * i % weeks)]
                )

        outcome = await jobs.forecast(db, store_id=store.id, today=TODAY)

        assert (outcome.method, outcome.series) == ("pooled", 82)
        served = {}
        for variant in (steady, lumpy):
            response = await admin.get(
                f"/v1/insights/forecasts/{variant.id}", params={"frequency": "week"}
            )
            assert response.status_code == 200, response.text
            served[variant.id] = response.json()["points"]
        weekly = served[steady.id]
        assert len(weekly) == 8
        # 28 or 32 every week: median and mean within 10 % of 30; the 5 % bound within 20 %
        # (it never sold fewer than 28). The median fit used to stall at 3.2 here.
        for p in weekly:
            assert 27.0 <= p["point"] <= 33.0, p
            assert 27.0 <= p["mean"] <= 33.0, p
            assert 24.0 <= p["lower"] <= p["point"] <= p["upper"] <= 36.0, p
        # three weeks in four sell nothing: its median week sells (almost) nothing
        assert all(p["point"] <= 1.0 for p in served[lumpy.id])
