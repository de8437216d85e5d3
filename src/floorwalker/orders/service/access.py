"""Who may see and change which orders, and loading an order on the actor's behalf."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.auth.errors import InsufficientScope
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.orders.errors import OperationNotAllowed, OrderNotFound
from floorwalker.orders.models import Order
from floorwalker.orders.repository import OrderRepository
from floorwalker.orders.schemas import MAX_ID
from floorwalker.stores import service as store_service
from floorwalker.stores.policy import StorePolicy


def shopper_filter(actor: Actor, ref: int | str) -> int | None:
    """The customer a shopper is limited to (None for staff, keys and jobs).

    Raises OrderNotFound for callers who may see no order at all (anonymous shoppers, a
    shopper without a verified customer), so nothing reveals that an order exists.
    """
    if actor.kind is ActorKind.ANONYMOUS:
        raise OrderNotFound(ref)
    if actor.kind is ActorKind.SHOPPER:
        if actor.customer_id is None:
            raise OrderNotFound(ref)
        return actor.customer_id
    return None


def ensure_can_read(actor: Actor) -> None:
    """Keys, staff and jobs need the read scope; shoppers see only their own orders."""
    if actor.kind in (ActorKind.SHOPPER, ActorKind.ANONYMOUS):
        return
    if not actor.has_scope(Scope.READ):
        raise InsufficientScope(Scope.READ.value)


def ensure_can_change(actor: Actor) -> None:
    """Keys, staff and jobs need the write scope; shoppers may act on their own orders."""
    if actor.kind in (ActorKind.SHOPPER, ActorKind.ANONYMOUS):
        return
    if not actor.has_scope(Scope.WRITE):
        raise InsufficientScope(Scope.WRITE.value)


def ensure_staff_side(actor: Actor, operation: str) -> None:
    """Only the store's side (staff, keys, jobs) completes returns and exchanges."""
    if actor.kind in (ActorKind.SHOPPER, ActorKind.ANONYMOUS):
        raise OperationNotAllowed(operation)
    ensure_can_change(actor)


async def load_order(
    session: AsyncSession, actor: Actor, order_id: int, *, lock: bool = False
) -> Order:
    """The order with everything loaded, if the actor may see it; locked when `lock`."""
    customer_id = shopper_filter(actor, order_id)
    if not 1 <= order_id <= MAX_ID:
        raise OrderNotFound(order_id)
    order = await OrderRepository(session, actor.store_id).get(
        order_id, for_update=lock, customer_id=customer_id
    )
    if order is None:
        raise OrderNotFound(order_id)
    return order


async def load_policy(session: AsyncSession, actor: Actor) -> StorePolicy:
    """The policy of the actor's store."""
    return store_service.policy_of(await store_service.get_or_raise(session, actor.store_id))
