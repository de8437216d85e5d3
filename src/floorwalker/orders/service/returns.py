"""Returning delivered items: the request, then the staff-side receipt that pays the refund."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.money import format_money
from floorwalker.orders.errors import (
    NoCustomer,
    RefundDestinationNotAllowed,
)
from floorwalker.orders.models import Order, OrderReturn
from floorwalker.orders.schemas import (
    MoneyMovement,
    Operation,
    OrderStatus,
    ReturnItem,
    ReturnPlan,
    ReturnStatus,
)
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import (
    ensure_can_change,
    load_order,
    load_policy,
)
from floorwalker.orders.service.money import (
    Paid,
    customer_method,
    describe_movement,
    ensure_can_receive,
    movement,
    paid_by_method,
)
from floorwalker.orders.service.rules import (
    ensure_returnable,
    pick_lines,
    plan_line,
    units_left,
)
from floorwalker.stores.policy import StorePolicy

_Key = tuple[int | None, str, str]


def _key(payment_method_id: int | None, kind: str, label: str) -> _Key:
    return (payment_method_id, "", "") if payment_method_id is not None else (None, kind, label)


def _still_refundable(order: Order) -> list[Paid]:
    """What each method paid, less refunds promised by returns not yet received."""
    promised: dict[_Key, int] = {}
    for ret in order.returns:
        if ret.status == ReturnStatus.REQUESTED:
            for a in ret.refunds:
                k = _key(a.get("payment_method_id"), a["method_kind"], a["method_label"])
                promised[k] = promised.get(k, 0) + int(a["amount"])
    out = []
    for paid in paid_by_method(order):
        left = paid.amount - promised.get(
            _key(paid.payment_method_id, paid.method_kind, paid.method_label), 0
        )
        if left > 0:
            out.append(Paid(paid.payment_method_id, paid.method_kind, paid.method_label, left))
    return out


async def _allocate(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    policy: StorePolicy,
    amount: int,
    refund_payment_method_id: int | None,
) -> tuple[str, list[dict[str, Any]]]:
    """Where the refund goes: (destination, [{payment_method_id, method_kind, ...}, ...])."""
    refundable = _still_refundable(order)
    if refund_payment_method_id is None:
        if "original" not in policy.return_refund_destinations:
            raise RefundDestinationNotAllowed(
                "This store refunds returns to a gift card; say which of your gift cards.",
                allowed=list(policy.return_refund_destinations),
            )
        allocations, left = [], amount
        for paid in refundable:
            share = min(left, paid.amount)
            if share > 0:
                allocations.append(_allocation(paid.payment_method_id, paid, share))
                left -= share
        return "original", allocations
    if order.customer_id is None:
        raise NoCustomer
    method = await customer_method(
        session,
        actor,
        customer_id=order.customer_id,
        payment_method_id=refund_payment_method_id,
        lock=False,
    )
    original = next((p for p in refundable if p.payment_method_id == method.id), None)
    if original is not None:
        if "original" not in policy.return_refund_destinations:
            raise RefundDestinationNotAllowed(
                "This store refunds returns to a gift card.",
                allowed=list(policy.return_refund_destinations),
            )
        if original.amount < amount:
            raise RefundDestinationNotAllowed(
                f"{method.label} paid {format_money(original.amount, order.currency)} of this "
                f"order; the refund is {format_money(amount, order.currency)}.",
                payment_method_id=method.id,
            )
        return "original", [_allocation(method.id, original, amount)] if amount else []
    if method.kind == "gift_card" and "gift_card" in policy.return_refund_destinations:
        ensure_can_receive(method, order.currency)
        paid = Paid(method.id, method.kind, method.label, amount)
        return "gift_card", [_allocation(method.id, paid, amount)] if amount else []
    allowed = " or ".join(
        "the original payment method" if d == "original" else "one of your gift cards"
        for d in policy.return_refund_destinations
    )
    raise RefundDestinationNotAllowed(
        f"Refunds go to {allowed}.",
        payment_method_id=method.id,
        allowed=list(policy.return_refund_destinations),
    )


def _allocation(payment_method_id: int | None, paid: Paid, amount: int) -> dict[str, Any]:
    return {
        "payment_method_id": payment_method_id,
        "method_kind": paid.method_kind,
        "method_label": paid.method_label,
        "amount": amount,
    }


def refunds_of(order: Order, allocations: list[dict[str, Any]], reason: str) -> list[MoneyMovement]:
    return [
        movement(
            "refund",
            int(a["amount"]),
            order.currency,
            payment_method_id=a["payment_method_id"],
            method_kind=a["method_kind"],
            method_label=a["method_label"],
            reason=reason,
        )
        for a in allocations
    ]


async def _plan_return(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    items: Sequence[ReturnItem],
    refund_payment_method_id: int | None,
    reason: str,
) -> ReturnPlan:
    policy = await load_policy(session, actor)
    window_ends_at = ensure_returnable(order, policy)
    picked = pick_lines(order, [(i.line_id, i.quantity) for i in items], left=units_left(order))
    value = sum(line.unit_price * quantity for line, quantity in picked)
    # Never refund more than was paid and not yet refunded or promised (discounts, earlier
    # refunds).
    amount = min(value, sum(p.amount for p in _still_refundable(order)))
    destination, allocations = await _allocate(
        session, actor, order, policy, amount, refund_payment_method_id
    )
    refunds = refunds_of(order, allocations, "return received")
    what = ", ".join(f"{q} × {line.title} {line.variant_title}".strip() for line, q in picked)
    money = "; ".join(describe_movement(m) for m in refunds) or "no refund is due"
    return ReturnPlan(
        operation=Operation.RETURN,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=OrderStatus.RETURN_REQUESTED,
        lines=[plan_line(line, quantity) for line, quantity in picked],
        refund_amount=amount,
        refund_destination="gift_card" if destination == "gift_card" else "original",
        refunds=refunds,
        reason=reason.strip(),
        window_ends_at=window_ends_at,
        summary=f"Return {what} from order {order.number}; once received: {money}.",
    )


async def plan_return(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[ReturnItem],
    refund_payment_method_id: int | None = None,
    reason: str = "",
) -> ReturnPlan:
    """Show what returning the items would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return await _plan_return(session, actor, order, items, refund_payment_method_id, reason)


