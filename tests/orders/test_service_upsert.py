"""Loading orders from another system (orders.service.upsert_orders / upsert_order)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.errors import OperationNotAllowed
from floorwalker.stores.models import Store
from tests import factories
from tests.orders.shop import Shop, place_order, reload, snapshot, stock


def record(shop: Shop, **overrides: Any) -> dict[str, Any]:
    """A Shopify-like order: two lines, one shipment, one card payment."""
    base: dict[str, Any] = {
        "source": "shopify",
        "external_id": "gid://shopify/Order/1001",
        "number": "#1001",
        "customer_id": shop.customer.id,
        "email": "ada@example.com",
        "status": "shipped",
        "lines": [
            {"external_id": "L1", "variant_id": shop.m_blue.id, "quantity": 2, "unit_price": 4500},
            {"external_id": "L2", "sku": shop.mug_variant.sku, "quantity": 1, "unit_price": 1000},
        ],
        "shipping_total": 495,
        "tax_total": 0,
        "discount_total": 500,
        "shipping_address": {"line1": "12 St James's Square", "city": "London", "country": "GB"},
        "placed_at": "2026-11-01T10:00:00Z",
        "fulfilments": [
            {
                "external_id": "F1",
                "status": "in_transit",
                "carrier": "Royal Mail",
                "tracking_numbers": ["RM123456785GB"],
                "items": [
                    {"line_external_id": "L1", "quantity": 2},
                    {"line_index": 1, "quantity": 1},
                ],
                "shipped_at": "2026-11-02T09:00:00Z",
            }
        ],
        "transactions": [
            {
                "external_id": "T1",
                "kind": "payment",
                "amount": 9995,
                "payment_method_id": shop.card.id,
                "created_at": "2026-11-01T10:00:00Z",
            }
        ],
    }
    base.update(overrides)
    return base


async def upsert(db: Database, actor: Actor, records: list[dict[str, Any]]) -> Any:
    async with db.transaction() as s:
        return await order_service.upsert_orders(s, actor, records)


class TestUpsertOrders:
    async def test_creates_an_order_with_lines_shipment_and_payment(
        self, db: Database, shop: Shop
    ) -> None:
        summary = await upsert(db, shop.staff, [record(shop)])

        assert (summary.created, summary.updated, summary.unchanged, summary.failed) == (1, 0, 0, 0)
        order_id = summary.results[0].id
        async with db.reading() as s:
            order = await order_service.get_order(s, shop.staff, order_id=order_id)
        assert (order.number, order.status, order.currency) == ("#1001", "shipped", "USD")
        assert (order.subtotal, order.shipping_total, order.discount_total, order.total) == (
            10000,
            495,
            500,
            9995,
        )
        assert order.amount_paid == 9995
        assert [
            (x.variant_id, x.sku, x.title, x.variant_title, x.options, x.quantity)
            for x in order.lines
        ] == [
            (
                shop.m_blue.id,
                shop.m_blue.sku,
                "Linen Shirt",
                "M / Blue",
                {"size": "M", "colour": "Blue"},
                2,
            ),
            (
                shop.mug_variant.id,
                shop.mug_variant.sku,
                "Enamel Mug",
                "Green",
                {"colour": "Green"},
                1,
            ),
        ]
        [shipment] = order.fulfilments
        assert shipment.items == [
            {"line_id": order.lines[0].id, "quantity": 2},
            {"line_id": order.lines[1].id, "quantity": 1},
        ]
        assert shipment.tracking_numbers == ["RM123456785GB"]
        assert [(t.kind, t.amount, t.method_label) for t in order.transactions] == [
            ("payment", 9995, "Visa ending 4242")
        ]

    async def test_the_same_payload_twice_changes_nothing(self, db: Database, shop: Shop) -> None:
        await upsert(db, shop.staff, [record(shop)])
        before = await snapshot(db, shop.store)

        summary = await upsert(db, shop.staff, [record(shop)])

        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
        assert await snapshot(db, shop.store) == before

    async def test_a_changed_payload_updates_in_place_and_is_audited(
        self, db: Database, shop: Shop
    ) -> None:
        first = await upsert(db, shop.staff, [record(shop)])
        changed = record(shop, status="delivered")
        changed["fulfilments"][0].update(status="delivered", delivered_at="2026-11-04T15:00:00Z")

        summary = await upsert(db, shop.staff, [changed])

        assert summary.updated == 1
        assert summary.results[0].id == first.results[0].id
        async with db.reading() as s:
            order = await order_service.get_order(s, shop.staff, order_id=first.results[0].id)
            entries = list(
                await s.scalars(
                    select(AuditEntry)
                    .where(
                        AuditEntry.store_id == shop.store.id, AuditEntry.action == "order.upsert"
                    )
                    .order_by(AuditEntry.id)
                )
            )
        assert order.status == "delivered"
        assert order.delivered_at is not None
        assert len(order.fulfilments) == 1
        assert entries[-1].data["changes"] == {str(order.id): ["status", "fulfilments"]}

    async def test_matches_by_external_id_before_number(self, db: Database, shop: Shop) -> None:
        first = await upsert(db, shop.staff, [record(shop)])

        summary = await upsert(db, shop.staff, [record(shop, number="#1001-A")])

        assert summary.results[0].id == first.results[0].id
        assert summary.updated == 1

    async def test_matches_by_number_when_there_is_no_external_id(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        summary = await upsert(
            db,
            shop.staff,
            [record(shop, external_id=None, number=order.number, transactions=None)],
        )

        assert summary.results[0].id == order.id
        assert summary.updated == 1

    async def test_a_line_by_an_unknown_sku_keeps_its_title(self, db: Database, shop: Shop) -> None:
        rec = record(shop, fulfilments=None)
        rec["lines"][1] = {"sku": "GONE-1", "title": "Old mug", "quantity": 1, "unit_price": 1000}

        summary = await upsert(db, shop.staff, [rec])

        async with db.reading() as s:
            order = await order_service.get_order(s, shop.staff, order_id=summary.results[0].id)
        assert [(x.variant_id, x.sku, x.title) for x in order.lines][1] == (
            None,
            "GONE-1",
            "Old mug",
        )

    async def test_bad_records_fail_alone(
        self, db: Database, shop: Shop, other_store: Store
    ) -> None:
        async with db.transaction() as s:
            foreign = await factories.create_customer(s, other_store)
        bad_customer = record(shop, external_id="2", number="#2", customer_id=foreign.id)
        bad_sku = record(shop, external_id="3", number="#3", fulfilments=None)
        bad_sku["lines"][1] = {"sku": "NOPE", "quantity": 1, "unit_price": 1}
        zero = record(shop, external_id="4", number="#4")
        zero["lines"][0]["quantity"] = 0
        twice = record(shop)

        summary = await upsert(db, shop.staff, [record(shop), bad_customer, bad_sku, zero, twice])

        assert [(r.index, r.status.value, r.error) for r in summary.results] == [
            (0, "created", None),
            (1, "failed", "customer_not_found"),
            (2, "failed", "sku_not_found"),
            (3, "failed", "validation_error"),
            (4, "failed", "duplicate_in_batch"),
        ]
        assert summary.results[3].errors is not None
        assert summary.results[3].errors[0].loc == ["lines", "0", "quantity"]
        assert len((await snapshot(db, shop.store))["orders"]) == 1

    async def test_a_number_held_by_another_external_order_is_refused(
        self, db: Database, shop: Shop
    ) -> None:
        await upsert(db, shop.staff, [record(shop)])

        summary = await upsert(db, shop.staff, [record(shop, external_id="other")])

        assert summary.results[0].error == "order_number_taken"

    async def test_shipping_releases_the_stock_floorwalker_held(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], hold_stock=True)
        assert await stock(db, shop.m_blue) == (5, 2)
        line = (await reload(db, order)).lines[0]

        await upsert(
            db,
            shop.staff,
            [
                {
                    "number": order.number,
                    "customer_id": shop.customer.id,
                    "status": "shipped",
                    "lines": [
                        {
                            "variant_id": shop.m_blue.id,
                            "title": line.title,
                            "variant_title": line.variant_title,
                            "sku": line.sku,
                            "options": line.options,
                            "quantity": 2,
                            "unit_price": 4500,
                        }
                    ],
                }
            ],
        )

        assert await stock(db, shop.m_blue) == (5, 0)

    async def test_many_records_go_through_in_batches(self, db: Database, shop: Shop) -> None:
        records = [
            record(shop, external_id=f"bulk-{i}", number=f"#B{i}", fulfilments=None)
            for i in range(1205)
        ]

        summary = await upsert(db, shop.staff, records)
        again = await upsert(db, shop.staff, records)

        assert (summary.created, summary.failed) == (1205, 0)
        assert (again.unchanged, again.updated, again.created) == (1205, 0, 0)
        assert [r.index for r in summary.results] == list(range(1205))

    async def test_a_shopper_cannot_load_orders(self, db: Database, shop: Shop) -> None:
        async with db.transaction() as s:
            with pytest.raises(OperationNotAllowed):
                await order_service.upsert_orders(s, shop.shopper, [record(shop)])
