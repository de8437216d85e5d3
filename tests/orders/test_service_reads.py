"""Reading orders: one with everything, by number, and filtered pages (orders.service)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.errors import OrderNotFound
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import ReturnItem
from floorwalker.stores.models import Store
from tests.orders.shop import Shop, place_order, reload


class TestGetOrder:
    async def test_shows_returned_units_per_line_and_the_amount_paid(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], status="delivered")
        line_id = (await reload(db, order)).lines[0].id
        async with db.transaction() as s:
            await order_service.return_items(
                s, shop.shopper, order_id=order.id, items=[ReturnItem(line_id=line_id, quantity=1)]
            )

        async with db.reading() as s:
            read = await order_service.get_order(s, shop.shopper, order_id=order.id)

        assert [(x.quantity, x.returned_quantity, x.exchanged_quantity) for x in read.lines] == [
            (2, 1, 0)
        ]
        assert (read.amount_paid, read.status) == (9000, "return_requested")
        assert [(r.status, r.refund_amount) for r in read.returns] == [("requested", 4500)]

    async def test_by_number_with_or_without_the_hash(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        assert order.number.startswith("#")

        async with db.reading() as s:
            found = await order_service.get_order_by_number(
                s, shop.shopper, number=order.number[1:]
            )
            with pytest.raises(OrderNotFound):
                await order_service.get_order_by_number(s, shop.stranger, number=order.number)

        assert found.id == order.id

    async def test_another_store_cannot_read_it(
        self, db: Database, shop: Shop, other_store: Store
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.reading() as s:
            with pytest.raises(OrderNotFound):
                await order_service.get_order(s, Actor.system(other_store.id), order_id=order.id)


class TestListOrders:
    async def test_a_shopper_sees_only_their_own(self, db: Database, shop: Shop) -> None:
        mine = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        await place_order(db, shop, lines=[(shop.m_blue, 1)], customer=shop.other_customer)

        async with db.reading() as s:
            seen = await order_service.list_orders(s, shop.shopper)
            asked_for_theirs = await order_service.list_orders(
                s, shop.shopper, customer_id=shop.other_customer.id
            )
            count = await order_service.count_orders(s, shop.shopper)
            all_count = await order_service.count_orders(s, shop.staff)

        assert [o.id for o in seen] == [mine.id]
        assert asked_for_theirs == []
        assert (count, all_count) == (1, 2)

    async def test_filters_by_status_number_and_last_change(self, db: Database, shop: Shop) -> None:
        old = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="delivered")
        new = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await s.execute(
                update(Order)
                .where(Order.id == old.id)
                .values(updated_at=utcnow() - dt.timedelta(days=10))
            )

        async with db.reading() as s:
            delivered = await order_service.list_orders(s, shop.staff, status="delivered")
            by_number = await order_service.list_orders(s, shop.staff, number=new.number)
            recent = await order_service.list_orders(
                s, shop.staff, updated_since=utcnow() - dt.timedelta(days=1)
            )

        assert [o.id for o in delivered] == [old.id]
        assert [o.id for o in by_number] == [new.id]
        assert [o.id for o in recent] == [new.id]
