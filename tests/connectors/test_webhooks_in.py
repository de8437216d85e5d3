"""Inbound platform webhooks over real HTTP: signatures, duplicates, order, dead letters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from floorwalker.config import Settings
from floorwalker.connectors.models import (
    Connection,
    DeadLetter,
    PrivacyRequest,
    WebhookReceipt,
)
from floorwalker.connectors.shopify.webhooks import sign as shopify_sign
from floorwalker.connectors.sync import sync_connection
from floorwalker.connectors.woocommerce.client import sign as woo_sign
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders.models import PaymentTransaction
from floorwalker.stores.models import Store
from tests.connectors.fakes.shopify import (
    FakeShopify,
    fill,
    inventory_webhook,
    product_webhook,
)
from tests.connectors.fakes.woocommerce import (
    FakeWooCommerce,
    simple_product,
    variable_product,
    variation,
)
from tests.connectors.helpers import (
    WEBHOOK_SECRET,
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


async def shopify_connection(
    db: Database, settings: Settings, store: Store, shopify: FakeShopify
) -> Connection:
    return await connect(
        db,
        settings,
        store,
        platform="shopify",
        base_url=shopify.url,
        credentials={"access_token": shopify.token},
    )


def shopify_headers(
    body: bytes, topic: str, webhook_id: str, secret: str = WEBHOOK_SECRET
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": shopify_sign(body, secret),
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Shop-Domain": "fake.myshopify.com",
        "X-Shopify-API-Version": "2025-01",
    }


async def post_shopify(
    http: httpx.AsyncClient,
    connection: Connection,
    payload: dict[str, Any],
    *,
    topic: str = "products/update",
    webhook_id: str = "wh-1",
    secret: str = WEBHOOK_SECRET,
    body: bytes | None = None,
) -> httpx.Response:
    raw = json.dumps(payload).encode()
    headers = shopify_headers(raw, topic, webhook_id, secret)
    return await http.post(
        f"/v1/webhooks/shopify/{connection.webhook_token}", content=body or raw, headers=headers
    )


async def receipts(db: Database, store: Store) -> list[tuple[str, str, str]]:
    async with db.reading() as s:
        rows = await s.execute(
            select(WebhookReceipt.webhook_id, WebhookReceipt.topic, WebhookReceipt.status)
            .where(WebhookReceipt.store_id == store.id)
            .order_by(WebhookReceipt.id)
        )
        return [(r[0], r[1], r[2]) for r in rows.all()]


async def letters(db: Database, store: Store) -> list[DeadLetter]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(DeadLetter).where(DeadLetter.store_id == store.id).order_by(DeadLetter.id)
        )
        return list(rows.all())


class TestShopifySignatures:
    async def test_a_signed_product_update_is_applied(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        payload = product_webhook(
            1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00-04:00"
        )

        response = await post_shopify(http, connection, payload)

        assert response.status_code == 200
        assert response.json() == {"status": "applied", "detail": ""}
        assert await catalog_snapshot(db, store) == [
            ("1", "Linen Shirt", "active", "11", "SKU-11", 4500, None)
        ]
        assert await receipts(db, store) == [("wh-1", "products/update", "applied")]

    async def test_a_tampered_body_is_refused_and_changes_nothing(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        payload = product_webhook(
            1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00Z"
        )
        tampered = json.dumps({**payload, "title": "Free Shirt"}).encode()

        response = await post_shopify(http, connection, payload, body=tampered)

        assert response.status_code == 401
        assert response.json() == {
            "error": "invalid_webhook_signature",
            "detail": "The webhook signature does not match.",
        }
        assert await catalog_snapshot(db, store) == []
        assert await receipts(db, store) == []
        assert await letters(db, store) == []

    async def test_a_body_signed_with_another_secret_is_refused(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        payload = product_webhook(
            1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00Z"
        )

        response = await post_shopify(http, connection, payload, secret="not-the-secret")

        assert response.status_code == 401
        assert await catalog_snapshot(db, store) == []
        assert await receipts(db, store) == []

    async def test_an_unsigned_body_is_refused(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        raw = json.dumps(
            product_webhook(1, title="X", price="1.00", updated_at="2024-05-01T12:00:00Z")
        )

        response = await http.post(
            f"/v1/webhooks/shopify/{connection.webhook_token}",
            content=raw,
            headers={"X-Shopify-Topic": "products/update", "X-Shopify-Webhook-Id": "wh-9"},
        )

        assert response.status_code == 401
        assert await catalog_snapshot(db, store) == []

    async def test_an_unknown_webhook_address_is_404(self, http: httpx.AsyncClient) -> None:
        response = await http.post("/v1/webhooks/shopify/wh_nope", content=b"{}")

        assert response.status_code == 404
        assert response.json()["error"] == "connection_not_found"


class TestShopifyDuplicatesAndOrder:
    async def test_the_same_delivery_twice_is_applied_once(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        first = product_webhook(
            1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00Z"
        )
        await post_shopify(http, connection, first, webhook_id="wh-7")
        # A replay of the same delivery id, even carrying other (validly signed) content.
        replayed = product_webhook(
            1, title="Linen Shirt", price="1.00", updated_at="2024-05-02T12:00:00Z"
        )

        response = await post_shopify(http, connection, replayed, webhook_id="wh-7")

        assert response.status_code == 200
        assert response.json()["status"] == "duplicate"
        assert await catalog_snapshot(db, store) == [
            ("1", "Linen Shirt", "active", "11", "SKU-11", 4500, None)
        ]
        assert await receipts(db, store) == [("wh-7", "products/update", "applied")]

    async def test_an_older_update_arriving_late_does_not_overwrite_a_newer_one(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        newer = product_webhook(
            1, title="Linen Shirt", price="50.00", updated_at="2024-05-01T12:00:00Z"
        )
        older = product_webhook(
            1, title="Linen Shirt", price="40.00", updated_at="2024-05-01T11:00:00Z"
        )
        await post_shopify(http, connection, newer, webhook_id="wh-new")

        response = await post_shopify(http, connection, older, webhook_id="wh-old")

        assert response.json()["status"] == "stale"
        assert await catalog_snapshot(db, store) == [
            ("1", "Linen Shirt", "active", "11", "SKU-11", 5000, None)
        ]
        assert await receipts(db, store) == [
            ("wh-new", "products/update", "applied"),
            ("wh-old", "products/update", "stale"),
        ]

    async def test_stock_updates_apply_in_time_order_per_item(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        await post_shopify(
            http,
            connection,
            product_webhook(
                1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00Z"
            ),
        )
        await post_shopify(
            http,
            connection,
            inventory_webhook(911, 1, 7, "2024-05-01T13:00:00Z"),
            topic="inventory_levels/update",
            webhook_id="inv-2",
        )

        late = await post_shopify(
            http,
            connection,
            inventory_webhook(911, 1, 3, "2024-05-01T12:30:00Z"),
            topic="inventory_levels/update",
            webhook_id="inv-1",
        )

        assert late.json()["status"] == "stale"
        assert await stock_snapshot(db, store) == [("11", 7, 0)]


class TestDeadLetters:
    async def test_stock_for_an_unknown_item_is_kept_and_replays_once_the_product_exists(
        self,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)

        early = await post_shopify(
            http,
            connection,
            inventory_webhook(911, 1, 6, "2024-05-01T13:00:00Z"),
            topic="inventory_levels/update",
            webhook_id="inv-early",
        )

        assert early.status_code == 200
        assert early.json()["status"] == "dead_letter"
        (letter,) = await letters(db, store)
        assert (letter.topic, letter.external_id, letter.status) == (
            "inventory_levels/update",
            "911:1",
            "open",
        )
        assert letter.error.startswith("unknown_inventory_item")
        assert await stock_snapshot(db, store) == []

        await post_shopify(
            http,
            connection,
            product_webhook(
                1, title="Linen Shirt", price="45.00", updated_at="2024-05-01T12:00:00Z"
            ),
        )
        listed = await admin.get("/v1/dead-letters")
        replayed = await admin.post(f"/v1/dead-letters/{letter.id}/replay")

        assert [d["id"] for d in listed.json()["items"]] == [letter.id]
        assert replayed.status_code == 200
        assert (replayed.json()["status"], replayed.json()["attempts"]) == ("resolved", 2)
        assert await stock_snapshot(db, store) == [("11", 6, 0)]
        assert (await admin.get("/v1/dead-letters")).json()["items"] == []

    async def test_a_replay_that_still_fails_keeps_the_letter_open(
        self,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        await post_shopify(
            http,
            connection,
            inventory_webhook(911, 1, 6, "2024-05-01T13:00:00Z"),
            topic="inventory_levels/update",
            webhook_id="inv-early",
        )
        (letter,) = await letters(db, store)

        replayed = await admin.post(f"/v1/dead-letters/{letter.id}/replay")

        assert (replayed.json()["status"], replayed.json()["attempts"]) == ("open", 2)
        assert await stock_snapshot(db, store) == []


class TestPrivacyWebhooks:
    async def test_mandatory_privacy_requests_are_recorded(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)
        redact = {
            "shop_id": 954889,
            "shop_domain": "fake.myshopify.com",
            "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
            "orders_to_redact": [1299, 1300],
        }
        request = {
            "shop_id": 954889,
            "shop_domain": "fake.myshopify.com",
            "orders_requested": [1299],
            "customer": {"id": 191167, "email": "john@example.com", "phone": "555-625-1199"},
            "data_request": {"id": 9999},
        }

        first = await post_shopify(
            http, connection, redact, topic="customers/redact", webhook_id="p-1"
        )
        second = await post_shopify(
            http, connection, request, topic="customers/data_request", webhook_id="p-2"
        )
        third = await post_shopify(
            http,
            connection,
            {"shop_id": 954889, "shop_domain": "fake.myshopify.com"},
            topic="shop/redact",
            webhook_id="p-3",
        )

        assert [r.json()["status"] for r in (first, second, third)] == ["applied"] * 3
        async with db.reading() as s:
            rows = (
                await s.scalars(
                    select(PrivacyRequest)
                    .where(PrivacyRequest.store_id == store.id)
                    .order_by(PrivacyRequest.id)
                )
            ).all()
        assert [(r.kind, r.customer_external_id, r.order_external_ids, r.status) for r in rows] == [
            ("customer_redact", "191167", ["1299", "1300"], "received"),
            ("customer_data_request", "191167", ["1299"], "received"),
            ("shop_redact", None, [], "received"),
        ]


class TestWooCommerceWebhooks:
    async def _connection(
        self, db: Database, settings: Settings, store: Store, woo: FakeWooCommerce
    ) -> Connection:
        return await connect(
            db,
            settings,
            store,
            platform="woocommerce",
            base_url=woo.url,
            credentials={"consumer_key": woo.key, "consumer_secret": woo.secret},
        )

    async def _post(
        self,
        http: httpx.AsyncClient,
        connection: Connection,
        payload: dict[str, Any],
        *,
        topic: str = "product.updated",
        delivery: str = "d-1",
        secret: str = WEBHOOK_SECRET,
        body: bytes | None = None,
    ) -> httpx.Response:
        raw = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": topic.split(".")[0],
            "X-WC-Webhook-Event": topic.split(".")[1],
            "X-WC-Webhook-Signature": woo_sign(raw, secret),
            "X-WC-Webhook-ID": "12",
            "X-WC-Webhook-Delivery-ID": delivery,
        }
        return await http.post(
            f"/v1/webhooks/woocommerce/{connection.webhook_token}",
            content=body or raw,
            headers=headers,
        )

    async def test_a_signed_simple_product_is_applied_with_its_stock(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        woo: FakeWooCommerce,
    ) -> None:
        connection = await self._connection(db, settings, store, woo)

        response = await self._post(
            http,
            connection,
            simple_product(31, name="Canvas Tote", price="19.99", sku="TOTE", stock=8),
        )

        assert response.json()["status"] == "applied"
        assert await catalog_snapshot(db, store) == [
            ("31", "Canvas Tote", "active", "31", "TOTE", 1999, None)
        ]
        assert await stock_snapshot(db, store) == [("31", 8, 0)]

    async def test_a_variable_product_brings_its_variations(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        woo: FakeWooCommerce,
    ) -> None:
        connection = await self._connection(db, settings, store, woo)
        woo.variations[40] = [
            variation(41, size="S", price="80.00", sku="JMP-S", stock=2),
            variation(42, size="M", price="85.00", sku="JMP-M", stock=0),
        ]

        response = await self._post(
            http, connection, variable_product(40, name="Merino Jumper", sizes=["S", "M"])
        )

        assert response.json()["status"] == "applied"
        assert await catalog_snapshot(db, store) == [
            ("40", "Merino Jumper", "active", "41", "JMP-S", 8000, None),
            ("40", "Merino Jumper", "active", "42", "JMP-M", 8500, None),
        ]
        assert await stock_snapshot(db, store) == [("41", 2, 0), ("42", 0, 0)]

    async def test_a_tampered_body_and_a_replayed_delivery_change_nothing(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        woo: FakeWooCommerce,
    ) -> None:
        connection = await self._connection(db, settings, store, woo)
        product = simple_product(31, name="Canvas Tote", price="19.99", sku="TOTE", stock=8)
        await self._post(http, connection, product, delivery="d-5")
        before = await catalog_snapshot(db, store)

        tampered = await self._post(
            http,
            connection,
            product,
            delivery="d-6",
            body=json.dumps({**product, "price": "0.01", "regular_price": "0.01"}).encode(),
        )
        replayed = await self._post(
            http,
            connection,
            {
                **product,
                "regular_price": "0.01",
                "price": "0.01",
                "date_modified_gmt": "2024-09-01T00:00:00",
            },
            delivery="d-5",
        )

        assert tampered.status_code == 401
        assert replayed.json()["status"] == "duplicate"
        assert await catalog_snapshot(db, store) == before

    async def test_the_unsigned_ping_of_a_new_webhook_is_acknowledged(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        woo: FakeWooCommerce,
    ) -> None:
        connection = await self._connection(db, settings, store, woo)

        response = await http.post(
            f"/v1/webhooks/woocommerce/{connection.webhook_token}",
            content=b"webhook_id=12",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

        assert response.json() == {"status": "ping", "detail": ""}
        assert await receipts(db, store) == []


def order_webhook(number: int, updated_at: str, note: str = "") -> dict[str, Any]:
    """An orders/updated body (order webhooks carry no transactions)."""
    return {
        "id": number,
        "name": f"#{number}",
        "email": "ada@example.com",
        "currency": "USD",
        "created_at": "2024-05-02T09:00:00Z",
        "updated_at": updated_at,
        "processed_at": "2024-05-02T09:00:00Z",
        "cancelled_at": None,
        "financial_status": "paid",
        "fulfillment_status": None,
        "note": note,
        "total_price": "90.00",
        "total_tax": "0.00",
        "total_discounts": "0.00",
        "payment_gateway_names": ["shopify_payments"],
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


class TestShopifyOrderWebhooks:
    async def test_a_new_order_gets_its_paid_total_as_payment(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        connection = await shopify_connection(db, settings, store, shopify)

        response = await post_shopify(
            http,
            connection,
            order_webhook(2001, "2024-05-02T10:00:00Z"),
            topic="orders/create",
            webhook_id="o-new",
        )

        assert response.json()["status"] == "applied"
        local = await order_by_external(db, store, "2001")
        assert local is not None
        async with db.reading() as s:
            payments = (
                await s.execute(
                    select(
                        PaymentTransaction.kind,
                        PaymentTransaction.amount,
                        PaymentTransaction.method_label,
                    ).where(PaymentTransaction.order_id == local.id)
                )
            ).all()
        assert (local.number, local.status, local.total) == ("#2001", "pending", 9000)
        assert [tuple(p) for p in payments] == [("payment", 9000, "Shopify Payments")]

    async def test_an_update_keeps_the_transactions_the_sync_read(
        self,
        http: httpx.AsyncClient,
        db: Database,
        settings: Settings,
        store: Store,
        shopify: FakeShopify,
    ) -> None:
        fill(shopify)
        connection = await shopify_connection(db, settings, store, shopify)
        await sync_connection(
            db,
            encryptor(settings),
            Actor.system(store.id),
            "shopify",
            full=True,
            connector_options={"sleep": shopify.clock.sleep},
        )

        response = await post_shopify(
            http,
            connection,
            order_webhook(1001, "2024-05-03T10:00:00Z", "gift wrap"),
            topic="orders/updated",
            webhook_id="o-upd",
        )

        assert response.json()["status"] == "applied"
        local = await order_by_external(db, store, "1001")
        assert local is not None
        assert local.note == "gift wrap"
        async with db.reading() as s:
            external = (
                await s.scalars(
                    select(PaymentTransaction.external_id).where(
                        PaymentTransaction.order_id == local.id
                    )
                )
            ).all()
        assert list(external) == ["100100"]