async def return_items(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[ReturnItem],
    refund_payment_method_id: int | None = None,
    reason: str = "",
    idempotency_key: str | None = None,
) -> ReturnPlan:
    """Request a return of delivered items; the refund is paid when the return is received."""
    ensure_can_change(actor)

    async def apply(order: Order) -> ReturnPlan:
        plan = await _plan_return(session, actor, order, items, refund_payment_method_id, reason)
        allocations: list[dict[str, Any]] = [
            {
                "payment_method_id": m.payment_method_id,
                "method_kind": m.method_kind,
                "method_label": m.method_label,
                "amount": m.amount,
            }
            for m in plan.refunds
        ]
        record = OrderReturn(
            store_id=order.store_id,
            status=ReturnStatus.REQUESTED,
            items=[{"line_id": p.line_id, "quantity": p.quantity} for p in plan.lines],
            refund_amount=plan.refund_amount,
            refund_payment_method_id=allocations[0]["payment_method_id"] if allocations else None,
            refund_method_label=", ".join(a["method_label"] for a in allocations),
            refunds=allocations,
            reason=plan.reason[:500],
        )
        order.returns.append(record)
        order.status = OrderStatus.RETURN_REQUESTED
        order.updated_at = utcnow()
        await session.flush()
        plan.return_id = record.id
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.RETURN,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "items": [i.model_dump() for i in items],
            "refund_payment_method_id": refund_payment_method_id,
            "reason": reason,
        },
        idempotency_key=idempotency_key,
        result_type=ReturnPlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
