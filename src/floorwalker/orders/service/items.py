"""Changing the items of a pending order: other options of the same products."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.money import format_money
from floorwalker.orders.errors import ModificationLimitReached
from floorwalker.orders.models import Order, OrderLine
from floorwalker.orders.schemas import ItemsChangePlan, LineSwap, Operation, StockMove
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import ensure_can_change, load_order, load_policy
from floorwalker.orders.service.money import (
    apply_movements,
    describe_movement,
    ensure_can_pay,
    ensure_can_receive,
    method_movement,
    totals,
)
from floorwalker.orders.service.rules import ensure_modifiable, pick_lines
from floorwalker.orders.service.swaps import plan_swaps, reserve, settlement_method, swap_targets


async def _plan(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    items: Sequence[LineSwap],
    payment_method_id: int | None,
    *,
    lock: bool,
) -> ItemsChangePlan:
    policy = await load_policy(session, actor)
    ensure_modifiable(order, policy)
    if order.item_modifications >= policy.max_item_modifications:
        raise ModificationLimitReached(order.item_modifications, policy.max_item_modifications)
    pairs, targets = swap_targets(items)
    picked = pick_lines(order, pairs)
    swaps = await plan_swaps(session, actor, picked, targets, releases_first=True)
    difference = sum(s.difference for s in swaps)
    method = await settlement_method(
        session, actor, order, payment_method_id, difference, lock=lock
    )
    movements = []
    if method is not None and difference > 0:
        ensure_can_pay(method, difference, order.currency)
        movements.append(
            method_movement("payment", difference, order.currency, method, "items changed")
        )
    elif method is not None and difference < 0:
        ensure_can_receive(method, order.currency)
        movements.append(
            method_movement("refund", -difference, order.currency, method, "items changed")
        )
    stock: list[StockMove] = []
    for (line, quantity), swap in zip(picked, swaps, strict=True):
        if line.reserved_location_id is not None and line.variant_id is not None:
            stock.append(
                StockMove(
                    action="release",
                    variant_id=line.variant_id,
                    quantity=quantity,
                    location_id=line.reserved_location_id,
                )
            )
        stock.append(
            StockMove(
                action="reserve", variant_id=swap.to_variant_id, quantity=quantity, location_id=None
            )
        )
    refund_total, charge_total = totals(movements)
    used = order.item_modifications + 1
    changes = ", ".join(
        f"{s.quantity} × {s.title} {s.from_variant_title} → {s.to_variant_title}".replace("  ", " ")
        for s in swaps
    )
    money = (
        "; ".join(describe_movement(m) for m in movements)
        if movements
        else f"no price difference ({format_money(0, order.currency)})"
    )
    return ItemsChangePlan(
        operation=Operation.MODIFY_ITEMS,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=order.status,
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        stock=stock,
        swaps=swaps,
        price_difference=difference,
        subtotal_before=order.subtotal,
        subtotal_after=order.subtotal + difference,
        total_before=order.total,
        total_after=order.total + difference,
        modifications_used=used,
        modifications_left=max(0, policy.max_item_modifications - used),
        summary=f"Change order {order.number}: {changes}; {money}."
        + (
            " After this the order can no longer be changed or cancelled."
            if used >= policy.max_item_modifications
            else ""
        ),
    )


async def plan_modify_items(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[LineSwap],
    payment_method_id: int | None = None,
) -> ItemsChangePlan:
    """Show what swapping the items would do, without doing it."""
    ensure_can_change(actor)
    order = await load_order(session, actor, order_id)
    return await _plan(session, actor, order, items, payment_method_id, lock=False)


async def _apply(session: AsyncSession, actor: Actor, order: Order, plan: ItemsChangePlan) -> None:
    lines = {line.id: line for line in order.lines}
    # Release first: a later swap of the same request may need the units given back.
    for swap in plan.swaps:
        line = lines[swap.line_id]
        if line.reserved_location_id is not None and line.variant_id is not None:
            await inventory_service.release(
                session,
                actor.store_id,
                variant_id=line.variant_id,
                location_id=line.reserved_location_id,
                quantity=swap.quantity,
            )
    reservations = [m for m in plan.stock if m.action == "reserve"]
    position = max((line.position for line in order.lines), default=0)
    for swap, move in zip(plan.swaps, reservations, strict=True):
        line = lines[swap.line_id]
        location_id = await reserve(session, actor, swap.to_variant_id, swap.quantity)
        move.location_id = location_id
        if swap.quantity == line.quantity:
            line.variant_id = swap.to_variant_id
            line.sku = swap.to_sku
            line.variant_title = swap.to_variant_title
            line.options = swap.to_options
            line.unit_price = swap.to_unit_price
            line.reserved_location_id = location_id
        else:
            position += 1
            line.quantity -= swap.quantity
            order.lines.append(
                OrderLine(
                    store_id=order.store_id,
                    variant_id=swap.to_variant_id,
                    product_id=line.product_id,
                    position=position,
                    sku=swap.to_sku,
                    title=line.title,
                    variant_title=swap.to_variant_title,
                    options=swap.to_options,
                    quantity=swap.quantity,
                    unit_price=swap.to_unit_price,
                    reserved_location_id=location_id,
                )
            )
    await apply_movements(session, actor, order, plan.movements)
    order.subtotal = plan.subtotal_after
    order.total = plan.total_after
    order.item_modifications = plan.modifications_used
    order.updated_at = utcnow()
    await session.flush()


async def modify_items(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    items: Sequence[LineSwap],
    payment_method_id: int | None = None,
    idempotency_key: str | None = None,
) -> ItemsChangePlan:
    """Swap items of a pending order for other available options of the same products."""
    ensure_can_change(actor)

    async def apply(order: Order) -> ItemsChangePlan:
        plan = await _plan(session, actor, order, items, payment_method_id, lock=True)
        await _apply(session, actor, order, plan)
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.MODIFY_ITEMS,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "items": [i.model_dump() for i in items],
            "payment_method_id": payment_method_id,
        },
        idempotency_key=idempotency_key,
        result_type=ItemsChangePlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
