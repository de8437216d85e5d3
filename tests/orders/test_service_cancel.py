"""Cancelling an order (orders.service.plan_cancel / cancel)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from floorwalker.audit.models import AuditEntry
from floorwalker.auth.errors import InsufficientScope
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.db import Database
from floorwalker.kit.idempotency import IdempotencyKeyReused
from floorwalker.orders import service as order_service
from floorwalker.orders.errors import (
    InvalidCancelReason,
    ModificationLimitReached,
    OrderNotCancellable,
    OrderNotFound,
)
from floorwalker.orders.models import Order
from floorwalker.stores.models import Store
from tests.orders.shop import Shop, balance, place_order, reload, snapshot, stock, transactions


class TestCancel:
    async def test_refunds_a_card_payment_as_pending_and_cancels(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.transaction() as s:
            plan = await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed"
            )

        assert plan.executed is True
        assert plan.status_before == "pending"
        assert plan.status_after == "cancelled"
        assert plan.refund_total == 4500
        assert plan.charge_total == 0
        assert [(m.kind, m.amount, m.method_label, m.status) for m in plan.movements] == [
            ("refund", 4500, "Visa ending 4242", "pending")
        ]
        assert plan.summary == (
            f"Cancel order {order.number} (no longer needed): refund $45.00 to Visa ending 4242 "
            "(within 5-7 business days)."
        )
        stored = await reload(db, order)
        assert stored.status == "cancelled"
        assert stored.cancel_reason == "no longer needed"
        assert stored.cancelled_at is not None
        assert await transactions(db, order) == [
            ("payment", 4500, "Visa ending 4242", "succeeded", "order placed"),
            ("refund", 4500, "Visa ending 4242", "pending", "order cancelled"),
        ]
        async with db.reading() as s:
            entries = list(
                await s.scalars(select(AuditEntry).where(AuditEntry.store_id == shop.store.id))
            )
        assert [(e.action, e.actor, e.subject_id) for e in entries] == [
            ("order.cancel", f"shopper:{shop.customer.id}", str(order.id))
        ]
        assert entries[0].data["plan"]["refund_total"] == 4500
        assert plan.audit_entry_id == entries[0].id

    async def test_each_payment_goes_back_to_its_own_method(self, db: Database, shop: Shop) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 2)], pay_with=[(shop.gift_card, 3000), (shop.card, 6000)]
        )
        assert await balance(db, shop.gift_card) == 7000

        async with db.transaction() as s:
            plan = await order_service.cancel(
                s, shop.staff, order_id=order.id, reason="ordered by mistake"
            )

        assert [(m.method_label, m.amount, m.status) for m in plan.movements] == [
            ("Gift card ending 7777", 3000, "succeeded"),
            ("Visa ending 4242", 6000, "pending"),
        ]
        assert await balance(db, shop.gift_card) == 10000
        assert await transactions(db, order) == [
            ("payment", 3000, "Gift card ending 7777", "succeeded", "order placed"),
            ("payment", 6000, "Visa ending 4242", "succeeded", "order placed"),
            ("refund", 3000, "Gift card ending 7777", "succeeded", "order cancelled"),
            ("refund", 6000, "Visa ending 4242", "pending", "order cancelled"),
        ]

    async def test_releases_the_stock_floorwalker_held(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 2)], hold_stock=True)
        assert await stock(db, shop.m_blue) == (5, 2)

        async with db.transaction() as s:
            plan = await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed"
            )

        assert [(m.action, m.variant_id, m.quantity) for m in plan.stock] == [
            ("release", shop.m_blue.id, 2)
        ]
        assert await stock(db, shop.m_blue) == (5, 0)
        assert [line.reserved_location_id for line in (await reload(db, order)).lines] == [None]

    async def test_the_reason_is_matched_without_regard_to_case_or_spacing(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.transaction() as s:
            plan = await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="  Ordered  By Mistake "
            )

        assert plan.reason == "ordered by mistake"
        assert (await reload(db, order)).cancel_reason == "ordered by mistake"

    async def test_the_plan_shows_everything_and_writes_nothing(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1), (shop.mug_variant, 2)])
        before = await snapshot(db, shop.store)

        async with db.transaction() as s:
            plan = await order_service.plan_cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed"
            )

        assert plan.executed is False
        assert plan.order_number == order.number
        assert [(p.sku, p.quantity, p.unit_price, p.amount) for p in plan.lines] == [
            (shop.m_blue.sku, 1, 4500, 4500),
            (shop.mug_variant.sku, 2, 1200, 2400),
        ]
        assert plan.refund_total == 6900
        assert await snapshot(db, shop.store) == before


class TestCancelRefusals:
    async def _refused(
        self, db: Database, shop: Shop, actor: Actor, order: Order, reason: str, error: type
    ) -> Exception:
        before = await snapshot(db, shop.store)
        async with db.transaction() as s:
            with pytest.raises(error) as caught:
                await order_service.cancel(s, actor, order_id=order.id, reason=reason)
        # The caller's transaction committed: the service itself left nothing behind.
        assert await snapshot(db, shop.store) == before
        return caught.value

    async def test_an_order_being_processed_is_not_cancellable(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)], status="processing")

        error = await self._refused(
            db, shop, shop.shopper, order, "no longer needed", OrderNotCancellable
        )

        assert error.to_dict() == {
            "error": "order_not_cancellable",
            "detail": "The order is processing; it can be cancelled only while pending.",
            "order_status": "processing",
            "allowed": ["pending"],
        }

    async def test_a_reason_outside_the_policy_is_refused(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        error = await self._refused(
            db, shop, shop.shopper, order, "found it cheaper", InvalidCancelReason
        )

        assert error.to_dict()["allowed"] == ["no longer needed", "ordered by mistake"]
        assert error.to_dict()["error"] == "invalid_cancel_reason"

    async def test_an_order_whose_items_were_changed_cannot_be_cancelled(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await s.execute(update(Order).where(Order.id == order.id).values(item_modifications=1))

        error = await self._refused(
            db, shop, shop.shopper, order, "no longer needed", ModificationLimitReached
        )

        assert error.code == "order_modification_limit_reached"

    async def test_another_shoppers_order_does_not_exist_for_them(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        error = await self._refused(
            db, shop, shop.stranger, order, "no longer needed", OrderNotFound
        )

        assert error.code == "order_not_found"

    async def test_an_anonymous_shopper_sees_no_order(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        anonymous = Actor.anonymous(shop.store.id, "session-1")

        await self._refused(db, shop, anonymous, order, "no longer needed", OrderNotFound)

    async def test_a_read_only_key_may_not_cancel(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        reader = Actor(
            store_id=shop.store.id, kind=ActorKind.API_KEY, id="9", scopes=frozenset({Scope.READ})
        )

        error = await self._refused(db, shop, reader, order, "no longer needed", InsufficientScope)

        assert error.code == "insufficient_scope"

    async def test_another_stores_order_is_not_found(
        self, db: Database, shop: Shop, other_store: Store
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        await self._refused(
            db, shop, Actor.system(other_store.id), order, "no longer needed", OrderNotFound
        )


class TestCancelIdempotency:
    async def test_a_retry_with_the_same_key_returns_the_first_result_and_refunds_once(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(
            db, shop, lines=[(shop.m_blue, 1)], pay_with=[(shop.gift_card, 4500)]
        )

        async with db.transaction() as s:
            first = await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed", idempotency_key="k1"
            )
        after_first = await snapshot(db, shop.store)
        async with db.transaction() as s:
            again = await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed", idempotency_key="k1"
            )

        assert again == first
        assert await snapshot(db, shop.store) == after_first
        assert await balance(db, shop.gift_card) == 10000
        assert [t[0] for t in await transactions(db, order)] == ["payment", "refund"]

    async def test_the_same_key_with_other_arguments_is_refused(
        self, db: Database, shop: Shop
    ) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed", idempotency_key="k2"
            )
        before = await snapshot(db, shop.store)

        async with db.transaction() as s:
            with pytest.raises(IdempotencyKeyReused):
                await order_service.cancel(
                    s,
                    shop.shopper,
                    order_id=order.id,
                    reason="ordered by mistake",
                    idempotency_key="k2",
                )

        assert await snapshot(db, shop.store) == before

    async def test_without_a_key_a_second_cancel_is_refused(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])
        async with db.transaction() as s:
            await order_service.cancel(
                s, shop.shopper, order_id=order.id, reason="no longer needed"
            )

        async with db.transaction() as s:
            with pytest.raises(OrderNotCancellable):
                await order_service.cancel(
                    s, shop.shopper, order_id=order.id, reason="no longer needed"
                )

        assert [t[0] for t in await transactions(db, order)] == ["payment", "refund"]
