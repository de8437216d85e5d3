"""Reading orders on the actor's behalf: one with everything, or a filtered page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.clock import ensure_aware
from floorwalker.orders import schemas
from floorwalker.orders.errors import OrderNotFound
from floorwalker.orders.models import Order
from floorwalker.orders.repository import OrderRepository
from floorwalker.orders.schemas import MAX_ID
from floorwalker.orders.service.access import ensure_can_read, load_order, shopper_filter
from floorwalker.orders.service.money import amount_paid
from floorwalker.orders.service.rules import (
    delivered_at,
    exchanged_quantities,
    returned_quantities,
)


def to_schema(order: Order) -> schemas.Order:
    """The read model of an order loaded with its details."""
    returned = returned_quantities(order)
    exchanged = exchanged_quantities(order)
    lines = [
        schemas.OrderLine.model_validate(line).model_copy(
            update={
                "returned_quantity": returned.get(line.id, 0),
                "exchanged_quantity": exchanged.get(line.id, 0),
            }
        )
        for line in order.lines
    ]
    return schemas.Order(
        id=order.id,
        number=order.number,
        source=order.source,
        external_id=order.external_id,
        customer_id=order.customer_id,
        email=order.email,
        status=order.status,
        currency=order.currency,
        subtotal=order.subtotal,
        shipping_total=order.shipping_total,
        tax_total=order.tax_total,
        discount_total=order.discount_total,
        total=order.total,
        amount_paid=amount_paid(order),
        shipping_address=order.shipping_address or {},
        placed_at=order.placed_at,
        delivered_at=delivered_at(order),
        cancelled_at=order.cancelled_at,
        cancel_reason=order.cancel_reason,
        item_modifications=order.item_modifications,
        note=order.note,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=lines,
        fulfilments=[schemas.Fulfilment.model_validate(f) for f in order.fulfilments],
        transactions=[schemas.PaymentTransaction.model_validate(t) for t in order.transactions],
        returns=[schemas.OrderReturn.model_validate(r) for r in order.returns],
        exchanges=[schemas.OrderExchange.model_validate(e) for e in order.exchanges],
    )


async def get_order(session: AsyncSession, actor: Actor, *, order_id: int) -> schemas.Order:
    """An order with lines, shipments, payments, returns and exchanges; raises OrderNotFound."""
    ensure_can_read(actor)
    return to_schema(await load_order(session, actor, order_id))


async def get_order_by_number(session: AsyncSession, actor: Actor, *, number: str) -> schemas.Order:
    """An order by the number shoppers see ("#W1001" or "W1001"); raises OrderNotFound."""
    ensure_can_read(actor)
    customer_id = shopper_filter(actor, number)
    repo = OrderRepository(session, actor.store_id)
    text = number.strip()
    order = await repo.get_by_number(text, customer_id=customer_id)
    if order is None and text:
        # Shoppers type the number with or without the leading "#".
        other = text[1:] if text.startswith("#") else f"#{text}"
        order = await repo.get_by_number(other, customer_id=customer_id)
    if order is None:
        raise OrderNotFound(number)
    return to_schema(order)


async def list_orders(
    session: AsyncSession,
    actor: Actor,
    *,
    customer_id: int | None = None,
    status: str | None = None,
    number: str | None = None,
    updated_since: dt.datetime | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> Sequence[schemas.OrderSummary]:
    """Orders of the store in id order after `after_id`; a shopper sees only their own."""
    ensure_can_read(actor)
    if actor.kind is ActorKind.ANONYMOUS:
        return []
    own = shopper_filter(actor, "")
    if own is not None:
        if customer_id is not None and customer_id != own:
            return []
        customer_id = own
    if customer_id is not None and not 1 <= customer_id <= MAX_ID:
        return []
    rows = await OrderRepository(session, actor.store_id).list(
        customer_id=customer_id,
        status=status,
        number=number,
        updated_since=ensure_aware(updated_since) if updated_since else None,
        after_id=after_id,
        limit=limit,
    )
    return [schemas.OrderSummary.model_validate(o) for o in rows]


async def count_orders(
    session: AsyncSession, actor: Actor, *, customer_id: int | None = None
) -> int:
    """How many orders the store has, or one customer has (a shopper counts only their own)."""
    ensure_can_read(actor)
    if actor.kind is ActorKind.ANONYMOUS:
        return 0
    own = shopper_filter(actor, "")
    if own is not None:
        if customer_id is not None and customer_id != own:
            return 0
        customer_id = own
    return await OrderRepository(session, actor.store_id).count(customer_id=customer_id)
