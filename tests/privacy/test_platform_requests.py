"""Shopify's mandatory privacy webhooks, received over real HTTP and answered by the privacy
services: customers/redact erases, customers/data_request points at the export, shop/redact
erases everything that came from the shop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from floorwalker.config import Settings
from floorwalker.connectors.models import Connection, PrivacyRequest
from floorwalker.connectors.shopify.webhooks import sign
from floorwalker.customers.models import Customer
from floorwalker.kit.db import Database
from floorwalker.orders.models import Order
from floorwalker.privacy import jobs
from floorwalker.stores.models import Store
from tests.connectors.fakes.shopify import FakeShopify
from tests.connectors.helpers import WEBHOOK_SECRET, connect
from tests.privacy.conftest import Person, find_pii, make_person

SHOP = {"shop_id": 954889, "shop_domain": "fake.myshopify.com"}


@pytest.fixture
def shopify() -> Iterator[FakeShopify]:
    fake = FakeShopify().start()
    yield fake
    fake.stop()


@pytest.fixture
async def connection(
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


async def from_shopify(db: Database, person: Person, external_id: str, orders: list[str]) -> None:
    """Make the person's records look imported from Shopify (source and platform ids)."""
    async with db.transaction() as s:
        customer = await s.get(Customer, person.customer_id)
        assert customer is not None
        customer.source, customer.external_id = "shopify", external_id
        for order_id, external in zip(
            [*person.order_ids, person.guest_order_id], orders, strict=True
        ):
            order = await s.get(Order, order_id)
            assert order is not None
            order.source, order.external_id = "shopify", external


async def webhook(
    http: httpx.AsyncClient, connection: Connection, topic: str, payload: dict[str, Any]
) -> httpx.Response:
    body = json.dumps(payload).encode()
    response = await http.post(
        f"/v1/webhooks/shopify/{connection.webhook_token}",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(body, WEBHOOK_SECRET),
            "X-Shopify-Webhook-Id": f"{topic}-{connection.id}-{len(body)}",
            "X-Shopify-Shop-Domain": "fake.myshopify.com",
        },
    )
    assert response.status_code == 200, response.text
    return response


async def requests_of(db: Database, store: Store) -> list[tuple[str, str, str]]:
    async with db.reading() as s:
        rows = await s.scalars(
            select(PrivacyRequest)
            .where(PrivacyRequest.store_id == store.id)
            .order_by(PrivacyRequest.id)
        )
        return [(r.kind, r.status, r.detail) for r in rows]


class TestCustomerRedact:
    async def test_the_customer_and_the_named_orders_are_erased_with_a_receipt(
        self,
        db: Database,
        store: Store,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        connection: Connection,
        person: Person,
        neighbour: Person,
    ) -> None:
        await from_shopify(db, person, "191167", ["1299", "1300"])
        neighbour_before = await find_pii(db, store.id, neighbour.needles)

        await webhook(
            http,
            connection,
            "customers/redact",
            {**SHOP, "customer": {"id": 191167, "email": person.email},
             "orders_to_redact": [1299, 1300]},
        )  # fmt: skip
        received = await requests_of(db, store)
        answers = await jobs.answer_platform_requests(db, store_id=store.id)
        again = await jobs.answer_platform_requests(db, store_id=store.id)

        assert received == [
            ("customer_redact", "received",
             "Waiting for the store's privacy team (see docs/integrations.md).")
        ]  # fmt: skip
        (answer,) = answers
        receipt = answer.receipts[0]
        assert (answer.status, answer.detail) == (
            "completed",
            f"Erased; receipt {receipt.public_id}.",
        )
        assert (receipt.origin, receipt.platform_request_id, receipt.customer_id) == (
            "shopify",
            answer.platform_request_id,
            person.customer_id,
        )
        assert receipt.counts["orders"] == {"anonymised": 2, "deleted": 0}
        assert again == []
        assert await requests_of(db, store) == [("customer_redact", "completed", answer.detail)]
        assert await find_pii(db, store.id, person.needles) == []
        assert await find_pii(db, store.id, neighbour.needles) == neighbour_before
        listed = await admin.get("/v1/privacy/receipts")
        assert [r["id"] for r in listed.json()["items"]] == [receipt.public_id]

    async def test_orders_of_someone_unknown_here_are_still_anonymised(
        self,
        db: Database,
        store: Store,
        http: httpx.AsyncClient,
        connection: Connection,
        person: Person,
    ) -> None:
        await from_shopify(db, person, "5", ["77", "78"])

        await webhook(
            http,
            connection,
            "customers/redact",
            {**SHOP, "customer": {"id": 404404}, "orders_to_redact": [78]},
        )
        (answer,) = await jobs.answer_platform_requests(db, store_id=store.id)

        assert answer.receipts[0].counts["orders"] == {"anonymised": 1, "deleted": 0}
        async with db.reading() as s:
            guest = await s.get(Order, person.guest_order_id)
            own = await s.get(Order, person.order_ids[0])
        assert guest is not None
        assert own is not None
        assert (guest.email, guest.shipping_address) == (None, {"country": "GB"})
        assert own.email == person.email

    async def test_nothing_known_is_answered_as_such(
        self, db: Database, store: Store, http: httpx.AsyncClient, connection: Connection
    ) -> None:
        await webhook(http, connection, "customers/redact", {**SHOP, "customer": {"id": 1}})

        (answer,) = await jobs.answer_platform_requests(db, store_id=store.id)

        assert (answer.status, answer.detail, answer.receipts) == (
            "completed",
            "No data held: neither the customer nor the orders are known here.",
            [],
        )


