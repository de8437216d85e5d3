"""Operations racing each other: row locks make exactly one of them happen."""

from __future__ import annotations

import asyncio

from floorwalker.errors import AppError
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import CancelPlan, PaymentChangePlan
from tests.orders.shop import Shop, balance, place_order, transactions


class TestConcurrentCancels:
    async def test_two_cancels_of_one_order_refund_once(self, db: Database, shop: Shop) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 1)], pay_with=[(shop.gift_card, 4500)]
        )

        async def cancel() -> CancelPlan | AppError:
            try:
                async with db.transaction() as s:
                    return await order_service.cancel(
                        s, shop.shopper, order_id=order.id, reason="no longer needed"
                    )
            except AppError as exc:
                return exc

        outcomes = await asyncio.gather(cancel(), cancel())

        assert sorted(type(o).__name__ for o in outcomes) == ["CancelPlan", "OrderNotCancellable"]
        assert await balance(db, shop.gift_card) == 10000
        assert [t[0] for t in await transactions(db, order)] == ["payment", "refund"]

    async def test_two_retries_with_one_key_return_one_result(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async def change() -> PaymentChangePlan:
            async with db.transaction() as s:
                return await order_service.modify_payment(
                    s,
                    shop.shopper,
                    order_id=order.id,
                    payment_method_id=shop.gift_card.id,
                    idempotency_key="race-1",
                )

        first, second = await asyncio.gather(change(), change())

        assert first == second
        assert await balance(db, shop.gift_card) == 5500
        assert len(await transactions(db, order)) == 3

    async def test_two_orders_drawing_on_one_gift_card_cannot_overdraw_it(
        self, db: Database, shop: Shop
    ) -> None:
        # 7000 each against a balance of 10000: only one change of payment can succeed.
        orders = [
            await place_order(db, shop, lines=[(shop.mug_variant, 5), (shop.mug_variant, 1)])
            for _ in range(2)
        ]
        for o in orders:
            assert o.total == 7200

        async def change(order_id: int) -> PaymentChangePlan | AppError:
            try:
                async with db.transaction() as s:
                    return await order_service.modify_payment(
                        s, shop.shopper, order_id=order_id, payment_method_id=shop.gift_card.id
                    )
            except AppError as exc:
                return exc

        outcomes = await asyncio.gather(*(change(o.id) for o in orders))

        assert sorted(type(o).__name__ for o in outcomes) == [
            "InsufficientGiftCardBalance",
            "PaymentChangePlan",
        ]
        assert await balance(db, shop.gift_card) == 2800
