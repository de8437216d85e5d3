"""Syncing a store from the fake Shopify: full, repeated, incremental, partial and failed runs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floorwalker.config import Settings
from floorwalker.connectors.errors import ConnectionPaused
from floorwalker.connectors.models import Connection, DeadLetter, SyncRun
from floorwalker.connectors.sync import sync_connection
from floorwalker.customers.models import Customer
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order
from floorwalker.stores.models import Store
from tests.connectors.fakes.server import Fault
from tests.connectors.fakes.shopify import FakeShopify, fill, product_node, variant_node
from tests.connectors.helpers import (
    catalog_snapshot,
    connect,
    count,
    encryptor,
    order_by_external,
    stock_snapshot,
)


async def run(db: Database, settings: Settings, store: Store, shopify: FakeShopify, **kw: object):  # type: ignore[no-untyped-def]
    return await sync_connection(
        db,
        encryptor(settings),
        Actor.system(store.id),
        "shopify",
        connector_options={"sleep": shopify.clock.sleep},
        **kw,  # type: ignore[arg-type]
    )


class TestFullSync:
    async def test_loads_products_stock_customers_and_orders(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )

        result = await run(db, settings, store, shopify, full=True)

        assert [
            (r.resource, r.status, r.created, r.updated, r.unchanged, r.failed)
            for r in result.resources
        ] == [
            ("locations", "succeeded", 1, 0, 0, 0),
            ("products", "succeeded", 2, 0, 0, 0),
            ("inventory", "succeeded", 3, 0, 0, 0),
            ("customers", "succeeded", 1, 0, 0, 0),
            ("orders", "succeeded", 1, 0, 0, 0),
        ]
        assert await catalog_snapshot(db, store) == [
            ("1", "Linen Shirt", "active", "11", "LS-M-BLU", 4500, None),
            ("1", "Linen Shirt", "active", "12", "LS-L-BLU", 4500, 5500),
            ("2", "Canvas Tote", "active", "21", "TOTE", 1999, None),
        ]
        assert await stock_snapshot(db, store) == [("11", 5, 0), ("12", 0, 0), ("21", 12, 0)]
        async with db.reading() as s:
            customer = await s.scalar(select(Customer).where(Customer.store_id == store.id))
        assert customer is not None
        assert (customer.source, customer.external_id, customer.email) == (
            "shopify",
            "7",
            "ada@example.com",
        )
        assert customer.accepts_marketing is True
        order = await order_by_external(db, store, "1001")
        assert order is not None
        assert (order.number, order.status, order.total, order.customer_id) == (
            "#1001",
            "pending",
            9000,
            customer.id,
        )

    async def test_a_second_sync_changes_nothing(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )
        await run(db, settings, store, shopify, full=True)
        before = (await catalog_snapshot(db, store), await stock_snapshot(db, store))

        again = await run(db, settings, store, shopify, full=True)

        assert [(r.created, r.updated, r.failed) for r in again.resources] == [(0, 0, 0)] * 5
        assert [r.unchanged for r in again.resources] == [1, 2, 3, 1, 1]
        assert (await catalog_snapshot(db, store), await stock_snapshot(db, store)) == before
        assert await count(db, Order, store) == 1


class TestIncrementalSync:
    async def test_fetches_only_what_changed_since_the_last_run(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )
        await run(db, settings, store, shopify, full=True)
        shopify.products[1] = product_node(
            2,
            title="Canvas Tote",
            product_type="Bags",
            updated_at="2024-06-01T08:00:00Z",
            variants=[
                variant_node(
                    21,
                    price="24.00",
                    sku="TOTE",
                    inventory_item=921,
                    updated_at="2024-06-01T08:00:00Z",
                )
            ],
        )
        shopify.requests.clear()

        result = await run(db, settings, store, shopify, resources=["products"])

        (products,) = result.resources
        # The one-minute overlap brings the shirt (changed at the old mark) back: the ledger
        # sees the same version and leaves it alone.
        assert (products.created, products.updated, products.unchanged) == (0, 1, 1)
        query = next(r for r in shopify.requests if r["operation"] == "Products")
        assert query["variables"]["query"] == "updated_at:>'2024-05-01T09:59:00+00:00'"
        assert (await catalog_snapshot(db, store))[-1] == (
            "2",
            "Canvas Tote",
            "active",
            "21",
            "TOTE",
            2400,
            None,
        )
        async with db.reading() as s:
            connection = await s.scalar(select(Connection).where(Connection.store_id == store.id))
        assert connection is not None
        assert connection.sync_state["products"]["since"] == "2024-06-01T08:00:00+00:00"


class TestPartialAndFailedSyncs:
    async def test_a_record_the_store_refuses_becomes_a_dead_letter_and_the_rest_go_in(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        # Two variants with the same option values: Floorwalker cannot tell them apart.
        shopify.products[0]["_variants"][1]["selectedOptions"] = [
            {"name": "Size", "value": "M"},
            {"name": "Colour", "value": "Blue"},
        ]
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )

        result = await run(db, settings, store, shopify, resources=["products"])

        (products,) = result.resources
        assert (products.status, products.created, products.failed) == ("partial", 1, 1)
        async with db.reading() as s:
            letters = (
                await s.scalars(select(DeadLetter).where(DeadLetter.store_id == store.id))
            ).all()
            run_row = await s.get(SyncRun, products.run_id)
        assert [(d.origin, d.topic, d.external_id, d.status) for d in letters] == [
            ("sync", "record:product", "1", "open")
        ]
        assert letters[0].error.startswith("validation_error")
        assert run_row is not None
        assert run_row.errors == [{"external_id": "1", "field": None, "reason": letters[0].error}]
        assert await catalog_snapshot(db, store) == [
            ("2", "Canvas Tote", "active", "21", "TOTE", 1999, None)
        ]

    async def test_a_platform_that_stays_down_fails_the_run_and_keeps_the_cursor(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )
        shopify.server.fail(Fault(status=503), Fault(status=503), Fault(status=503))

        result = await run(db, settings, store, shopify, resources=["products", "orders"])

        assert [(r.resource, r.status) for r in result.resources] == [("products", "failed")]
        async with db.reading() as s:
            connection = await s.scalar(select(Connection).where(Connection.store_id == store.id))
            runs = (await s.scalars(select(SyncRun).where(SyncRun.store_id == store.id))).all()
        assert connection is not None
        assert connection.status == "error"
        assert connection.sync_state == {}
        assert connection.last_error is not None
        assert connection.last_error.startswith("platform_unavailable")
        assert [(r.status, r.created) for r in runs] == [("failed", 0)]
        assert await catalog_snapshot(db, store) == []
        assert shopify.clock.sleeps == [1.0, 2.0]

    async def test_a_paused_connection_does_not_sync(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        connection = await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )
        async with db.transaction() as s:
            row = await s.get(Connection, connection.id)
            assert row is not None
            row.status = "paused"

        with pytest.raises(ConnectionPaused):
            await run(db, settings, store, shopify)

        assert shopify.requests == []
