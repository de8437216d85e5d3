"""The store's side of returns and exchanges: receiving the units, paying what is due.

Only staff, API keys with the write scope and jobs complete them; a shopper cannot.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory import service as inventory_service
from floorwalker.inventory.errors import LocationNotFound as InventoryLocationNotFound
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.errors import (
    ExchangeNotFound,
    ExchangeNotOpen,
    LocationNotFound,
    RestockLocationRequired,
    ReturnNotFound,
    ReturnNotOpen,
)
from floorwalker.orders.models import Order, OrderExchange, OrderLine, OrderReturn
from floorwalker.orders.schemas import (
    MAX_ID,
    ExchangeCompletionPlan,
    ExchangeStatus,
    Operation,
    PlanSwap,
    ReturnCompletionPlan,
    ReturnStatus,
    StockMove,
)
from floorwalker.orders.service import execution
from floorwalker.orders.service.access import ensure_staff_side, load_order
from floorwalker.orders.service.money import (
    apply_movements,
    describe_movement,
    movement,
    totals,
)
from floorwalker.orders.service.returns import refunds_of
from floorwalker.orders.service.rules import plan_line, status_after_settling


def _restock(
    entries: Sequence[tuple[OrderLine, int, int | None]], location_id: int | None, restock: bool
) -> list[StockMove]:
    """Units back on hand at `location_id`, else at each entry's own location."""
    if not restock:
        return []
    moves = []
    for line, quantity, fallback in entries:
        if line.variant_id is None:
            continue  # the variant no longer exists; nothing to put back
        where = location_id if location_id is not None else fallback
        if where is None:
            raise RestockLocationRequired(line.id)
        moves.append(
            StockMove(
                action="restock", variant_id=line.variant_id, quantity=quantity, location_id=where
            )
        )
    return moves


async def _apply_stock(session: AsyncSession, actor: Actor, moves: Sequence[StockMove]) -> None:
    for move in moves:
        assert move.location_id is not None
        if move.action == "restock":
            await inventory_service.restock(
                session,
                actor.store_id,
                variant_id=move.variant_id,
                location_id=move.location_id,
                quantity=move.quantity,
            )
        elif move.action == "release":
            await inventory_service.release(
                session,
                actor.store_id,
                variant_id=move.variant_id,
                location_id=move.location_id,
                quantity=move.quantity,
            )


async def _ensure_location(session: AsyncSession, actor: Actor, location_id: int | None) -> None:
    """An explicit location must be one of the store's (restocking elsewhere does nothing)."""
    if location_id is None:
        return
    try:
        if not 1 <= location_id <= MAX_ID:
            raise InventoryLocationNotFound(location_id)
        await inventory_service.get_location_or_raise(session, actor.store_id, location_id)
    except InventoryLocationNotFound:
        raise LocationNotFound(location_id) from None


# ----------------------------------------------------------------------------- returns


def _open_return(order: Order, return_id: int) -> OrderReturn:
    record = next((r for r in order.returns if r.id == return_id), None)
    if record is None:
        raise ReturnNotFound(return_id)
    if record.status != ReturnStatus.REQUESTED:
        raise ReturnNotOpen(return_id, record.status)
    return record


def _plan_return(
    order: Order, return_id: int, location_id: int | None, restock: bool
) -> ReturnCompletionPlan:
    record = _open_return(order, return_id)
    lines = {line.id: line for line in order.lines}
    picked = [(lines[int(i["line_id"])], int(i["quantity"])) for i in record.items]
    movements = refunds_of(order, record.refunds, "return received")
    refund_total, charge_total = totals(movements)
    money = "; ".join(describe_movement(m) for m in movements) or "no refund is due"
    return ReturnCompletionPlan(
        operation=Operation.COMPLETE_RETURN,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=status_after_settling(order, return_id=return_id),
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        stock=_restock(
            [(line, q, line.reserved_location_id) for line, q in picked], location_id, restock
        ),
        return_id=return_id,
        lines=[plan_line(line, quantity) for line, quantity in picked],
        refund_amount=record.refund_amount,
        summary=f"Receive return {return_id} of order {order.number}: {money}.",
    )


async def plan_complete_return(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    return_id: int,
    location_id: int | None = None,
    restock: bool = True,
) -> ReturnCompletionPlan:
    """Show what receiving the return would do, without doing it."""
    ensure_staff_side(actor, Operation.COMPLETE_RETURN)
    order = await load_order(session, actor, order_id)
    await _ensure_location(session, actor, location_id)
    return _plan_return(order, return_id, location_id, restock)


async def complete_return(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    return_id: int,
    location_id: int | None = None,
    restock: bool = True,
    idempotency_key: str | None = None,
) -> ReturnCompletionPlan:
    """Receive a return: put the units back on hand (unless `restock` is off), pay the refund."""
    ensure_staff_side(actor, Operation.COMPLETE_RETURN)

    async def apply(order: Order) -> ReturnCompletionPlan:
        await _ensure_location(session, actor, location_id)
        plan = _plan_return(order, return_id, location_id, restock)
        await _apply_stock(session, actor, plan.stock)
        await apply_movements(session, actor, order, plan.movements)
        record = _open_return(order, return_id)
        record.status = ReturnStatus.RECEIVED
        record.completed_at = utcnow()
        order.status = plan.status_after
        order.updated_at = utcnow()
        await session.flush()
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.COMPLETE_RETURN,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "return_id": return_id,
            "location_id": location_id,
            "restock": restock,
        },
        idempotency_key=idempotency_key,
        result_type=ReturnCompletionPlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )


