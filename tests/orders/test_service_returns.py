"""Returning delivered items, and the store receiving them (return_items / complete_return)."""

from __future__ import annotations

from sqlalchemy import select

from floorwalker.audit.models import AuditEntry
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import ReturnItem
from floorwalker.stores.policy import StorePolicy
from tests.orders.shop import (
    Shop,
    balance,
    build_shop,
    place_order,
    reload,
    snapshot,
    stock,
    transactions,
)
from tests.orders.test_service_modify import refused


async def delivered(db: Database, shop: Shop, quantity: int = 2, **kw: object) -> tuple[Order, int]:
    """A delivered order of `quantity` blue shirts paid by card, and its line's id."""
    order = await place_order(
        db,
        shop,
        lines=[(shop.m_blue, quantity)],
        status="delivered",
        **kw,  # type: ignore[arg-type]
    )
    return order, (await reload(db, order)).lines[0].id


class TestReturn:
    async def test_requests_a_return_and_pays_nothing_before_receipt(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        before = await snapshot(db, shop.store)

        async with db.transaction() as s:
            plan = await order_service.return_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[ReturnItem(line_id=line_id, quantity=1)],
                reason="too small",
            )

        assert plan.status_after == "return_requested"
        assert plan.refund_amount == 4500
        assert plan.refund_destination == "original"
        assert [(m.method_label, m.amount, m.status) for m in plan.refunds] == [
            ("Visa ending 4242", 4500, "pending")
        ]
        assert plan.movements == []
        assert plan.return_id is not None
        assert plan.window_ends_at is not None
        after = await snapshot(db, shop.store)
        assert after["payment_transactions"] == before["payment_transactions"]
        assert after["inventory_levels"] == before["inventory_levels"]
        [record] = after["order_returns"]
        assert (record["status"], record["items"], record["refund_amount"], record["reason"]) == (
            "requested",
            [{"line_id": line_id, "quantity": 1}],
            4500,
            "too small",
        )
        assert (await reload(db, order)).status == "return_requested"

    async def test_receiving_it_restocks_and_refunds_and_reopens_the_rest(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id, quantity=1)]
            )
        assert requested.return_id is not None

        async with db.transaction() as s:
            plan = await order_service.complete_return(
                s,
                shop.staff,
                order_id=order.id,
                return_id=requested.return_id,
                location_id=shop.location.id,
            )

        assert plan.status_after == "delivered"
        assert [(m.action, m.variant_id, m.quantity) for m in plan.stock] == [
            ("restock", shop.m_blue.id, 1)
        ]
        assert await stock(db, shop.m_blue) == (6, 0)
        assert (await transactions(db, order))[-1] == (
            "refund",
            4500,
            "Visa ending 4242",
            "pending",
            "return received",
        )
        stored = await reload(db, order)
        assert stored.status == "delivered"
        assert [(r.status, r.completed_at is not None) for r in stored.returns] == [
            ("received", True)
        ]
        async with db.reading() as s:
            actions = list(
                await s.scalars(
                    select(AuditEntry.action)
                    .where(AuditEntry.store_id == shop.store.id)
                    .order_by(AuditEntry.id)
                )
            )
        assert actions == ["order.return", "order.complete_return"]

    async def test_everything_returned_makes_the_order_returned(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            )
            assert requested.return_id is not None
            assert requested.refund_amount == 9000
            done = await order_service.complete_return(
                s,
                shop.staff,
                order_id=order.id,
                return_id=requested.return_id,
                location_id=shop.location.id,
            )

        assert done.status_after == "returned"
        assert (await reload(db, order)).status == "returned"

    async def test_a_refund_to_a_gift_card_credits_it_on_receipt(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[ReturnItem(line_id=line_id, quantity=1)],
                refund_payment_method_id=shop.gift_card.id,
            )
        assert requested.refund_destination == "gift_card"
        assert await balance(db, shop.gift_card) == 10000
        assert requested.return_id is not None

        async with db.transaction() as s:
            await order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=requested.return_id, restock=False
            )

        assert await balance(db, shop.gift_card) == 14500
        assert await stock(db, shop.m_blue) == (5, 0)

    async def test_a_split_payment_is_refunded_in_the_order_it_was_paid(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(
            db, shop, pay_with=[(shop.gift_card, 3000), (shop.card, 6000)]
        )

        async with db.transaction() as s:
            plan = await order_service.plan_return(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id, quantity=1)]
            )

        assert [(m.method_label, m.amount, m.status) for m in plan.refunds] == [
            ("Gift card ending 7777", 3000, "succeeded"),
            ("Visa ending 4242", 1500, "pending"),
        ]

    async def test_later_returns_count_what_was_returned_before(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            first = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id, quantity=1)]
            )
            assert first.return_id is not None
            await order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=first.return_id, restock=False
            )

        data = (
            await refused(
                db,
                shop,
                lambda s: order_service.return_items(
                    s,
                    shop.shopper,
                    order_id=order.id,
                    items=[ReturnItem(line_id=line_id, quantity=2)],
                ),
                "quantity_exceeds_order",
            )
        ).data

        assert data == {"line_id": line_id, "requested": 2, "remaining": 1}


