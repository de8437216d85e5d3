"""RFM segments on a small fixture, and trending products."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import select

from floorwalker.catalog.models import Variant
from floorwalker.events.models import Event
from floorwalker.insights.analytics.rfm import Buyer, score, segment_of, summarise
from floorwalker.kit.db import Database
from floorwalker.stores.models import Store
from tests import factories
from tests.insights.builders import sell

BUYERS = [
    Buyer(1, recency_days=2, orders=6, spend=60000),
    Buyer(2, recency_days=10, orders=1, spend=3000),
    Buyer(3, recency_days=200, orders=5, spend=40000),
    Buyer(4, recency_days=30, orders=2, spend=8000),
    Buyer(5, recency_days=300, orders=1, spend=1000),
]


class TestRfmScores:
    def test_scores_rank_customers_against_each_other(self) -> None:
        scores = score(BUYERS)

        assert [(s.customer_id, s.r, s.f, s.m, s.segment) for s in scores] == [
            (1, 5, 5, 5, "champions"),
            (2, 4, 1, 2, "new"),
            (3, 2, 4, 4, "cant_lose"),
            (4, 3, 3, 3, "needs_attention"),
            (5, 1, 1, 1, "hibernating"),
        ]

    def test_ties_share_a_score(self) -> None:
        scores = score([Buyer(1, 5, 1, 100), Buyer(2, 5, 1, 100)])

        assert [(s.r, s.f, s.m) for s in scores] == [(1, 1, 1), (1, 1, 1)]

    @pytest.mark.parametrize(
        ("r", "f", "m", "orders", "segment"),
        [
            (5, 4, 3, 4, "loyal"),
            (2, 3, 1, 3, "at_risk"),
            (4, 2, 2, 2, "potential_loyal"),
            (1, 2, 5, 2, "hibernating"),
        ],
    )
    def test_segment_rules(self, r: int, f: int, m: int, orders: int, segment: str) -> None:
        assert segment_of(r, f, m, orders) == segment

    def test_summary_per_segment(self) -> None:
        summary = summarise(score(BUYERS))

        assert [(s.segment, s.customers, s.share, s.revenue) for s in summary] == [
            ("champions", 1, 0.2, 60000),
            ("new", 1, 0.2, 3000),
            ("needs_attention", 1, 0.2, 8000),
            ("cant_lose", 1, 0.2, 40000),
            ("hibernating", 1, 0.2, 1000),
        ]


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


class TestSegmentsApi:
    async def test_customers_by_segment_as_of_a_day(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        as_of = dt.date(2026, 6, 30)
        async with db.transaction() as s:
            product = await factories.create_product(
                s, store, variants=[{"options": {"size": "One"}, "price": 1000}]
            )
            variant = (
                await s.scalars(select(Variant).where(Variant.product_id == product.id))
            ).one()
            ids = []
            for buyer in BUYERS:
                customer = await factories.create_customer(s, store)
                ids.append(customer.id)
                last = as_of - dt.timedelta(days=buyer.recency_days)
                days = [last - dt.timedelta(days=i) for i in range(buyer.orders)]
                await sell(
                    s,
                    store,
                    customer,
                    variant,
                    days=days,
                    quantity=buyer.spend // 1000 // buyer.orders,
                )
            # a cancelled order and an order after the day do not count
            await sell(
                s,
                store,
                await factories.create_customer(s, store),
                variant,
                days=[as_of],
                status="cancelled",
            )
            await sell(
                s,
                store,
                await factories.create_customer(s, store),
                variant,
                days=[as_of + dt.timedelta(days=1)],
            )

        report = (await admin.get("/v1/insights/segments", params={"to": as_of.isoformat()})).json()

        assert (report["as_of"], report["customers"], report["lookback_days"]) == (
            "2026-06-30",
            5,
            365,
        )
        assert {s["customer_id"]: s["segment"] for s in report["scores"]} == dict(
            zip(
                ids,
                ["champions", "new", "cant_lose", "needs_attention", "hibernating"],
                strict=True,
            )
        )
        short = (
            await admin.get(
                "/v1/insights/segments", params={"to": as_of.isoformat(), "lookback_days": 100}
            )
        ).json()
        assert short["customers"] == 3  # the two last seen 200 and 300 days ago drop out


class TestTrending:
    async def test_growth_against_the_previous_period(
        self, admin: httpx.AsyncClient, db: Database, store: Store
    ) -> None:
        start = dt.date(2026, 6, 8)
        async with db.transaction() as s:
            products = {}
            for name, now, before in (("up", 5, 1), ("new", 3, 0), ("few", 2, 0), ("flat", 10, 10)):
                product = await factories.create_product(
                    s, store, title=name, variants=[{"options": {"size": "One"}, "price": 500}]
                )
                products[name] = product.id
                variant = (
                    await s.scalars(select(Variant).where(Variant.product_id == product.id))
                ).one()
                if now:
                    await sell(
                        s, store, None, variant, days=[start + dt.timedelta(days=1)], quantity=now
                    )
                if before:
                    await sell(
                        s,
                        store,
                        None,
                        variant,
                        days=[start - dt.timedelta(days=3)],
                        quantity=before,
                    )
            for i, when in enumerate(
                [start, start + dt.timedelta(days=2), start - dt.timedelta(days=1)]
            ):
                s.add(
                    Event(
                        store_id=store.id,
                        event_id=factories.unique("v"),
                        type="view",
                        occurred_at=noon(when),
                        session_id=f"s{i}",
                        product_id=products["up"],
                    )
                )

        report = (
            await admin.get(
                "/v1/insights/trending", params={"from": "2026-06-08", "to": "2026-06-14"}
            )
        ).json()

        assert report["previous"] == {
            "start": "2026-06-01",
            "end": "2026-06-07",
            "timezone": "Europe/London",
        }
        assert [
            (
                p["title"],
                p["units"],
                p["units_before"],
                p["growth"],
                p["views"],
                p["views_before"],
                p["revenue"],
            )
            for p in report["products"]
        ] == [
            ("new", 3, 0, 4.0, 0, 0, 1500),
            ("up", 5, 1, 3.0, 2, 1, 2500),
            ("flat", 10, 10, 1.0, 0, 0, 5000),
        ]
