"""Read-only analytical queries for stock and forecasts (docs/decisions/0007).

The forecast job reads a store's whole sales history at once, and the stock reports read every
variant's levels; both go straight to the orders, catalog and inventory tables. Nothing here
writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.catalog.models import Category, Product, Variant
from floorwalker.inventory.models import InventoryLevel, Location
from floorwalker.orders.models import Order, OrderLine

#: Orders in these statuses are not demand.
NOT_DEMAND = ("cancelled",)


@dataclass(frozen=True, slots=True)
class SaleLine:
    """One order line as the forecast sees it."""

    variant_id: int
    product_id: int
    placed_at: dt.datetime
    quantity: int
    order_id: int
    customer_id: int | None


async def sales_lines(
    session: AsyncSession, store_id: int, *, since: dt.datetime, until: dt.datetime
) -> list[SaleLine]:
    """Order lines with a variant placed in [since, until), cancelled orders left out."""
    rows = await session.execute(
        select(
            OrderLine.variant_id,
            func.coalesce(OrderLine.product_id, Variant.product_id),
            Order.placed_at,
            OrderLine.quantity,
            Order.id,
            Order.customer_id,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .where(
            Order.store_id == store_id,
            OrderLine.store_id == store_id,
            Order.placed_at >= since,
            Order.placed_at < until,
            Order.status.not_in(NOT_DEMAND),
            OrderLine.variant_id.is_not(None),
            OrderLine.quantity > 0,
        )
        .order_by(Order.placed_at, OrderLine.id)
    )
    return [
        SaleLine(int(variant), int(product), placed, qty, order, customer)
        for variant, product, placed, qty, order, customer in rows.all()
        if variant is not None
    ]


async def sales_fingerprint(
    session: AsyncSession, store_id: int, *, since: dt.datetime, until: dt.datetime
) -> tuple[int, int, int, str]:
    """Lines, units, the largest order id and the latest order change in the window."""
    row = (
        await session.execute(
            select(
                func.count(OrderLine.id),
                func.coalesce(func.sum(OrderLine.quantity), 0),
                func.coalesce(func.max(Order.id), 0),
                func.max(Order.updated_at),
            )
            .join(Order, Order.id == OrderLine.order_id)
            .where(
                Order.store_id == store_id,
                Order.placed_at >= since,
                Order.placed_at < until,
                Order.status.not_in(NOT_DEMAND),
                OrderLine.variant_id.is_not(None),
            )
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), str(row[3] or "")


@dataclass(slots=True)
class VariantStock:
    """A variant with its stock at each location."""

    variant_id: int
    product_id: int
    sku: str | None
    title: str
    variant_title: str
    category_id: int | None
    product_status: str
    variant_status: str
    #: (location id, location code, on hand, reserved)
    levels: list[tuple[int, str, int, int]] = field(default_factory=list)

    @property
    def on_hand(self) -> int:
        """Units on hand over every location."""
        return sum(level[2] for level in self.levels)

    @property
    def available(self) -> int:
        """Units that can be sold over every location (each location never below 0)."""
        return sum(max(0, level[2] - level[3]) for level in self.levels)


async def variant_stock(
    session: AsyncSession,
    store_id: int,
    *,
    variant_ids: Sequence[int] | None = None,
    category_ids: Sequence[int] | None = None,
    include_inactive: bool = False,
) -> list[VariantStock]:
    """Every variant of the store (or the ones asked for) with its levels, by variant id."""
    query = (
        select(
            Variant.id,
            Variant.product_id,
            Variant.sku,
            Product.title,
            Variant.title,
            Product.category_id,
            Product.status,
            Variant.status,
        )
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.store_id == store_id, Product.store_id == store_id)
        .order_by(Variant.id)
    )
    if not include_inactive:
        query = query.where(Product.status == "active", Variant.status == "active")
    if variant_ids is not None:
        query = query.where(Variant.id.in_(list(variant_ids)))
    if category_ids is not None:
        query = query.where(Product.category_id.in_(list(category_ids)))
    found = {row[0]: VariantStock(*row) for row in (await session.execute(query)).all()}
    if not found:
        return []
    levels = await session.execute(
        select(
            InventoryLevel.variant_id,
            InventoryLevel.location_id,
            Location.code,
            InventoryLevel.on_hand,
            InventoryLevel.reserved,
        )
        .join(Location, Location.id == InventoryLevel.location_id)
        .where(InventoryLevel.store_id == store_id, Location.active.is_(True))
        .order_by(InventoryLevel.variant_id, Location.id)
    )
    for variant_id, location_id, code, on_hand, reserved in levels.all():
        if variant_id in found:
            found[variant_id].levels.append((location_id, code, on_hand, reserved))
    return list(found.values())


async def category_parents(session: AsyncSession, store_id: int) -> dict[int, int | None]:
    """Each category's parent (for finding the nearest category with a stock rule)."""
    rows = await session.execute(
        select(Category.id, Category.parent_id).where(Category.store_id == store_id)
    )
    return {row[0]: row[1] for row in rows.all()}


async def category_exists(session: AsyncSession, store_id: int, category_id: int) -> bool:
    """Whether the store has that category."""
    found = await session.scalar(
        select(Category.id).where(Category.store_id == store_id, Category.id == category_id)
    )
    return found is not None


async def descendants(session: AsyncSession, store_id: int, category_id: int) -> list[int]:
    """A category and every category below it."""
    parents = await category_parents(session, store_id)
    children: dict[int | None, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    out, todo = [], [category_id]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return sorted(out)


async def variant_sales(
    session: AsyncSession,
    store_id: int,
    *,
    variant_id: int,
    since: dt.datetime,
    until: dt.datetime,
) -> list[tuple[dt.datetime, int]]:
    """(placed at, units) of one variant's order lines in [since, until), cancelled left out."""
    rows = await session.execute(
        select(Order.placed_at, OrderLine.quantity)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.store_id == store_id,
            OrderLine.store_id == store_id,
            OrderLine.variant_id == variant_id,
            Order.placed_at >= since,
            Order.placed_at < until,
            Order.status.not_in(NOT_DEMAND),
            OrderLine.quantity > 0,
        )
        .order_by(Order.placed_at)
    )
    return [(placed, int(quantity)) for placed, quantity in rows.all()]