class TestDataRequest:
    async def test_staff_are_pointed_at_the_export_and_nothing_changes(
        self,
        db: Database,
        store: Store,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        connection: Connection,
        person: Person,
    ) -> None:
        await from_shopify(db, person, "191167", ["1299", "1300"])
        before = await find_pii(db, store.id, person.needles)

        await webhook(
            http,
            connection,
            "customers/data_request",
            {**SHOP, "customer": {"id": 191167}, "data_request": {"id": 9999}},
        )
        (request_id,) = [r.id for r in await _requests(db, store)]
        answered = await admin.post(f"/v1/privacy/requests/{request_id}/answer")

        assert answered.json() == {
            "platform_request_id": request_id,
            "kind": "customer_data_request",
            "status": "completed",
            "detail": "Export ready: download it in the console (Privacy) or from "
            f"GET /v1/customers/{person.customer_id}/export, and send it to the shopper.",
            "receipt": None,
        }
        assert await find_pii(db, store.id, person.needles) == before
        export = await admin.get(f"/v1/customers/{person.customer_id}/export")
        assert [r["kind"] for r in export.json()["platform_requests"]] == ["customer_data_request"]


async def _requests(db: Database, store: Store) -> list[PrivacyRequest]:
    async with db.reading() as s:
        return list(
            await s.scalars(select(PrivacyRequest).where(PrivacyRequest.store_id == store.id))
        )


class TestShopRedact:
    async def test_every_customer_and_guest_order_from_the_shop_goes_and_others_stay(
        self,
        db: Database,
        store: Store,
        http: httpx.AsyncClient,
        admin: httpx.AsyncClient,
        connection: Connection,
        person: Person,
        neighbour: Person,
    ) -> None:
        other = await make_person(db, store, first="Wilhelmina", last="Tattersall")
        await from_shopify(db, person, "1", ["11", "12"])
        await from_shopify(db, other, "2", ["21", "22"])
        # the guest order of the neighbour came from Shopify; the neighbour did not
        async with db.transaction() as s:
            guest = await s.get(Order, neighbour.guest_order_id)
            assert guest is not None
            guest.source, guest.customer_id = "shopify", None
        neighbour_before = await find_pii(db, store.id, [neighbour.name, neighbour.phone])

        await webhook(http, connection, "shop/redact", SHOP)
        (request_id,) = [r.id for r in await _requests(db, store)]
        answered = await admin.post(f"/v1/privacy/requests/{request_id}/answer")

        assert answered.json()["status"] == "completed"
        assert answered.json()["detail"] == (
            "Every customer and guest order from the shop has been erased."
        )
        assert await find_pii(db, store.id, person.needles) == []
        assert await find_pii(db, store.id, other.needles) == []
        async with db.reading() as s:
            guest_after = await s.get(Order, neighbour.guest_order_id)
            customers = list(
                await s.scalars(
                    select(Customer.source).where(Customer.store_id == store.id).order_by("id")
                )
            )
        assert guest_after is not None
        assert guest_after.email is None
        assert customers == ["api"]  # the neighbour, who did not come from Shopify
        # the neighbour's own records are untouched; only their Shopify guest order lost PII
        remaining = await find_pii(db, store.id, [neighbour.name, neighbour.phone])
        assert set(remaining) < set(neighbour_before)
        assert all(not r.startswith("orders.") or r.endswith(f"#{neighbour.order_ids[0]}")
                   for r in remaining)  # fmt: skip
