"""Syncing from the fake WooCommerce REST API: pages, variations, stock, orders, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from floorwalker.config import Settings
from floorwalker.connectors.sync import sync_connection
from floorwalker.customers.models import Address, Customer
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders.models import OrderLine
from floorwalker.stores.models import Store
from tests.connectors.fakes.server import Fault, VirtualClock
from tests.connectors.fakes.woocommerce import (
    FakeWooCommerce,
    customer,
    order,
    simple_product,
    variable_product,
    variation,
)
from tests.connectors.helpers import (
    catalog_snapshot,
    connect,
    encryptor,
    order_by_external,
    stock_snapshot,
)


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce().start()
    yield fake
    fake.stop()


def fill(woo: FakeWooCommerce, products: int = 3) -> None:
    woo.products = [
        simple_product(10 + n, name=f"Canvas Tote {n}", price="19.99", sku=f"TOTE-{n}", stock=n)
        for n in range(products)
    ]
    woo.products.append(variable_product(40, name="Merino Jumper", sizes=["S", "M"]))
    woo.variations[40] = [
        variation(41, size="S", price="80.00", sku="JMP-S", stock=2),
        variation(42, size="M", price="85.00", sku="JMP-M", stock=0),
    ]
    woo.customers = [customer(5, email="grace@example.com")]
    woo.orders = [order(700, customer_id=5, lines=[(71, 40, 41, 1, 80.0), (72, 10, 0, 2, 19.99)])]


async def run(db: Database, settings: Settings, store: Store, clock: VirtualClock, **kw: object):  # type: ignore[no-untyped-def]
    return await sync_connection(
        db,
        encryptor(settings),
        Actor.system(store.id),
        "woocommerce",
        connector_options={"sleep": clock.sleep},
        **kw,  # type: ignore[arg-type]
    )


async def woo_connection(
    db: Database, settings: Settings, store: Store, woo: FakeWooCommerce, **extra: object
) -> None:
    await connect(
        db,
        settings,
        store,
        platform="woocommerce",
        base_url=woo.url,
        credentials={"consumer_key": woo.key, "consumer_secret": woo.secret},
        extra=dict(extra),
    )


class TestWooCommerceSync:
    async def test_a_full_sync_reads_every_page_and_every_variation(
        self, db: Database, settings: Settings, store: Store, woo: FakeWooCommerce
    ) -> None:
        fill(woo, products=3)
        await woo_connection(db, settings, store, woo, page_size=2)

        result = await run(db, settings, store, VirtualClock(), full=True)

        assert [(r.resource, r.status, r.created, r.failed) for r in result.resources] == [
            ("locations", "succeeded", 1, 0),
            ("products", "succeeded", 4 + 5, 0),  # 4 products and their 5 stock levels
            ("inventory", "succeeded", 0, 0),
            ("customers", "succeeded", 1, 0),
            ("orders", "succeeded", 1, 0),
        ]
        pages = [r["query"]["page"] for r in woo.requests if r["path"].endswith("/products")]
        assert pages == ["1", "2"]
        assert await catalog_snapshot(db, store) == [
            ("10", "Canvas Tote 0", "active", "10", "TOTE-0", 1999, None),
            ("11", "Canvas Tote 1", "active", "11", "TOTE-1", 1999, None),
            ("12", "Canvas Tote 2", "active", "12", "TOTE-2", 1999, None),
            ("40", "Merino Jumper", "active", "41", "JMP-S", 8000, None),
            ("40", "Merino Jumper", "active", "42", "JMP-M", 8500, None),
        ]
        assert await stock_snapshot(db, store) == [
            ("10", 0, 0),
            ("11", 1, 0),
            ("12", 2, 0),
            ("41", 2, 0),
            ("42", 0, 0),
        ]
        async with db.reading() as s:
            grace = await s.scalar(select(Customer).where(Customer.store_id == store.id))
            addresses = (await s.scalars(select(Address).where(Address.store_id == store.id))).all()
        assert grace is not None
        assert (grace.external_id, grace.email, grace.phone) == (
            "5",
            "grace@example.com",
            "+1 555 0100",
        )
        assert [(a.line1, a.city, a.country, a.is_default) for a in addresses] == [
            ("1 Navy Yard", "Arlington", "US", True)
        ]
        placed = await order_by_external(db, store, "700")
        assert placed is not None
        assert (placed.number, placed.status, placed.total, placed.customer_id) == (
            "700",
            "pending",
            11998,
            grace.id,
        )
        async with db.reading() as s:
            lines = (
                await s.execute(
                    select(
                        OrderLine.external_id,
                        OrderLine.sku,
                        OrderLine.quantity,
                        OrderLine.unit_price,
                    )
                    .where(OrderLine.order_id == placed.id)
                    .order_by(OrderLine.position)
                )
            ).all()
        assert [tuple(r) for r in lines] == [("71", "JMP-S", 1, 8000), ("72", "TOTE-0", 2, 1999)]

    async def test_an_incremental_sync_asks_for_changes_since_the_last_one(
        self, db: Database, settings: Settings, store: Store, woo: FakeWooCommerce
    ) -> None:
        fill(woo, products=1)
        await woo_connection(db, settings, store, woo)
        await run(db, settings, store, VirtualClock(), full=True)
        woo.products[0] = simple_product(
            10,
            name="Canvas Tote 0",
            price="24.00",
            sku="TOTE-0",
            stock=4,
            modified="2024-06-01T08:00:00",
        )
        woo.requests.clear()

        result = await run(db, settings, store, VirtualClock(), resources=["products"])

        (products,) = result.resources
        assert (products.created, products.updated) == (0, 2)
        query = next(r["query"] for r in woo.requests if r["path"].endswith("/products"))
        assert (query["modified_after"], query["dates_are_gmt"]) == ("2024-05-01T09:59:00", "true")
        assert (await catalog_snapshot(db, store))[0] == (
            "10",
            "Canvas Tote 0",
            "active",
            "10",
            "TOTE-0",
            2400,
            None,
        )
        assert (await stock_snapshot(db, store))[0] == ("10", 4, 0)

    async def test_server_errors_are_retried_and_wrong_keys_fail_the_run(
        self, db: Database, settings: Settings, store: Store, woo: FakeWooCommerce
    ) -> None:
        fill(woo, products=1)
        await woo_connection(db, settings, store, woo)
        woo.server.fail(Fault(status=500), Fault(status=429, retry_after=3))
        clock = VirtualClock()

        result = await run(db, settings, store, clock, full=True, resources=["products"])

        assert result.resources[0].status == "succeeded"
        assert clock.sleeps == [1.0, 3.0]

        woo.secret = "cs_rotated"
        failed = await run(db, settings, store, VirtualClock(), resources=["customers"])

        assert failed.resources[0].status == "failed"
