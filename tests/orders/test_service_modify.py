"""Changing a pending order's shipping address and payment method."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from floorwalker.customers.models import Address
from floorwalker.errors import AppError
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.schemas import AddressInput
from tests.orders.shop import Shop, balance, place_order, reload, snapshot, transactions

LEEDS = AddressInput(
    name="Ada Lovelace", line1="1 Park Row", city="Leeds", postal_code="LS1 5HD", country="gb"
)


async def refused(db: Database, shop: Shop, call: object, code: str) -> AppError:
    """Run `call(session)`, expect an error with `code`, and prove nothing changed."""
    before = await snapshot(db, shop.store)
    async with db.transaction() as s:
        with pytest.raises(AppError) as caught:
            await call(s)  # type: ignore[operator]
    assert caught.value.code == code
    assert await snapshot(db, shop.store) == before
    return caught.value


class TestModifyAddress:
    async def test_ships_a_pending_order_to_a_new_address(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.transaction() as s:
            plan = await order_service.modify_address(
                s, shop.shopper, order_id=order.id, address=LEEDS
            )

        expected = {
            "name": "Ada Lovelace",
            "line1": "1 Park Row",
            "line2": "",
            "city": "Leeds",
            "region": "",
            "postal_code": "LS1 5HD",
            "country": "GB",
            "phone": None,
        }
        assert plan.address_after == expected
        assert plan.summary == (
            f"Ship order {order.number} to 1 Park Row, Leeds LS1 5HD, GB instead of "
            "12 St James's Square, London SW1Y 4JH, GB."
        )
        assert plan.movements == []
        stored = await reload(db, order)
        assert stored.shipping_address == expected
        assert stored.status == "pending"

    async def test_uses_one_of_the_customers_saved_addresses(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            saved = Address(
                store_id=shop.store.id,
                customer_id=shop.customer.id,
                name="Ada at work",
                line1="3 Bridge St",
                city="York",
                postal_code="YO1 6DD",
                country="GB",
            )
            s.add(saved)
        async with db.transaction() as s:
            await order_service.modify_address(
                s, shop.shopper, order_id=order.id, address_id=saved.id
            )

        assert (await reload(db, order)).shipping_address["line1"] == "3 Bridge St"

    async def test_the_same_address_is_nothing_to_change(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        same = AddressInput(
            name="Ada Lovelace",
            line1="12 St James's Square",
            city="London",
            postal_code="SW1Y 4JH",
            country="GB",
        )

        await refused(
            db,
            shop,
            lambda s: order_service.modify_address(
                s, shop.shopper, order_id=order.id, address=same
            ),
            "nothing_to_change",
        )

    async def test_a_shipped_order_cannot_change_address(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="shipped")

        error = await refused(
            db,
            shop,
            lambda s: order_service.modify_address(
                s, shop.shopper, order_id=order.id, address=LEEDS
            ),
            "order_not_modifiable",
        )

        assert error.data["order_status"] == "shipped"

    async def test_another_customers_saved_address_is_refused(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.reading() as s:
            theirs = await s.scalar(
                select(Address.id).where(Address.customer_id == shop.other_customer.id)
            )

        await refused(
            db,
            shop,
            lambda s: order_service.modify_address(
                s, shop.shopper, order_id=order.id, address_id=theirs
            ),
            "address_not_found",
        )

    async def test_neither_or_both_addresses_is_refused(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        await refused(
            db,
            shop,
            lambda s: order_service.modify_address(s, shop.shopper, order_id=order.id),
            "address_required",
        )


class TestModifyPayment:
    async def test_moves_a_card_payment_to_the_gift_card(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.transaction() as s:
            plan = await order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.gift_card.id
            )

        assert plan.amount == 4500
        assert plan.method_before.label == "Visa ending 4242"
        assert plan.method_after.label == "Gift card ending 7777"
        assert (plan.refund_total, plan.charge_total) == (4500, 4500)
        assert await balance(db, shop.gift_card) == 5500
        assert await transactions(db, order) == [
            ("payment", 4500, "Visa ending 4242", "succeeded", "order placed"),
            ("refund", 4500, "Visa ending 4242", "pending", "payment method changed"),
            ("payment", 4500, "Gift card ending 7777", "succeeded", "payment method changed"),
        ]
        assert plan.summary == (
            f"Pay order {order.number} with Gift card ending 7777 instead of Visa ending 4242: "
            "refund $45.00 to Visa ending 4242 (within 5-7 business days); "
            "charge $45.00 to Gift card ending 7777."
        )

    async def test_moves_a_gift_card_payment_to_paypal(self, db: Database, shop: Shop) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 1)], pay_with=[(shop.gift_card, 4500)]
        )

        async with db.transaction() as s:
            await order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.paypal.id
            )

        assert await balance(db, shop.gift_card) == 10000
        assert await transactions(db, order) == [
            ("payment", 4500, "Gift card ending 7777", "succeeded", "order placed"),
            ("refund", 4500, "Gift card ending 7777", "succeeded", "payment method changed"),
            ("payment", 4500, "PayPal", "pending", "payment method changed"),
        ]

    async def test_a_gift_card_must_cover_the_whole_amount(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 3)])  # 13500 > 10000

        error = await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.gift_card.id
            ),
            "insufficient_gift_card_balance",
        )

        assert (error.data["balance"], error.data["needed"]) == (10000, 13500)

    async def test_an_order_paid_with_two_methods_keeps_them(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 2)], pay_with=[(shop.gift_card, 3000), (shop.card, 6000)]
        )

        error = await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.paypal.id
            ),
            "order_has_multiple_payments",
        )

        assert error.data["methods"] == 2

    async def test_the_same_method_is_unchanged(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.card.id
            ),
            "payment_method_unchanged",
        )

    async def test_another_customers_method_is_not_found(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.other_card.id
            ),
            "payment_method_not_found",
        )

    async def test_a_delivered_order_cannot_change_payment(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="delivered")

        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.paypal.id
            ),
            "order_not_modifiable",
        )

    async def test_an_unpaid_order_has_no_payment_to_move(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], pay_with=[])

        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.paypal.id
            ),
            "order_has_no_payment",
        )

    async def test_a_retry_with_the_key_charges_the_gift_card_once(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        for _ in range(2):
            async with db.transaction() as s:
                await order_service.modify_payment(
                    s,
                    shop.shopper,
                    order_id=order.id,
                    payment_method_id=shop.gift_card.id,
                    idempotency_key="pay-1",
                )

        assert await balance(db, shop.gift_card) == 5500
        assert len(await transactions(db, order)) == 3
