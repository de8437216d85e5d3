"""Swapping items of a pending order for other options of the same product."""

from __future__ import annotations

from sqlalchemy import update

from floorwalker.customers.models import PaymentMethod
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import LineSwap
from tests.orders.shop import Shop, balance, place_order, reload, stock, transactions
from tests.orders.test_service_modify import refused


class TestModifyItems:
    async def test_swaps_a_line_charges_the_difference_and_reserves_the_new_variant(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], hold_stock=True)
        line_id = (await reload(db, order)).lines[0].id

        async with db.transaction() as s:
            plan = await order_service.modify_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            )

        assert plan.price_difference == 300
        assert (plan.subtotal_before, plan.subtotal_after) == (4500, 4800)
        assert (plan.total_before, plan.total_after) == (4500, 4800)
        assert (plan.modifications_used, plan.modifications_left) == (1, 0)
        assert [(m.action, m.variant_id, m.quantity, m.location_id) for m in plan.stock] == [
            ("release", shop.m_blue.id, 1, shop.location.id),
            ("reserve", shop.m_white.id, 1, shop.location.id),
        ]
        assert plan.summary == (
            f"Change order {order.number}: 1 × Product M / Blue → M / White; "
            "charge $3.00 to Visa ending 4242. "
            "After this the order can no longer be changed or cancelled."
        )
        stored = await reload(db, order)
        assert [(x.variant_id, x.quantity, x.unit_price, x.options) for x in stored.lines] == [
            (shop.m_white.id, 1, 4800, {"size": "M", "colour": "White"})
        ]
        assert (stored.subtotal, stored.total, stored.item_modifications) == (4800, 4800, 1)
        assert await stock(db, shop.m_blue) == (5, 0)
        assert await stock(db, shop.m_white) == (3, 1)
        assert await transactions(db, order) == [
            ("payment", 4500, "Visa ending 4242", "succeeded", "order placed"),
            ("payment", 300, "Visa ending 4242", "pending", "items changed"),
        ]

    async def test_swaps_part_of_a_line_into_a_new_line(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], hold_stock=True)
        line_id = (await reload(db, order)).lines[0].id

        async with db.transaction() as s:
            await order_service.modify_items(
                s,
                shop.staff,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1)],
            )

        stored = await reload(db, order)
        assert [(x.variant_id, x.quantity, x.unit_price, x.position) for x in stored.lines] == [
            (shop.m_blue.id, 1, 4500, 0),
            (shop.m_white.id, 1, 4800, 1),
        ]
        assert sum(x.quantity * x.unit_price for x in stored.lines) == stored.subtotal == 9300
        assert await stock(db, shop.m_blue) == (5, 1)
        assert await stock(db, shop.m_white) == (3, 1)

    async def test_a_cheaper_option_is_refunded_to_the_chosen_gift_card(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_white, 2)])
        line_id = (await reload(db, order)).lines[0].id

        async with db.transaction() as s:
            plan = await order_service.modify_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_blue.id)],
                payment_method_id=shop.gift_card.id,
            )

        assert plan.price_difference == -600
        assert await balance(db, shop.gift_card) == 10600
        assert (await transactions(db, order))[-1] == (
            "refund",
            600,
            "Gift card ending 7777",
            "succeeded",
            "items changed",
        )
        assert (await reload(db, order)).total == 9000

    async def test_units_given_back_count_for_the_other_swaps(
        self, db: Database, shop: Shop
    ) -> None:
        # All three white shirts are held by this order; swapping them away frees them for the
        # blue line of the same request.
        order = await place_order(
            db, shop, lines=[(shop.m_white, 3), (shop.m_blue, 1)], hold_stock=True
        )
        white, blue = (await reload(db, order)).lines

        async with db.transaction() as s:
            plan = await order_service.modify_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[
                    LineSwap(line_id=white.id, variant_id=shop.m_blue.id),
                    LineSwap(line_id=blue.id, variant_id=shop.m_white.id),
                ],
            )

        assert plan.price_difference == -600
        assert await stock(db, shop.m_white) == (3, 1)
        assert await stock(db, shop.m_blue) == (5, 3)


