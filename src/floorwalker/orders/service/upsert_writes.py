"""Writing upserted orders: bulk inserts for new ones, in-place updates for changed ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.orders.models import Fulfilment, Order, OrderLine, PaymentTransaction
from floorwalker.orders.repository import OrderRepository
from floorwalker.orders.schemas import OrderStatus
from floorwalker.orders.service.upsert_records import Wanted, match_children

#: Statuses in which Floorwalker still holds stock for an order's lines.
HOLDING_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.PROCESSING})


async def insert_new(
    session: AsyncSession, actor: Actor, items: Sequence[tuple[int, Wanted]]
) -> dict[int, int]:
    """Insert new orders with their lines, payments and shipments in bulk; ids by index."""
    if not items:
        return {}
    repo = OrderRepository(session, actor.store_id)
    now = utcnow()
    ids = await repo.insert_orders(
        [
            {
                **wanted.order,
                "store_id": actor.store_id,
                "placed_at": wanted.order["placed_at"] or now,
                "cancelled_at": wanted.order["cancelled_at"],
                "created_at": now,
                "updated_at": now,
            }
            for index, wanted in items
        ]
    )
    order_of = {index: ids[wanted.order["number"]] for index, wanted in items}
    line_ids = await repo.insert_lines(
        [
            {
                **line,
                "store_id": actor.store_id,
                "order_id": order_of[index],
                "position": position,
                "reserved_location_id": None,
            }
            for index, wanted in items
            for position, line in enumerate(wanted.lines)
        ]
    )
    await repo.insert_transactions(
        [
            {
                **txn,
                "store_id": actor.store_id,
                "order_id": order_of[index],
                "created_at": txn["created_at"] or now,
            }
            for index, wanted in items
            for txn in wanted.transactions or []
        ]
    )
    await repo.insert_fulfilments(
        [
            {
                **spec,
                "store_id": actor.store_id,
                "order_id": order_of[index],
                "items": [
                    {
                        "line_id": line_ids[(order_of[index], i["line_index"])],
                        "quantity": i["quantity"],
                    }
                    for i in spec["items"]
                ],
                "created_at": now,
                "updated_at": now,
            }
            for index, wanted in items
            for spec in wanted.fulfilments or []
        ]
    )
    return order_of


def _transaction(
    actor: Actor, spec: dict[str, Any], stored: PaymentTransaction | None
) -> PaymentTransaction:
    values = dict(spec)
    if values["created_at"] is None:
        values["created_at"] = stored.created_at if stored is not None else utcnow()
    if stored is None:
        return PaymentTransaction(store_id=actor.store_id, **values)
    for name, value in values.items():
        setattr(stored, name, value)
    return stored


def _fulfilment_values(order: Order, spec: dict[str, Any]) -> dict[str, Any]:
    values = dict(spec)
    values["items"] = [
        {"line_id": order.lines[i["line_index"]].id, "quantity": i["quantity"]}
        for i in spec["items"]
    ]
    return values


async def _release(session: AsyncSession, actor: Actor, line: OrderLine) -> None:
    if line.reserved_location_id is not None and line.variant_id is not None:
        await inventory_service.release(
            session,
            actor.store_id,
            variant_id=line.variant_id,
            location_id=line.reserved_location_id,
            quantity=line.quantity,
        )
    line.reserved_location_id = None


async def update(session: AsyncSession, actor: Actor, order: Order, wanted: Wanted) -> None:
    for name, value in wanted.order.items():
        if name == "placed_at" and value is None:
            continue
        setattr(order, name, value)
    # Lines.
    matched = match_children([line.external_id for line in order.lines], wanted.lines)
    kept_ids = set()
    lines = []
    for position, (spec, found) in enumerate(zip(wanted.lines, matched, strict=True)):
        if found is None:
            lines.append(OrderLine(store_id=actor.store_id, position=position, **spec))
            continue
        line = order.lines[found]
        kept_ids.add(line.id)
        if line.variant_id != spec["variant_id"] or line.quantity != spec["quantity"]:
            await _release(session, actor, line)
        for name, value in spec.items():
            setattr(line, name, value)
        line.position = position
        lines.append(line)
    for line in order.lines:
        if line.id not in kept_ids:
            await _release(session, actor, line)
    order.lines = lines
    if order.status not in HOLDING_STATUSES:
        for line in lines:
            await _release(session, actor, line)
    # Transactions.
    if wanted.transactions is not None:
        matched = match_children([t.external_id for t in order.transactions], wanted.transactions)
        order.transactions = [
            _transaction(actor, spec, order.transactions[found] if found is not None else None)
            for spec, found in zip(wanted.transactions, matched, strict=True)
        ]
    order.updated_at = utcnow()


def sync_fulfilments(actor: Actor, order: Order, wanted: Wanted) -> None:
    if wanted.fulfilments is None:
        return
    matched = match_children([f.external_id for f in order.fulfilments], wanted.fulfilments)
    out = []
    for spec, found in zip(wanted.fulfilments, matched, strict=True):
        values = _fulfilment_values(order, spec)
        if found is None:
            out.append(Fulfilment(store_id=actor.store_id, **values))
            continue
        fulfilment = order.fulfilments[found]
        for name, value in values.items():
            setattr(fulfilment, name, value)
        out.append(fulfilment)
    order.fulfilments = out