# ----------------------------------------------------------------------------- exchanges


def _open_exchange(order: Order, exchange_id: int) -> OrderExchange:
    record = next((e for e in order.exchanges if e.id == exchange_id), None)
    if record is None:
        raise ExchangeNotFound(exchange_id)
    if record.status != ExchangeStatus.REQUESTED:
        raise ExchangeNotOpen(exchange_id, record.status)
    return record


def _plan_exchange(
    order: Order, exchange_id: int, location_id: int | None, restock: bool
) -> ExchangeCompletionPlan:
    record = _open_exchange(order, exchange_id)
    lines = {line.id: line for line in order.lines}
    swaps: list[PlanSwap] = []
    entries: list[tuple[OrderLine, int, int | None]] = []
    releases: list[StockMove] = []
    for item in record.items:
        line, quantity = lines[int(item["line_id"])], int(item["quantity"])
        reserved_at = item.get("reserved_location_id")
        entries.append((line, quantity, reserved_at))
        if reserved_at is not None:
            # The replacement leaves with this exchange: it no longer needs holding.
            releases.append(
                StockMove(
                    action="release",
                    variant_id=int(item["new_variant_id"]),
                    quantity=quantity,
                    location_id=reserved_at,
                )
            )
        swaps.append(
            PlanSwap(
                line_id=line.id,
                quantity=quantity,
                title=line.title,
                from_variant_id=line.variant_id,
                from_sku=line.sku,
                from_variant_title=line.variant_title,
                from_unit_price=line.unit_price,
                to_variant_id=int(item["new_variant_id"]),
                to_sku=item.get("new_sku"),
                to_variant_title=item.get("new_variant_title") or "",
                to_options=item.get("new_options") or {},
                to_unit_price=int(item["new_unit_price"]),
                difference=quantity * (int(item["new_unit_price"]) - line.unit_price),
            )
        )
    movements = []
    if record.price_difference < 0:
        movements.append(
            movement(
                "refund",
                -record.price_difference,
                order.currency,
                payment_method_id=record.settlement_payment_method_id,
                method_kind=record.settlement_method_kind,
                method_label=record.settlement_method_label,
                reason="exchange",
            )
        )
    refund_total, charge_total = totals(movements)
    money = "; ".join(describe_movement(m) for m in movements) or "nothing is due"
    return ExchangeCompletionPlan(
        operation=Operation.COMPLETE_EXCHANGE,
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        currency=order.currency,
        status_before=order.status,
        status_after=status_after_settling(order, exchange_id=exchange_id),
        movements=movements,
        refund_total=refund_total,
        charge_total=charge_total,
        stock=[*_restock(entries, location_id, restock), *releases],
        exchange_id=exchange_id,
        swaps=swaps,
        price_difference=record.price_difference,
        summary=f"Complete exchange {exchange_id} of order {order.number}: {money}.",
    )


async def plan_complete_exchange(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    exchange_id: int,
    location_id: int | None = None,
    restock: bool = True,
) -> ExchangeCompletionPlan:
    """Show what completing the exchange would do, without doing it."""
    ensure_staff_side(actor, Operation.COMPLETE_EXCHANGE)
    order = await load_order(session, actor, order_id)
    await _ensure_location(session, actor, location_id)
    return _plan_exchange(order, exchange_id, location_id, restock)


async def complete_exchange(
    session: AsyncSession,
    actor: Actor,
    *,
    order_id: int,
    exchange_id: int,
    location_id: int | None = None,
    restock: bool = True,
    idempotency_key: str | None = None,
) -> ExchangeCompletionPlan:
    """Complete an exchange: old units back on hand, replacement dispatched, refund a surplus."""
    ensure_staff_side(actor, Operation.COMPLETE_EXCHANGE)

    async def apply(order: Order) -> ExchangeCompletionPlan:
        await _ensure_location(session, actor, location_id)
        plan = _plan_exchange(order, exchange_id, location_id, restock)
        await _apply_stock(session, actor, plan.stock)
        await apply_movements(session, actor, order, plan.movements)
        record = _open_exchange(order, exchange_id)
        record.status = ExchangeStatus.COMPLETED
        record.completed_at = utcnow()
        order.status = plan.status_after
        order.updated_at = utcnow()
        await session.flush()
        return plan

    return await execution.run(
        session,
        actor,
        operation=Operation.COMPLETE_EXCHANGE,
        subject_type="order",
        subject_id=order_id,
        arguments={
            "order_id": order_id,
            "exchange_id": exchange_id,
            "location_id": location_id,
            "restock": restock,
        },
        idempotency_key=idempotency_key,
        result_type=ExchangeCompletionPlan,
        lock=lambda: load_order(session, actor, order_id, lock=True),
        apply=apply,
    )
