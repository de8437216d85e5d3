"""The named demo customers exist, and their orders set up the support work docs/demo.md lists.

Each story is checked through the order services' planning functions, which validate exactly
as the executing ones do but write nothing, so the shared demo store stays as generated.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from floorwalker.catalog.models import Variant
from floorwalker.customers.models import Customer, PaymentMethod
from floorwalker.demo.characters import PEOPLE
from floorwalker.errors import AppError
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.orders import service as order_service
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import LineSwap, ReturnItem
from tests.demo.conftest import DemoStore


class Story:
    """A named customer's orders (oldest first) and payment methods."""

    def __init__(self, customer: Customer, orders: list[Order], methods: list[PaymentMethod]):
        self.customer = customer
        self.orders = orders
        self.methods = methods

    def order(self, status: str) -> Order:
        """Their one order in this status."""
        (found,) = [o for o in self.orders if o.status == status]
        return found

    def method(self, kind: str) -> PaymentMethod:
        """Their one payment method of this kind."""
        (found,) = [m for m in self.methods if m.kind == kind]
        return found


async def story(db: Database, demo: DemoStore, email: str) -> Story:
    async with db.reading() as s:
        customer = await s.scalar(
            select(Customer).where(Customer.store_id == demo.store_id, Customer.email == email)
        )
        assert customer is not None, email
        orders = list(
            await s.scalars(
                select(Order)
                .where(Order.store_id == demo.store_id, Order.customer_id == customer.id)
                .options(selectinload(Order.lines), selectinload(Order.transactions))
                .order_by(Order.placed_at)
            )
        )
        methods = list(
            await s.scalars(
                select(PaymentMethod)
                .where(PaymentMethod.customer_id == customer.id)
                .order_by(PaymentMethod.id)
            )
        )
    return Story(customer, orders, methods)


def payments(order: Order) -> list[tuple[str, int, str]]:
    return [(t.kind, t.amount, t.method_label) for t in order.transactions]


class TestNamedCustomers:
    async def test_all_exist_with_a_default_address_and_a_story(
        self, db: Database, demo: DemoStore
    ) -> None:
        assert len(PEOPLE) >= 6
        for person in PEOPLE:
            found = await story(db, demo, person.email)
            assert (found.customer.first_name, found.customer.last_name) == (
                person.first,
                person.last,
            )
            assert found.orders
            assert found.methods
            assert "demo-story" in found.customer.tags


class TestMaya:
    async def test_a_pending_order_from_three_hours_ago_can_be_cancelled_or_resized(
        self, db: Database, demo: DemoStore
    ) -> None:
        maya = await story(db, demo, "maya.chen@example.com")
        pending = maya.order("pending")
        assert demo.anchor - pending.placed_at == dt.timedelta(hours=3)
        assert [o.status for o in maya.orders] == ["cancelled", "delivered", "pending"]
        actor = Actor.shopper(demo.store_id, maya.customer.id)
        async with db.reading() as s:
            plan = await order_service.plan_cancel(
                s, actor, order_id=pending.id, reason="no longer needed"
            )
            line = pending.lines[0]
            other = await s.scalar(
                select(Variant).where(
                    Variant.product_id == line.product_id, Variant.id != line.variant_id
                )
            )
            assert other is not None
            swap = await order_service.plan_modify_items(
                s,
                actor,
                order_id=pending.id,
                items=[LineSwap(line_id=line.id, variant_id=other.id)],
            )
        assert [(m.kind, m.amount, m.method_label) for m in plan.movements] == [
            ("refund", pending.total, "Visa ending 4242")
        ]
        assert swap.modifications_left == 0
        assert all(line.reserved_location_id is not None for line in pending.lines)


class TestDaniel:
    async def test_boots_delivered_six_days_ago_can_be_returned_to_card_or_gift_card(
        self, db: Database, demo: DemoStore
    ) -> None:
        daniel = await story(db, demo, "daniel.okafor@example.org")
        order = daniel.order("delivered")
        boots = order.lines[0]
        actor = Actor.shopper(demo.store_id, daniel.customer.id)
        async with db.reading() as s:
            to_card = await order_service.plan_return(
                s, actor, order_id=order.id, items=[ReturnItem(line_id=boots.id)],
                refund_payment_method_id=daniel.method("card").id,
            )  # fmt: skip
            to_gift = await order_service.plan_return(
                s, actor, order_id=order.id, items=[ReturnItem(line_id=boots.id)],
                refund_payment_method_id=daniel.method("gift_card").id,
            )  # fmt: skip
        assert "Hiking Boots" in boots.title
        assert boots.options["size"] == "10"
        assert to_card.refund_amount == to_gift.refund_amount == boots.unit_price
        assert [m.method_label for m in to_card.refunds] == ["Mastercard ending 5454"]
        assert [(m.method_label, m.status) for m in to_gift.refunds] == [
            ("Gift card ending 7788", "succeeded")
        ]


