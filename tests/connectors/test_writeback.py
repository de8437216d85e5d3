"""Write-back: order changes made in Floorwalker reach the source platform, exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from floorwalker.catalog.models import Variant
from floorwalker.config import Settings
from floorwalker.connectors.delivery import deliver_due
from floorwalker.connectors.jobs import queue_writebacks
from floorwalker.connectors.models import Delivery
from floorwalker.connectors.sync import sync_connection
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.orders import service as orders_service
from floorwalker.orders.models import OrderLine
from floorwalker.orders.schemas.inputs import AddressInput, LineSwap, ReturnItem
from floorwalker.stores.models import Store
from tests import factories
from tests.connectors.fakes.receiver import Receiver
from tests.connectors.fakes.server import Fault
from tests.connectors.fakes.shopify import FakeShopify, fill, order_node
from tests.connectors.fakes.woocommerce import FakeWooCommerce, customer, order, simple_product
from tests.connectors.helpers import connect, encryptor, order_by_external
from tests.connectors.test_webhooks_in import post_shopify


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    fake = Receiver().start()
    yield fake
    fake.stop()


@pytest.fixture
def woo() -> Iterator[FakeWooCommerce]:
    fake = FakeWooCommerce().start()
    yield fake
    fake.stop()


async def deliveries(db: Database, store: Store) -> list[tuple[str, str, str, int]]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(Delivery).where(Delivery.store_id == store.id).order_by(Delivery.id)
        )
        return [(d.target.split(":")[0], d.event_type, d.status, d.attempts) for d in rows]


async def shopify_store(db: Database, settings: Settings, store: Store, shopify: FakeShopify):  # type: ignore[no-untyped-def]
    fill(shopify)
    connection = await connect(
        db,
        settings,
        store,
        platform="shopify",
        base_url=shopify.url,
        credentials={"access_token": shopify.token},
    )
    await sync_connection(
        db,
        encryptor(settings),
        Actor.system(store.id),
        "shopify",
        full=True,
        connector_options={"sleep": shopify.clock.sleep},
    )
    return connection


async def cancel(db: Database, store: Store, external_id: str) -> int:
    local = await order_by_external(db, store, external_id)
    assert local is not None
    async with db.transaction() as s:
        await orders_service.cancel(
            s, Actor.system(store.id, "staff"), order_id=local.id, reason="no longer needed"
        )
    return local.id


class TestShopifyWriteBack:
    async def test_a_cancel_reaches_shopify_once(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        await shopify_store(db, settings, store, shopify)
        await cancel(db, store, "1001")

        first = await queue_writebacks(db, store.id)
        second = await queue_writebacks(db, store.id)
        report = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )
        again = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )

        assert (first, second) == (1, 0)
        assert (report.delivered, again.attempted) == (1, 0)
        (call,) = shopify.mutations
        assert call == (
            "OrderCancel",
            {
                "orderId": "gid://shopify/Order/1001",
                "reason": "CUSTOMER",
                "restock": True,
                "refundMethod": {"originalPaymentMethodsRefund": True},
                "staffNote": "Cancelled through Floorwalker: no longer needed",
                "notifyCustomer": True,
            },
        )
        assert await deliveries(db, store) == [("connection", "order.cancelled", "delivered", 1)]

    async def test_an_older_platform_update_does_not_undo_the_local_cancel(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_store(db, settings, store, shopify)
        await cancel(db, store, "1001")
        # Shopify sends an update it made before the cancel reached it (still open there).
        stale = {
            "id": 1001,
            "name": "#1001",
            "email": "ada@example.com",
            "currency": "USD",
            "created_at": "2024-05-02T09:00:00Z",
            "updated_at": "2024-05-03T10:00:00Z",
            "cancelled_at": None,
            "financial_status": "paid",
            "fulfillment_status": None,
            "total_price": "90.00",
            "customer": {"id": 7},
            "line_items": [
                {
                    "id": 51,
                    "variant_id": 11,
                    "title": "Linen Shirt",
                    "quantity": 2,
                    "price": "45.00",
                    "sku": "LS-M-BLU",
                }
            ],
        }

        response = await post_shopify(
            http, connection, stale, topic="orders/updated", webhook_id="o-1"
        )

        assert response.json()["status"] == "stale"
        local = await order_by_external(db, store, "1001")
        assert local is not None
        assert local.status == "cancelled"

    async def test_a_refusal_by_shopify_fails_visibly_and_a_hand_retry_sends_it_again(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        await shopify_store(db, settings, store, shopify)
        await cancel(db, store, "1001")
        await queue_writebacks(db, store.id)
        shopify.user_errors["OrderCancel"] = [
            {"field": ["orderId"], "message": "Order has pending authorizations", "code": "INVALID"}
        ]

        failed = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )
        listed = (await admin.get("/v1/deliveries", params={"status": "failed"})).json()["items"]
        shopify.user_errors.clear()
        await admin.post(f"/v1/deliveries/{listed[0]['id']}/retry")
        sent = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )

        assert failed.failed == 1
        assert (
            listed[0]["last_error"]
            == "Shopify refused orderCancel: Order has pending authorizations"
        )
        assert sent.delivered == 1
        assert [m[0] for m in shopify.mutations] == ["OrderCancel", "OrderCancel"]

    async def test_while_shopify_is_down_the_change_waits_and_is_sent_later(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        await shopify_store(db, settings, store, shopify)
        await cancel(db, store, "1001")
        await queue_writebacks(db, store.id)
        shopify.server.fail(Fault(status=503), Fault(status=503), Fault(status=503))

        down = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )

        assert down.retrying == 1
        assert shopify.mutations == []
        assert await deliveries(db, store) == [("connection", "order.cancelled", "pending", 1)]


class TestWooCommerceWriteBack:
    async def test_a_cancel_sets_the_status_and_refunds_through_the_gateway(
        self, db: Database, settings: Settings, store: Store, woo: FakeWooCommerce
    ) -> None:
        woo.products = [simple_product(31, name="Canvas Tote", price="19.99", sku="TOTE", stock=8)]
        woo.customers = [customer(5, email="grace@example.com")]
        woo.orders = [order(700, customer_id=5, lines=[(71, 31, 0, 2, 19.99)])]
        await connect(
            db,
            settings,
            store,
            platform="woocommerce",
            base_url=woo.url,
            credentials={"consumer_key": woo.key, "consumer_secret": woo.secret},
        )
        await sync_connection(
            db, encryptor(settings), Actor.system(store.id), "woocommerce", full=True
        )
        await cancel(db, store, "700")

        await queue_writebacks(db, store.id)
        report = await deliver_due(db, encryptor(settings), store_id=store.id)

        assert report.delivered == 1
        assert woo.writes == [
            ("PUT", "/orders/700", {"status": "cancelled"}),
            (
                "POST",
                "/orders/700/refunds",
                {
                    "amount": "39.98",
                    "reason": "Cancelled through Floorwalker: no longer needed",
                    "api_refund": True,
                },
            ),
        ]


class TestStoresWithoutAPlatform:
    async def test_an_api_order_change_is_announced_to_the_endpoints_only(
        self,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        receiver: Receiver,
    ) -> None:
        await admin.post(
            "/v1/webhook-endpoints", json={"url": receiver.url, "events": ["order.cancelled"]}
        )
        async with db.transaction() as s:
            location = await factories.create_location(s, store)
            product = await factories.create_product(s, store, location=location)
            shopper = await factories.create_customer(s, store)
        async with db.transaction() as s:
            variant = await s.scalar(
                select(Variant).where(Variant.product_id == product.id).order_by(Variant.position)
            )
            assert variant is not None
            local = await factories.create_order(s, store, shopper, lines=[(variant, 1)])
        async with db.transaction() as s:
            await orders_service.cancel(
                s, Actor.system(store.id), order_id=local.id, reason="no longer needed"
            )

        await queue_writebacks(db, store.id)
        await deliver_due(db, encryptor(settings), store_id=store.id)

        assert await deliveries(db, store) == [("endpoint", "order.cancelled", "delivered", 1)]
        (request,) = receiver.received
        body = json.loads(request["body"])
        assert (
            body["type"],
            body["data"]["order_id"],
            body["data"]["operation"],
            body["data"]["status"],
        ) == ("order.cancelled", local.id, "cancel", "cancelled")
        assert body["data"]["plan"]["reason"] == "no longer needed"


class TestMoreShopifyOperations:
    async def _sent(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        await queue_writebacks(db, store.id)
        report = await deliver_due(
            db,
            encryptor(settings),
            store_id=store.id,
            connector_options={"sleep": shopify.clock.sleep},
        )
        assert report.delivered == report.attempted

    async def test_an_address_change_updates_the_shipping_address(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        await shopify_store(db, settings, store, shopify)
        local = await order_by_external(db, store, "1001")
        assert local is not None
        async with db.transaction() as s:
            await orders_service.modify_address(
                s,
                Actor.system(store.id),
                order_id=local.id,
                address=AddressInput(
                    name="Ada Lovelace",
                    line1="1 Dorset St",
                    city="London",
                    postal_code="W1U 4EG",
                    country="GB",
                ),
            )

        await self._sent(db, settings, store, shopify)

        assert shopify.mutations == [
            (
                "OrderUpdate",
                {
                    "input": {
                        "id": "gid://shopify/Order/1001",
                        "shippingAddress": {
                            "firstName": "Ada",
                            "lastName": "Lovelace",
                            "address1": "1 Dorset St",
                            "address2": "",
                            "city": "London",
                            "province": "",
                            "zip": "W1U 4EG",
                            "countryCode": "GB",
                            "phone": None,
                        },
                    }
                },
            )
        ]

    async def test_swapped_items_go_through_an_order_edit(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        await shopify_store(db, settings, store, shopify)
        shopify.inventory[1]["inventoryLevels"]["nodes"][0]["quantities"][0]["quantity"] = 4
        shopify.inventory[1]["inventoryLevels"]["nodes"][0]["updatedAt"] = "2024-05-03T00:00:00Z"
        await sync_connection(
            db,
            encryptor(settings),
            Actor.system(store.id),
            "shopify",
            resources=["inventory"],
            connector_options={"sleep": shopify.clock.sleep},
        )
        local = await order_by_external(db, store, "1001")
        assert local is not None
        async with db.reading() as s:
            line = await s.scalar(select(OrderLine).where(OrderLine.order_id == local.id))
            large = await s.scalar(
                select(Variant).where(Variant.store_id == store.id, Variant.external_id == "12")
            )
        assert line is not None
        assert large is not None
        async with db.transaction() as s:
            await orders_service.modify_items(
                s,
                Actor.system(store.id),
                order_id=local.id,
                items=[LineSwap(line_id=line.id, variant_id=large.id)],
            )

        await self._sent(db, settings, store, shopify)

        assert [m[0] for m in shopify.mutations] == [
            "OrderEditBegin",
            "OrderEditSetQuantity",
            "OrderEditAddVariant",
            "OrderEditCommit",
        ]
        assert shopify.mutations[1][1]["lineItemId"] == "gid://shopify/CalculatedLineItem/51"
        assert shopify.mutations[1][1]["quantity"] == 0
        assert shopify.mutations[2][1]["variantId"] == "gid://shopify/ProductVariant/12"
        assert shopify.mutations[2][1]["quantity"] == 2

    async def test_a_return_creates_a_shopify_return_for_the_fulfilled_line(
        self, db: Database, settings: Settings, store: Store, shopify: FakeShopify
    ) -> None:
        fill(shopify)
        shopify.orders = [
            order_node(
                1002,
                name="#1002",
                customer=7,
                lines=[(61, 21, 1, "19.99")],
                fulfillment_status="FULFILLED",
                fulfilled=True,
                updated_at=utcnow().isoformat(),
            )
        ]
        await connect(
            db,
            settings,
            store,
            platform="shopify",
            base_url=shopify.url,
            credentials={"access_token": shopify.token},
        )
        await sync_connection(
            db,
            encryptor(settings),
            Actor.system(store.id),
            "shopify",
            full=True,
            connector_options={"sleep": shopify.clock.sleep},
        )
        local = await order_by_external(db, store, "1002")
        assert local is not None
        assert local.status == "delivered"
        async with db.reading() as s:
            line = await s.scalar(select(OrderLine).where(OrderLine.order_id == local.id))
        assert line is not None
        async with db.transaction() as s:
            await orders_service.return_items(
                s,
                Actor.system(store.id),
                order_id=local.id,
                items=[ReturnItem(line_id=line.id, quantity=1)],
                reason="too small",
            )

        await self._sent(db, settings, store, shopify)

        ((name, variables),) = shopify.mutations
        assert name == "ReturnCreate"
        assert variables == {
            "returnInput": {
                "orderId": "gid://shopify/Order/1002",
                "returnLineItems": [
                    {
                        "fulfillmentLineItemId": "gid://shopify/FulfillmentLineItem/427",
                        "quantity": 1,
                        "returnReason": "OTHER",
                        "returnReasonNote": "too small",
                    }
                ],
                "notifyCustomer": False,
            }
        }