class TestModifyItemsRefusals:
    async def _order(self, db: Database, shop: Shop, **kw: object) -> tuple[int, int]:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], **kw)  # type: ignore[arg-type]
        return order.id, (await reload(db, order)).lines[0].id

    async def _refused(
        self,
        db: Database,
        shop: Shop,
        order_id: int,
        items: list[LineSwap],
        code: str,
        payment_method_id: int | None = None,
    ) -> dict[str, object]:
        error = await refused(
            db,
            shop,
            lambda s: order_service.modify_items(
                s,
                shop.shopper,
                order_id=order_id,
                items=items,
                payment_method_id=payment_method_id,
            ),
            code,
        )
        return error.data

    async def test_an_out_of_stock_option(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        data = await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.l_blue.id)],
            "variant_unavailable",
        )

        assert data == {"variant_id": shop.l_blue.id, "requested": 2, "available": 0}

    async def test_more_than_in_stock(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 4)])
        line_id = (await reload(db, order)).lines[0].id

        data = await self._refused(
            db,
            shop,
            order.id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            "variant_unavailable",
            payment_method_id=shop.card.id,
        )

        assert data == {"variant_id": shop.m_white.id, "requested": 4, "available": 3}

    async def test_an_option_no_longer_on_sale(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.l_white.id)],
            "variant_unavailable",
        )

    async def test_another_product(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.mug_variant.id)],
            "variant_not_same_product",
        )

    async def test_an_unknown_variant(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=999_999_999)],
            "variant_not_found",
        )

    async def test_a_line_of_another_order(self, db: Database, shop: Shop) -> None:
        order_id, _ = await self._order(db, shop)
        _, foreign_line = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=foreign_line, variant_id=shop.m_white.id)],
            "line_not_found",
        )

    async def test_more_units_than_the_line_has(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        data = await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=3)],
            "quantity_exceeds_order",
        )

        assert data == {"line_id": line_id, "requested": 3, "remaining": 2}

    async def test_the_same_line_twice(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [
                LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1),
                LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1),
            ],
            "duplicate_line",
        )

    async def test_the_variant_the_line_already_has(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop)

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_blue.id)],
            "nothing_to_change",
        )

    async def test_a_gift_card_that_does_not_cover_the_difference(
        self, db: Database, shop: Shop
    ) -> None:
        order_id, line_id = await self._order(db, shop)
        async with db.transaction() as s:
            await s.execute(
                update(PaymentMethod)
                .where(PaymentMethod.id == shop.gift_card.id)
                .values(balance=500)
            )

        data = await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            "insufficient_gift_card_balance",
            payment_method_id=shop.gift_card.id,
        )

        assert (data["balance"], data["needed"]) == (500, 600)

    async def test_a_split_payment_needs_a_method_for_the_difference(
        self, db: Database, shop: Shop
    ) -> None:
        order_id, line_id = await self._order(
            db, shop, pay_with=[(shop.gift_card, 1000), (shop.card, 8000)]
        )

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            "payment_method_required",
        )

    async def test_an_order_being_processed(self, db: Database, shop: Shop) -> None:
        order_id, line_id = await self._order(db, shop, status="processing")

        await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            "order_not_modifiable",
        )

    async def test_a_second_change_once_the_one_allowed_is_used(
        self, db: Database, shop: Shop
    ) -> None:
        order_id, line_id = await self._order(db, shop)
        async with db.transaction() as s:
            await order_service.modify_items(
                s,
                shop.shopper,
                order_id=order_id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1)],
            )

        data = await self._refused(
            db,
            shop,
            order_id,
            [LineSwap(line_id=line_id, variant_id=shop.m_white.id)],
            "order_modification_limit_reached",
        )

        assert data == {"used": 1, "limit": 1}
        # Neither can it be cancelled now, nor its address changed.
        await refused(
            db,
            shop,
            lambda s: order_service.cancel(
                s, shop.shopper, order_id=order_id, reason="no longer needed"
            ),
            "order_modification_limit_reached",
        )

    async def test_a_retry_with_the_key_swaps_and_charges_once(
        self, db: Database, shop: Shop
    ) -> None:
        order_id, line_id = await self._order(db, shop)
        items = [LineSwap(line_id=line_id, variant_id=shop.m_white.id)]

        for _ in range(2):
            async with db.transaction() as s:
                await order_service.modify_items(
                    s, shop.shopper, order_id=order_id, items=items, idempotency_key="swap-1"
                )

        assert await stock(db, shop.m_white) == (3, 2)
        async with db.reading() as s:
            stored = await s.get(Order, order_id)
            assert stored is not None
            assert (stored.total, stored.item_modifications) == (9600, 1)
