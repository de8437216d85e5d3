"""Swapping units of order lines for other variants of the same product (items and exchanges).

Shared by `modify_items` (pending orders) and `exchange_items` (delivered orders): both check
that each new variant belongs to the line's product, is on sale and is in stock, and compute
the price difference at today's price of the new variant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog import service as catalog_service
from floorwalker.inventory import service as inventory_service
from floorwalker.inventory.errors import InsufficientStock
from floorwalker.kit.actor import Actor
from floorwalker.orders.errors import (
    NoCustomer,
    NothingToChange,
    PaymentMethodRequired,
    VariantNotFound,
    VariantNotSameProduct,
    VariantUnavailable,
)
from floorwalker.orders.models import Order, OrderLine
from floorwalker.orders.schemas import LineSwap, PlanSwap
from floorwalker.orders.service.money import PaymentMethodLike, customer_method, paid_by_method


class VariantLike(Protocol):
    """What a swap reads of a catalog variant."""

    @property
    def id(self) -> int: ...
    @property
    def product_id(self) -> int: ...
    @property
    def sku(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def options(self) -> dict[str, Any]: ...
    @property
    def price(self) -> int: ...


async def plan_swaps(
    session: AsyncSession,
    actor: Actor,
    picked: Sequence[tuple[OrderLine, int]],
    targets: Mapping[int, int],
    *,
    releases_first: bool,
) -> list[PlanSwap]:
    """Check and price each swap of (line, quantity) to `targets[line.id]` (a variant id).

    With `releases_first`, units a swap gives back (Floorwalker's reservations on the old
    variants) count as available to the other swaps of the same request.
    """
    old_ids = [line.variant_id for line, _ in picked if line.variant_id is not None]
    variants = await catalog_service.get_variants(
        session, actor.store_id, [*targets.values(), *old_ids]
    )
    sellable = {vid: catalog_service.is_sellable(v) for vid, v in variants.items()}
    catalog: Mapping[int, VariantLike] = variants
    wanted: dict[int, int] = {}
    freed: dict[int, int] = {}
    swaps: list[PlanSwap] = []
    for line, quantity in picked:
        new_id = targets[line.id]
        new = catalog.get(new_id)
        if new is None:
            raise VariantNotFound(new_id)
        old = catalog.get(line.variant_id) if line.variant_id is not None else None
        product_id = line.product_id
        if product_id is None and old is not None:
            product_id = old.product_id
        if product_id is None or new.product_id != product_id:
            raise VariantNotSameProduct(line.id, new_id)
        if new_id == line.variant_id:
            raise NothingToChange(
                f"Line {line.id} already is {line.variant_title or 'this variant'}.",
                line_id=line.id,
            )
        if not sellable[new_id]:
            raise VariantUnavailable(new_id, quantity, 0)
        wanted[new_id] = wanted.get(new_id, 0) + quantity
        if releases_first and line.reserved_location_id is not None and line.variant_id:
            freed[line.variant_id] = freed.get(line.variant_id, 0) + quantity
        swaps.append(
            PlanSwap(
                line_id=line.id,
                quantity=quantity,
                title=line.title,
                from_variant_id=line.variant_id,
                from_sku=line.sku,
                from_variant_title=line.variant_title,
                from_unit_price=line.unit_price,
                to_variant_id=new.id,
                to_sku=new.sku,
                to_variant_title=new.title,
                to_options=dict(new.options or {}),
                to_unit_price=new.price,
                difference=quantity * (new.price - line.unit_price),
            )
        )
    stock = await inventory_service.available(session, actor.store_id, list(wanted))
    for variant_id, quantity in wanted.items():
        available = stock.get(variant_id, 0) + freed.get(variant_id, 0)
        if available < quantity:
            raise VariantUnavailable(variant_id, quantity, available)
    return swaps


def swap_targets(items: Sequence[LineSwap]) -> tuple[list[tuple[int, int | None]], dict[int, int]]:
    """(line id, quantity) pairs for `pick_lines` and each line's target variant."""
    return [(i.line_id, i.quantity) for i in items], {i.line_id: i.variant_id for i in items}


async def settlement_method(
    session: AsyncSession,
    actor: Actor,
    order: Order,
    payment_method_id: int | None,
    difference: int,
    *,
    lock: bool,
) -> PaymentMethodLike | None:
    """The customer's method that settles a price difference (None when there is none).

    Without an explicit method, the order's own method is used when it was paid with exactly
    one method that is still the customer's; otherwise the caller must say.
    """
    if difference == 0:
        return None
    if order.customer_id is None:
        raise NoCustomer
    if payment_method_id is None:
        paid = paid_by_method(order)
        if len(paid) != 1 or paid[0].payment_method_id is None:
            raise PaymentMethodRequired(difference)
        payment_method_id = paid[0].payment_method_id
    return await customer_method(
        session,
        actor,
        customer_id=order.customer_id,
        payment_method_id=payment_method_id,
        lock=lock,
    )


async def reserve(session: AsyncSession, actor: Actor, variant_id: int, quantity: int) -> int:
    """Reserve units of the new variant; its location. Stock split over places is unavailable."""
    try:
        return await inventory_service.reserve(
            session, actor.store_id, variant_id=variant_id, quantity=quantity
        )
    except InsufficientStock as exc:
        raise VariantUnavailable(variant_id, quantity, int(exc.data["available"])) from None
