"""Cancelling an order: every payment refunded to its own method, reservations released."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.errors import InvalidCancelReason
from floorwalker.orders.models import Order
from floorwalker.orders.schemas import CancelPlan, Operation, OrderStatus, StockMove
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import ensure_can_change, load_order, load_policy
from floorwalker.orders.service.money import (
    apply_movements,
    describe_movement,
    movement,
    paid_by_method,
    totals,
)
from floorwalker.orders.service.rules import ensure_cancellable, plan_line
from floorwalker.stores.policy import StorePolicy


def _canonical_reason(reason: str, policy: StorePolicy) -> str:
    """The policy's spelling of the reason (case and spacing do not matter)."""
    wanted = " ".join(reason.split()).casefold()
    for allowed in policy.cancel_reasons:
        if " ".join(allowed.split()).casefold() == wanted:
            return allowed
    raise InvalidCancelReason(reason, policy.cancel_reasons)


def _plan(order: Order, policy: StorePolicy, reason: str) -> CancelPlan:
    ensure_cancellable(order, policy)
    canonical = _canonical_reason(reason, policy)
    movements = [
        movement(
            "refund",
            paid.amount,
            order.currency,
            payment_method_id=paid.payment_method_id,
            method_kind=paid.method_kind,
            method_label=paid.method_label,
            reason="order cancelled",
        )
        for paid in paid_by_method(order)
    ]
    refund_total, charge_total = totals(movements)
    stock = [
        StockMove(
            action="release",
            variant_id=line.variant_id,
            quantity=line.quantity,
            location_id=line.reserved_location_id,
        )
        for line in order.lines
        if line.reserved_location_id is not None and line.variant_id is not None
    ]
    money = "; ".join(describe_movement(m) for m in movements) or "nothing was paid"
    return CancelPlan(
        operation=Operation.CANCEL,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=OrderStatus.CANCELLED,
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        stock=stock,
        reason=canonical,
        lines=[plan_line(line, line.quantity) for line in order.lines],
        summary=f"Cancel order {order.number} ({canonical}): {money}.",
    )


async def plan_cancel(
    session: AsyncSession, actor: Actor, *, order_id: int, reason: str
) -> CancelPlan:
    """Show what cancelling the order would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return _plan(order, await load_policy(session, actor), reason)


async def cancel(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    reason: str,
    idempotency_key: str | None = None,
) -> CancelPlan:
    """Cancel an order: refund every payment to its method, release stock Floorwalker held."""
    ensure_can_change(actor)

    async def apply(order: Order) -> CancelPlan:
        plan = _plan(order, await load_policy(session, actor), reason)
        await apply_movements(session, actor, order, plan.movements)
        for line in order.lines:
            if line.reserved_location_id is not None and line.variant_id is not None:
                await inventory_service.release(
                    session,
                    actor.store_id,
                    variant_id=line.variant_id,
                    location_id=line.reserved_location_id,
                    quantity=line.quantity,
                )
                line.reserved_location_id = None
        order.status = OrderStatus.CANCELLED
        order.cancelled_at = utcnow()
        order.cancel_reason = plan.reason
        order.updated_at = utcnow()
        await session.flush()
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.CANCEL,
        subject_type="order",
        subject_id=order_id,
        arguments={"order_id": order_id, "reason": reason},
        idempotency_key=idempotency_key,
        result_type=CancelPlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
