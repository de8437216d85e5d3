"""The policy checks shared by the operations, and the arithmetic of lines and quantities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from floorwalker.kit.clock import ensure_aware, utcnow
from floorwalker.orders.errors import (
    DuplicateLine,
    LineNotFound,
    ModificationLimitReached,
    OrderNotCancellable,
    OrderNotDelivered,
    OrderNotExchangeable,
    OrderNotModifiable,
    OrderNotReturnable,
    QuantityExceedsOrder,
    ReturnWindowExpired,
)
from floorwalker.orders.models import Order, OrderLine
from floorwalker.orders.schemas import (
    BEFORE_DELIVERY,
    ExchangeStatus,
    OrderStatus,
    PlanLine,
    ReturnStatus,
)
from floorwalker.stores.policy import StorePolicy

OPEN_OR_DONE_RETURNS = frozenset({ReturnStatus.REQUESTED, ReturnStatus.RECEIVED})
OPEN_OR_DONE_EXCHANGES = frozenset({ExchangeStatus.REQUESTED, ExchangeStatus.COMPLETED})


def is_locked(order: Order, policy: StorePolicy) -> bool:
    """Whether the items were changed as often as allowed (then no change or cancel is)."""
    return order.item_modifications > 0 and (
        order.item_modifications >= policy.max_item_modifications
    )


def ensure_not_locked(order: Order, policy: StorePolicy) -> None:
    """Refuse any change to an order whose item changes are used up."""
    if is_locked(order, policy):
        raise ModificationLimitReached(order.item_modifications, policy.max_item_modifications)


def ensure_cancellable(order: Order, policy: StorePolicy) -> None:
    """The status allows cancelling and the item changes are not used up."""
    if order.status not in policy.cancellable_statuses:
        raise OrderNotCancellable(order.status, policy.cancellable_statuses)
    ensure_not_locked(order, policy)


def ensure_modifiable(order: Order, policy: StorePolicy) -> None:
    """The status allows changes and the item changes are not used up."""
    if order.status not in policy.modifiable_statuses:
        raise OrderNotModifiable(order.status, policy.modifiable_statuses)
    ensure_not_locked(order, policy)


def delivered_at(order: Order) -> dt.datetime | None:
    """When the last shipment arrived (None when no shipment records a delivery)."""
    times = [ensure_aware(f.delivered_at) for f in order.fulfilments if f.delivered_at is not None]
    return max(times) if times else None


def window_end(order: Order, policy: StorePolicy) -> dt.datetime | None:
    """When returns and exchanges stop being accepted (None: no limit).

    Counted from the last delivery; an order with no recorded delivery counts from when it
    was placed, which can only shorten the window, never extend it.
    """
    if policy.return_window_days is None:
        return None
    start = delivered_at(order) or ensure_aware(order.placed_at)
    return start + dt.timedelta(days=policy.return_window_days)


def _ensure_within_window(order: Order, policy: StorePolicy) -> dt.datetime | None:
    end = window_end(order, policy)
    if end is not None and utcnow() > end:
        start = delivered_at(order) or ensure_aware(order.placed_at)
        raise ReturnWindowExpired(
            start.isoformat(), policy.return_window_days or 0, end.isoformat()
        )
    return end


def ensure_returnable(order: Order, policy: StorePolicy) -> dt.datetime | None:
    """Status and window allow a return; returns the end of the window."""
    if order.status not in policy.returnable_statuses:
        if order.status in BEFORE_DELIVERY:
            raise OrderNotDelivered(order.status, policy.returnable_statuses)
        raise OrderNotReturnable(order.status, policy.returnable_statuses)
    return _ensure_within_window(order, policy)


def ensure_exchangeable(order: Order, policy: StorePolicy) -> dt.datetime | None:
    """Status and window allow an exchange; returns the end of the window."""
    if order.status not in policy.exchangeable_statuses:
        if order.status in BEFORE_DELIVERY:
            raise OrderNotDelivered(order.status, policy.exchangeable_statuses)
        raise OrderNotExchangeable(order.status, policy.exchangeable_statuses)
    return _ensure_within_window(order, policy)


def returned_quantities(order: Order) -> dict[int, int]:
    """Units per line in returns that are requested or received."""
    out: dict[int, int] = {}
    for ret in order.returns:
        if ret.status in OPEN_OR_DONE_RETURNS:
            for item in ret.items:
                out[int(item["line_id"])] = out.get(int(item["line_id"]), 0) + int(item["quantity"])
    return out


def exchanged_quantities(order: Order) -> dict[int, int]:
    """Units per line in exchanges that are requested or completed."""
    out: dict[int, int] = {}
    for exc in order.exchanges:
        if exc.status in OPEN_OR_DONE_EXCHANGES:
            for item in exc.items:
                out[int(item["line_id"])] = out.get(int(item["line_id"]), 0) + int(item["quantity"])
    return out


def units_left(order: Order) -> dict[int, int]:
    """Units per line neither returned nor exchanged."""
    returned = returned_quantities(order)
    exchanged = exchanged_quantities(order)
    return {
        line.id: line.quantity - returned.get(line.id, 0) - exchanged.get(line.id, 0)
        for line in order.lines
    }


def pick_lines(
    order: Order, items: Iterable[tuple[int, int | None]], *, left: dict[int, int] | None = None
) -> list[tuple[OrderLine, int]]:
    """Resolve (line id, quantity or None for all left) pairs against the order.

    Raises LineNotFound, DuplicateLine or QuantityExceedsOrder.
    """
    lines = {line.id: line for line in order.lines}
    remaining = left if left is not None else {line.id: line.quantity for line in order.lines}
    seen: set[int] = set()
    picked: list[tuple[OrderLine, int]] = []
    for line_id, quantity in items:
        line = lines.get(line_id)
        if line is None:
            raise LineNotFound(line_id)
        if line_id in seen:
            raise DuplicateLine(line_id)
        seen.add(line_id)
        available = remaining.get(line_id, 0)
        wanted = available if quantity is None else quantity
        if wanted > available or wanted <= 0:
            asked = quantity if quantity is not None else line.quantity
            raise QuantityExceedsOrder(line_id, asked, available)
        picked.append((line, wanted))
    return picked


def plan_line(line: OrderLine, quantity: int) -> PlanLine:
    """Units of a line as a plan shows them."""
    return PlanLine(
        line_id=line.id,
        sku=line.sku,
        title=line.title,
        variant_title=line.variant_title,
        quantity=quantity,
        unit_price=line.unit_price,
        amount=quantity * line.unit_price,
    )


def status_after_settling(
    order: Order, *, return_id: int | None = None, exchange_id: int | None = None
) -> str:
    """The status once the given return or exchange is settled.

    Another open return or exchange keeps its requested status; otherwise every unit returned
    makes the order `returned`, every unit returned or exchanged (some exchanged) makes it
    `exchanged`, and anything still with the shopper brings it back to `delivered`, where the
    remaining units may still be returned or exchanged.
    """
    if any(r.status == ReturnStatus.REQUESTED and r.id != return_id for r in order.returns):
        return OrderStatus.RETURN_REQUESTED
    if any(e.status == ExchangeStatus.REQUESTED and e.id != exchange_id for e in order.exchanges):
        return OrderStatus.EXCHANGE_REQUESTED
    returned = returned_quantities(order)
    exchanged = exchanged_quantities(order)
    if all(returned.get(line.id, 0) >= line.quantity for line in order.lines):
        return OrderStatus.RETURNED
    if all(
        returned.get(line.id, 0) + exchanged.get(line.id, 0) >= line.quantity
        for line in order.lines
    ):
        return OrderStatus.EXCHANGED
    return OrderStatus.DELIVERED