class TestReturnRefusals:
    async def test_an_order_not_yet_delivered(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="shipped")
        line_id = (await reload(db, order)).lines[0].id

        error = await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            ),
            "order_not_delivered",
        )

        assert error.data == {"order_status": "shipped", "allowed": ["delivered"]}

    async def test_a_cancelled_order(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="cancelled")
        line_id = (await reload(db, order)).lines[0].id

        await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            ),
            "order_not_returnable",
        )

    async def test_after_the_window(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, delivered_days_ago=31)

        error = await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            ),
            "return_window_expired",
        )

        assert error.data["window_days"] == 30

    async def test_a_method_that_did_not_pay_and_is_no_gift_card(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)

        await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[ReturnItem(line_id=line_id)],
                refund_payment_method_id=shop.paypal.id,
            ),
            "refund_destination_not_allowed",
        )

    async def test_the_original_method_when_the_store_refunds_only_to_gift_cards(
        self, db: Database
    ) -> None:
        shop = await build_shop(db, policy=StorePolicy(return_refund_destinations=["gift_card"]))
        order, line_id = await delivered(db, shop)

        await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            ),
            "refund_destination_not_allowed",
        )

    async def test_a_line_not_in_the_order(self, db: Database, shop: Shop) -> None:
        order, _ = await delivered(db, shop)

        await refused(
            db,
            shop,
            lambda s: order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=123_456_789)]
            ),
            "line_not_found",
        )

    async def test_a_shopper_cannot_receive_their_own_return(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            )
        assert requested.return_id is not None

        await refused(
            db,
            shop,
            lambda s: order_service.complete_return(
                s, shop.shopper, order_id=order.id, return_id=requested.return_id or 0
            ),
            "operation_not_allowed",
        )

    async def test_a_return_cannot_be_received_twice(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            )
            return_id = requested.return_id or 0
            await order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=return_id, restock=False
            )

        await refused(
            db,
            shop,
            lambda s: order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=return_id, restock=False
            ),
            "return_not_open",
        )
        await refused(
            db,
            shop,
            lambda s: order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=return_id + 1000, restock=False
            ),
            "return_not_found",
        )

    async def test_restocking_needs_a_location_when_none_is_known(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            )

        await refused(
            db,
            shop,
            lambda s: order_service.complete_return(
                s, shop.staff, order_id=order.id, return_id=requested.return_id or 0
            ),
            "restock_location_required",
        )

    async def test_a_retry_with_the_key_records_one_return(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop)

        results = []
        for _ in range(2):
            async with db.transaction() as s:
                results.append(
                    await order_service.return_items(
                        s,
                        shop.shopper,
                        order_id=order.id,
                        items=[ReturnItem(line_id=line_id, quantity=1)],
                        idempotency_key="ret-1",
                    )
                )

        assert results[0] == results[1]
        assert len((await snapshot(db, shop.store))["order_returns"]) == 1
