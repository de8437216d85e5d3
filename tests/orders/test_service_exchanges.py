"""Exchanging delivered items, and completing the exchange (exchange_items / complete_exchange)."""

from __future__ import annotations

from sqlalchemy import update

from floorwalker.customers.models import PaymentMethod
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import LineSwap
from tests.orders.shop import Shop, balance, place_order, reload, snapshot, stock, transactions
from tests.orders.test_service_modify import refused
from tests.orders.test_service_returns import delivered


class TestExchange:
    async def test_charges_a_higher_price_now_and_holds_the_replacement(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop, quantity=1)

        async with db.transaction() as s:
            plan = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
                reason="prefer white",
            )

        assert plan.status_after == "exchange_requested"
        assert plan.price_difference == 300
        assert plan.settlement_method is not None
        assert plan.settlement_method.label == "Visa ending 4242"
        assert plan.refund_on_receipt is None
        assert [(m.action, m.variant_id, m.location_id) for m in plan.stock] == [
            ("reserve", shop.m_white.id, shop.location.id)
        ]
        assert plan.summary == (
            f"Exchange 1 × Product M / Blue for M / White from order {order.number}; "
            "charge $3.00 to Visa ending 4242 now."
        )
        assert await stock(db, shop.m_white) == (3, 1)
        assert (await transactions(db, order))[-1] == (
            "payment",
            300,
            "Visa ending 4242",
            "pending",
            "exchange",
        )
        stored = await reload(db, order)
        assert stored.status == "exchange_requested"
        [record] = stored.exchanges
        assert (record.status, record.price_difference, record.reason) == (
            "requested",
            300,
            "prefer white",
        )
        assert record.items == [
            {
                "line_id": line_id,
                "quantity": 1,
                "new_variant_id": shop.m_white.id,
                "new_sku": shop.m_white.sku,
                "new_variant_title": "M / White",
                "new_options": {"size": "M", "colour": "White"},
                "new_unit_price": 4800,
                "reserved_location_id": shop.location.id,
            }
        ]
        # The lines stay as sold; the exchange record carries the replacement.
        assert [(x.variant_id, x.unit_price) for x in stored.lines] == [(shop.m_blue.id, 4500)]

    async def test_completing_it_restocks_the_old_units_and_dispatches_the_new(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop, quantity=1)
        async with db.transaction() as s:
            requested = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            )
        assert requested.exchange_id is not None

        async with db.transaction() as s:
            plan = await order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=requested.exchange_id
            )

        assert plan.status_after == "exchanged"
        assert await stock(db, shop.m_blue) == (6, 0)
        assert await stock(db, shop.m_white) == (3, 0)
        stored = await reload(db, order)
        assert stored.status == "exchanged"
        assert [e.status for e in stored.exchanges] == ["completed"]

    async def test_a_lower_price_is_refunded_to_the_gift_card_when_completed(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_white, 2)], status="delivered")
        line_id = (await reload(db, order)).lines[0].id
        async with db.transaction() as s:
            requested = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_blue.id, quantity=1)],
                payment_method_id=shop.gift_card.id,
            )
        assert requested.price_difference == -300
        assert requested.refund_on_receipt is not None
        assert requested.movements == []
        assert await balance(db, shop.gift_card) == 10000

        async with db.transaction() as s:
            done = await order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=requested.exchange_id or 0
            )

        assert done.refund_total == 300
        assert done.status_after == "delivered"  # one white shirt is still the shopper's
        assert await balance(db, shop.gift_card) == 10300


class TestExchangeRefusals:
    async def test_an_order_not_yet_delivered(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        line_id = (await reload(db, order)).lines[0].id

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            ),
            "order_not_delivered",
        )

    async def test_an_option_out_of_stock(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=1)

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.l_blue.id)],
            ),
            "variant_unavailable",
        )

    async def test_another_product(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=1)

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.mug_variant.id)],
            ),
            "variant_not_same_product",
        )

    async def test_after_the_window(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=1, delivered_days_ago=45)

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            ),
            "return_window_expired",
        )

    async def test_a_gift_card_that_does_not_cover_the_difference(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop, quantity=1)
        async with db.transaction() as s:
            await s.execute(
                update(PaymentMethod).where(PaymentMethod.id == shop.gift_card.id).values(balance=0)
            )

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
                payment_method_id=shop.gift_card.id,
            ),
            "insufficient_gift_card_balance",
        )

    async def test_units_already_exchanged_cannot_be_exchanged_again(
        self, db: Database, shop: Shop
    ) -> None:
        order, line_id = await delivered(db, shop, quantity=2)
        async with db.transaction() as s:
            first = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1)],
            )
            await order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=first.exchange_id or 0
            )

        await refused(
            db,
            shop,
            lambda s: order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=2)],
            ),
            "quantity_exceeds_order",
        )

    async def test_a_shopper_cannot_complete_an_exchange(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=1)
        async with db.transaction() as s:
            requested = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            )
        before = await snapshot(db, shop.store)

        await refused(
            db,
            shop,
            lambda s: order_service.complete_exchange(
                s, shop.shopper, order_id=order.id, exchange_id=requested.exchange_id or 0
            ),
            "operation_not_allowed",
        )

        assert await snapshot(db, shop.store) == before
