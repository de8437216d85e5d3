"""The remaining refusals, each proven to leave the database unchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from floorwalker.customers.models import PaymentMethod
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import LineSwap, ReturnItem
from tests.orders.shop import Shop, place_order, reload, snapshot
from tests.orders.test_service_modify import LEEDS, refused
from tests.orders.test_service_returns import delivered
from tests.orders.test_service_upsert import record


class TestMoreRefusals:
    async def test_a_guest_order_has_no_customer_to_pay_with(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await s.execute(update(Order).where(Order.id == order.id).values(customer_id=None))

        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.staff, order_id=order.id, payment_method_id=shop.paypal.id
            ),
            "order_has_no_customer",
        )
        await refused(
            db,
            shop,
            lambda s: order_service.modify_address(s, shop.staff, order_id=order.id, address_id=1),
            "order_has_no_customer",
        )
        # The store may still ship it elsewhere.
        async with db.transaction() as s:
            await order_service.modify_address(s, shop.staff, order_id=order.id, address=LEEDS)

    async def test_a_gift_card_in_another_currency(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await s.execute(
                update(PaymentMethod)
                .where(PaymentMethod.id == shop.gift_card.id)
                .values(currency="EUR")
            )

        error = await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=shop.gift_card.id
            ),
            "currency_mismatch",
        )

        assert (error.data["method_currency"], error.data["currency"]) == ("EUR", "USD")

    async def test_an_order_with_an_open_return_cannot_be_exchanged(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="return_requested")
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
            "order_not_exchangeable",
        )

    async def test_an_exchange_completed_or_unknown(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=2)
        async with db.transaction() as s:
            requested = await order_service.exchange_items(
                s,
                shop.shopper,
                order_id=order.id,
                items=[LineSwap(line_id=line_id, variant_id=shop.m_white.id, quantity=1)],
            )
            exchange_id = requested.exchange_id or 0
            await order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=exchange_id
            )

        await refused(
            db,
            shop,
            lambda s: order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=exchange_id
            ),
            "exchange_not_open",
        )
        await refused(
            db,
            shop,
            lambda s: order_service.complete_exchange(
                s, shop.staff, order_id=order.id, exchange_id=exchange_id + 1000
            ),
            "exchange_not_found",
        )

    async def test_an_unknown_location_for_returned_units(self, db: Database, shop: Shop) -> None:
        order, line_id = await delivered(db, shop, quantity=1)
        async with db.transaction() as s:
            requested = await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id)]
            )

        await refused(
            db,
            shop,
            lambda s: order_service.complete_return(
                s,
                shop.staff,
                order_id=order.id,
                return_id=requested.return_id or 0,
                location_id=10**20,
            ),
            "location_not_found",
        )

    async def test_ids_beyond_any_row_are_simply_not_found(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        await refused(
            db,
            shop,
            lambda s: order_service.get_order(s, shop.staff, order_id=10**20),
            "order_not_found",
        )
        await refused(
            db,
            shop,
            lambda s: order_service.modify_payment(
                s, shop.shopper, order_id=order.id, payment_method_id=10**20
            ),
            "payment_method_not_found",
        )
        async with db.reading() as s:
            assert await order_service.list_orders(s, shop.staff, customer_id=10**20) == []


class TestMoreUpsertRefusals:
    async def _fails(self, db: Database, shop: Shop, rec: dict[str, Any]) -> str | None:
        before = await snapshot(db, shop.store)
        async with db.transaction() as s:
            summary = await order_service.upsert_orders(s, shop.staff, [rec])
        assert await snapshot(db, shop.store) == before
        return summary.results[0].error

    async def test_a_shipment_of_more_units_than_ordered(self, db: Database, shop: Shop) -> None:
        rec = record(shop)
        rec["fulfilments"][0]["items"][0]["quantity"] = 3

        assert await self._fails(db, shop, rec) == "fulfilment_exceeds_order"

    async def test_a_shipment_naming_no_line(self, db: Database, shop: Shop) -> None:
        rec = record(shop)
        rec["fulfilments"][0]["items"][0] = {"line_external_id": "nope", "quantity": 1}

        assert await self._fails(db, shop, rec) == "line_not_found"

    async def test_a_payment_method_of_another_customer(self, db: Database, shop: Shop) -> None:
        rec = record(shop)
        rec["transactions"][0]["payment_method_id"] = shop.other_card.id

        assert await self._fails(db, shop, rec) == "payment_method_not_found"

    async def test_an_unknown_order_id(self, db: Database, shop: Shop) -> None:
        assert await self._fails(db, shop, record(shop, id=10**9)) == "order_not_found"

    async def test_a_line_with_a_return_cannot_be_removed(self, db: Database, shop: Shop) -> None:
        async with db.transaction() as s:
            created = await order_service.upsert_orders(
                s, shop.staff, [record(shop, status="delivered")]
            )
        order_id = created.results[0].id or 0
        async with db.transaction() as s:
            order = await order_service.get_order(s, shop.staff, order_id=order_id)
            await order_service.return_items(
                s,
                shop.staff,
                order_id=order_id,
                items=[ReturnItem(line_id=order.lines[1].id)],
            )
        rec = record(shop, status="delivered")
        rec["lines"] = rec["lines"][:1]
        rec["fulfilments"][0]["items"] = rec["fulfilments"][0]["items"][:1]

        assert await self._fails(db, shop, rec) == "line_in_use"