class TestPriya:
    async def test_a_pending_order_paid_only_by_gift_card_is_refunded_to_it_at_once(
        self, db: Database, demo: DemoStore
    ) -> None:
        priya = await story(db, demo, "priya.raman@example.net")
        pending = priya.order("pending")
        card = priya.method("gift_card")
        assert payments(pending) == [("payment", pending.total, "Gift card ending 3141")]
        assert priya.order("exchanged").total > 0
        async with db.reading() as s:
            plan = await order_service.plan_cancel(
                s, Actor.shopper(demo.store_id, priya.customer.id), order_id=pending.id,
                reason="ordered by mistake",
            )  # fmt: skip
        assert [(m.amount, m.status, m.payment_method_id) for m in plan.movements] == [
            (pending.total, "succeeded", card.id)
        ]


class TestLucas:
    async def test_two_payments_are_both_refunded_and_the_method_cannot_change(
        self, db: Database, demo: DemoStore
    ) -> None:
        lucas = await story(db, demo, "lucas.martin@example.com")
        order = lucas.order("pending")
        rest = order.total - 5000
        assert payments(order) == [
            ("payment", 5000, "Gift card ending 5050"),
            ("payment", rest, "Visa ending 4000"),
        ]
        assert lucas.method("gift_card").balance == 0
        actor = Actor.shopper(demo.store_id, lucas.customer.id)
        async with db.reading() as s:
            plan = await order_service.plan_cancel(
                s, actor, order_id=order.id, reason="ordered by mistake"
            )
            with pytest.raises(AppError) as refused:
                await order_service.plan_modify_payment(
                    s, actor, order_id=order.id, payment_method_id=lucas.method("paypal").id
                )
        assert [(m.amount, m.method_label, m.status) for m in plan.movements] == [
            (5000, "Gift card ending 5050", "succeeded"),
            (rest, "Visa ending 4000", "pending"),
        ]
        assert refused.value.code == "order_has_multiple_payments"


class TestSofia:
    async def test_an_order_already_changed_once_can_be_neither_changed_nor_cancelled(
        self, db: Database, demo: DemoStore
    ) -> None:
        sofia = await story(db, demo, "sofia.rossi@example.org")
        order = sofia.order("pending")
        assert order.item_modifications == 1
        assert sofia.order("returned").status == "returned"
        async with db.reading() as s:
            with pytest.raises(AppError) as refused:
                await order_service.plan_cancel(
                    s, Actor.shopper(demo.store_id, sofia.customer.id), order_id=order.id,
                    reason="ordered by mistake",
                )  # fmt: skip
        assert refused.value.code == "order_modification_limit_reached"


class TestJames:
    async def test_delivered_forty_days_ago_is_past_the_return_window(
        self, db: Database, demo: DemoStore
    ) -> None:
        james = await story(db, demo, "james.whitaker@example.com")
        order = james.order("delivered")
        in_transit = james.order("shipped")
        async with db.reading() as s:
            with pytest.raises(AppError) as refused:
                await order_service.plan_return(
                    s, Actor.shopper(demo.store_id, james.customer.id), order_id=order.id,
                    items=[ReturnItem(line_id=order.lines[0].id)],
                )  # fmt: skip
        assert refused.value.code == "return_window_expired"
        assert in_transit.placed_at > demo.anchor - dt.timedelta(days=3)


class TestElenaAndAmara:
    async def test_a_return_and_an_exchange_in_progress_and_orders_on_their_way(
        self, db: Database, demo: DemoStore
    ) -> None:
        elena = await story(db, demo, "elena.petrova@example.net")
        amara = await story(db, demo, "amara.nwosu@example.com")
        assert {o.status for o in elena.orders} == {"return_requested", "exchange_requested"}
        assert {o.status for o in amara.orders} == {"processing", "shipped"}
        split = amara.order("shipped")
        async with db.reading() as s:
            loaded = await s.scalar(
                select(Order).where(Order.id == split.id).options(selectinload(Order.fulfilments))
            )
        assert loaded is not None
        parcels = loaded.fulfilments
        assert len(parcels) == 2
        assert len({p.tracking_numbers[0] for p in parcels}) == 2
