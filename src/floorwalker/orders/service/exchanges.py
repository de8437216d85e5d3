"""Exchanging delivered items for other available options of the same products."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.models import Order, OrderExchange
from floorwalker.orders.schemas import (
    ExchangePlan,
    ExchangeStatus,
    LineSwap,
    MoneyMovement,
    Operation,
    OrderStatus,
    StockMove,
)
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import ensure_can_change, load_order, load_policy
from floorwalker.orders.service.money import (
    apply_movements,
    describe_movement,
    ensure_can_pay,
    ensure_can_receive,
    method_movement,
    ref_of,
    totals,
)
from floorwalker.orders.service.rules import ensure_exchangeable, pick_lines, units_left
from floorwalker.orders.service.swaps import plan_swaps, reserve, settlement_method, swap_targets


async def _plan(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    items: Sequence[LineSwap],
    payment_method_id: int | None,
    reason: str,
    *,
    lock: bool,
) -> ExchangePlan:
    policy = await load_policy(session, actor)
    window_ends_at = ensure_exchangeable(order, policy)
    pairs, targets = swap_targets(items)
    picked = pick_lines(order, pairs, left=units_left(order))
    swaps = await plan_swaps(session, actor, picked, targets, releases_first=False)
    difference = sum(s.difference for s in swaps)
    method = await settlement_method(
        session, actor, order, payment_method_id, difference, lock=lock
    )
    movements: list[MoneyMovement] = []
    later: MoneyMovement | None = None
    if method is not None and difference > 0:
        ensure_can_pay(method, difference, order.currency)
        movements.append(method_movement("payment", difference, order.currency, method, "exchange"))
    elif method is not None and difference < 0:
        ensure_can_receive(method, order.currency)
        later = method_movement("refund", -difference, order.currency, method, "exchange")
    refund_total, charge_total = totals(movements)
    changes = ", ".join(
        " ".join(f"{s.quantity} × {s.title} {s.from_variant_title}".split())
        + f" for {s.to_variant_title}"
        for s in swaps
    )
    if movements:
        money = "; ".join(describe_movement(m) for m in movements) + " now"
    elif later is not None:
        money = describe_movement(later) + " once the items are received"
    else:
        money = "no price difference"
    return ExchangePlan(
        operation=Operation.EXCHANGE,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=OrderStatus.EXCHANGE_REQUESTED,
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        stock=[
            StockMove(
                action="reserve", variant_id=s.to_variant_id, quantity=s.quantity, location_id=None
            )
            for s in swaps
        ],
        swaps=swaps,
        price_difference=difference,
        settlement_method=ref_of(method) if method is not None else None,
        refund_on_receipt=later,
        reason=reason.strip(),
        window_ends_at=window_ends_at,
        summary=f"Exchange {changes} from order {order.number}; {money}.",
    )


async def plan_exchange(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[LineSwap],
    payment_method_id: int | None = None,
    reason: str = "",
) -> ExchangePlan:
    """Show what exchanging the items would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return await _plan(session, actor, order, items, payment_method_id, reason, lock=False)


async def exchange_items(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[LineSwap],
    payment_method_id: int | None = None,
    reason: str = "",
    idempotency_key: str | None = None,
) -> ExchangePlan:
    """Request an exchange of delivered items; the replacements are reserved at once."""
    ensure_can_change(actor)

    async def apply(order: Order) -> ExchangePlan:
        plan = await _plan(session, actor, order, items, payment_method_id, reason, lock=True)
        records = []
        for swap, move in zip(plan.swaps, plan.stock, strict=True):
            move.location_id = await reserve(session, actor, swap.to_variant_id, swap.quantity)
            records.append(
                {
                    "line_id": swap.line_id,
                    "quantity": swap.quantity,
                    "new_variant_id": swap.to_variant_id,
                    "new_sku": swap.to_sku,
                    "new_variant_title": swap.to_variant_title,
                    "new_options": swap.to_options,
                    "new_unit_price": swap.to_unit_price,
                    "reserved_location_id": move.location_id,
                }
            )
        await apply_movements(session, actor, order, plan.movements)
        method = plan.settlement_method
        record = OrderExchange(
            store_id=order.store_id,
            status=ExchangeStatus.REQUESTED,
            items=records,
            price_difference=plan.price_difference,
            settlement_payment_method_id=method.payment_method_id if method else None,
            settlement_method_kind=method.kind if method else "",
            settlement_method_label=method.label if method else "",
            reason=plan.reason[:500],
        )
        order.exchanges.append(record)
        order.status = OrderStatus.EXCHANGE_REQUESTED
        order.updated_at = utcnow()
        await session.flush()
        plan.exchange_id = record.id
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.EXCHANGE,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "items": [i.model_dump() for i in items],
            "payment_method_id": payment_method_id,
            "reason": reason,
        },
        idempotency_key=idempotency_key,
        result_type=ExchangePlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
